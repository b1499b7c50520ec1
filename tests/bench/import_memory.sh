#!/usr/bin/env bash
# Peak memory (maximum resident set size, from /usr/bin/time -v) and wall time of
# `foci import --from tsv` and `foci atlas query --coords --atlas aal` on coordinate tables
# generated here, 1 M and 10 M rows by default. A benchmark, not a test: both commands read
# one row at a time, so their peak memory should stay flat as the row count grows tenfold.
# The 10 M-row run writes some 3 GB of findings JSON into a temporary folder (removed after).
# Usage:
#   tests/bench/import_memory.sh build/test/foci [ROWS ...]
set -euo pipefail
foci=${1:?usage: import_memory.sh PATH_TO_FOCI [ROWS ...]}
shift
rows_list=("$@")
[ ${#rows_list[@]} -gt 0 ] || rows_list=(1000000 10000000)
[ -x /usr/bin/time ] || { echo "import_memory.sh needs /usr/bin/time (Debian: apt-get install time)" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Prints "<peak RSS in MiB> MiB, <seconds> s" for the command given.
measure() {
  /usr/bin/time -v -o "$work/time.txt" "$@" > /dev/null 2> "$work/stderr.txt"
  awk -F': ' '/Maximum resident set size/ { rss = $2 }
              /Elapsed \(wall clock\)/ { n = split($2, t, ":"); s = 0
                                        for (i = 1; i <= n; i++) s = s * 60 + t[i] }
              END { printf "%7.1f MiB peak, %6.1f s", rss / 1024, s }' "$work/time.txt"
}

for rows in "${rows_list[@]}"; do
  # Whole millimetres, as tables print them: about 10 bytes a row.
  awk -v n="$rows" 'BEGIN { srand(7); print "x\ty\tz";
                          for (i = 0; i < n; i++)
                            printf "%d\t%d\t%d\n", -70 + int(140*rand()), -100 + int(170*rand()), -50 + int(125*rand()) }' \
    > "$work/points.tsv"
  size=$(du -m "$work/points.tsv" | cut -f1)
  printf '%9d rows (%4d MB)  import --from tsv:         %s\n' "$rows" "$size" \
    "$(measure "$foci" import --from tsv "$work/points.tsv" -o "$work/findings.json")"
  rm -f "$work/findings.json"
  printf '%9d rows (%4d MB)  atlas query --coords (aal): %s\n' "$rows" "$size" \
    "$(measure "$foci" atlas query --atlas aal --coords "$work/points.tsv")"
done
