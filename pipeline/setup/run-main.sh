#!/usr/bin/env bash
# The main job: install what is missing, build foci (Release), and map the example
# coordinates in findings/examples/probe-points.tsv onto AAL and Harvard-Oxford.
set -euo pipefail
FOCI_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$FOCI_ROOT/pipeline/setup/common.sh"

foci_install_packages
foci_build "$FOCI_ROOT/build/release" -DFOCI_BUILD_TESTS=OFF

mkdir -p "$FOCI_ROOT/output"
result="$FOCI_ROOT/output/probe-points.atlas.tsv"
"$FOCI_ROOT/build/release/foci" atlas query --atlas aal,ho-cort --radius 4 \
  --coords "$FOCI_ROOT/findings/examples/probe-points.tsv" > "$result.tmp"
mv "$result.tmp" "$result"
cat "$result"
echo "foci: wrote $result" >&2
