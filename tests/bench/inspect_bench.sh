#!/usr/bin/env bash
# Frame times of foci inspect with every MECT finding drawn (1200x900 window): the camera
# turned a full circle in 120 frames as a drag turns it, then still frames. Three runs, each
# one JSON line (mean wall-clock and CPU ms per frame, the size the turning scene settled at).
# Usage: tests/bench/inspect_bench.sh build/test/foci
set -euo pipefail
foci=${1:?usage: inspect_bench.sh PATH_TO_FOCI}
root=$(cd "$(dirname "$0")/../.." && pwd)
findings=()
for file in "$root"/findings/mect/*.json; do
  [ "$(basename "$file")" = figures.json ] || findings+=("$file")  # a batch spec, not findings
done
for run in 1 2 3; do
  xvfb-run -a -s "-screen 0 1280x1024x24" "$foci" inspect "${findings[@]}" \
    --benchmark-frames 120 | tail -1
done
