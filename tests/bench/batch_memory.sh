#!/usr/bin/env bash
# Peak memory and time of the main job's MECT figure batch (findings/mect/figures.json), the
# whole process (its largest worker), first with an empty mesh cache (cold), then again with
# the cache that run filled (warm). Usage:
#   tests/bench/batch_memory.sh build/test/foci
set -euo pipefail
foci=${1:?usage: batch_memory.sh PATH_TO_FOCI}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export FOCI_CACHE_DIR="$work/cache"
for cache in cold warm; do
  status=0
  rm -rf "$work/out"
  /usr/bin/time -f "foci batch (MECT figures, $cache cache): %e s, %U s user, %S s system, peak %M KB" \
    "$foci" batch --out "$work/out" "$here/../../findings/mect/figures.json" > "$work/log" 2>&1 ||
    status=$?
  tail -1 "$work/log"
  [ "$status" -eq 0 ] || { grep ERROR "$work/log" >&2; exit "$status"; }
done
