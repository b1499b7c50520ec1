#!/usr/bin/env bash
# Times `foci atlas query --coords` on a one-million-row coordinate file against three
# atlases (or those given, e.g. aal, as the README's comparison with a nibabel script does),
# end to end (reading, lookups, writing the table). Usage:
#   tests/bench/query_1m.sh build/test/foci [ATLAS[,ATLAS...]]
set -euo pipefail
foci=${1:?usage: query_1m.sh PATH_TO_FOCI [ATLASES]}
atlases=${2:-aal,ho-cort,aicha}
atlas_count=$(awk -F, '{ print NF }' <<< "$atlases")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
awk 'BEGIN { srand(11); print "x\ty\tz";
             for (n = 0; n < 1000000; n++)
               printf "%.1f\t%.1f\t%.1f\n", -70 + 140*rand(), -100 + 170*rand(), -50 + 125*rand() }' \
  > "$work/points.tsv"
start=$(date +%s.%N)
"$foci" atlas query --atlas "$atlases" --coords "$work/points.tsv" > "$work/out.tsv"
end=$(date +%s.%N)
rows=$(($(wc -l < "$work/out.tsv") - 1))
awk -v s="$start" -v e="$end" -v r="$rows" -v n="$atlas_count" \
  'BEGIN { printf "foci atlas query: %d rows (1000000 points x %d atlases) in %.2f s, %.0f points/s\n", r, n, e - s, 1000000 / (e - s) }'
