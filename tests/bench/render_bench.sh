#!/usr/bin/env bash
# Times a six-view 1600x1200 figure of 40 peaks and 15 connections on a glass brain, the
# whole process, with an empty mesh cache (cold) and a filled one (warm); then the same six
# views at 1600x1200 each, one 4800x2400 PNG, warm. Usage:
#   tests/bench/render_bench.sh build/test/foci
set -euo pipefail
foci=${1:?usage: render_bench.sh PATH_TO_FOCI}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export FOCI_CACHE_DIR="$work/cache"
for run in cold warm warm warm; do
  /usr/bin/time -f "$run: %e s, peak %M KB" "$foci" render "$here/render_scene.json" \
    -o "$work/figure.png" --force --size 1600x1200 --style glass \
    --views left,dorsal,right,anterior,posterior,ventral 2>&1 | tail -1
done
for run in 1 2 3; do
  /usr/bin/time -f "4800x2400, warm: %e s, %U s user, %S s system, peak %M KB" "$foci" render \
    "$here/render_scene.json" -o "$work/large.png" --force --size 4800x2400 --style glass \
    --views left,right,dorsal,ventral,anterior,posterior 2>&1 | tail -1
done
