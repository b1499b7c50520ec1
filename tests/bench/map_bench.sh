#!/usr/bin/env bash
# Time and peak memory of a whole `foci map` run (AAL, 10 mm radius) on a findings file of
# coordinates generated here, 300 k by default: reading the findings, placing them, and
# writing every result (mapped.json, mapped.tsv, the summaries, the maps). Usage:
#   tests/bench/map_bench.sh build/test/foci [FINDINGS]
set -euo pipefail
foci=${1:?usage: map_bench.sh PATH_TO_FOCI [FINDINGS]}
rows=${2:-300000}
[ -x /usr/bin/time ] || { echo "map_bench.sh needs /usr/bin/time (Debian: apt-get install time)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
export FOCI_CACHE_DIR="$work/cache"
awk -v n="$rows" 'BEGIN { srand(7); print "x\ty\tz";
                        for (i = 0; i < n; i++)
                          printf "%d\t%d\t%d\n", -70 + int(140*rand()), -100 + int(170*rand()), -50 + int(125*rand()) }' \
  > "$work/points.tsv"
"$foci" import --from tsv "$work/points.tsv" -o "$work/findings.json" > /dev/null
for run in 1 2 3; do
  /usr/bin/time -f "foci map, $rows findings: %e s, %U s user, %S s system, peak %M KB" \
    "$foci" map "$work/findings.json" --out "$work/out" --force 2>&1 | tail -1
done
