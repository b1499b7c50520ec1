#!/usr/bin/env bash
# Times `foci slices`, the whole process (reading the template and the map included): an
# ortho figure at the map's peak and a 3 x 8 axial mosaic at 300 dpi, of the signed ReHo map
# `foci map` writes for the MECT review (1 mm, 181 x 217 x 181). Each runs three times
# (the first with a cold page cache for the binary, the others warm). Usage:
#   tests/bench/slices_bench.sh build/test/foci
set -euo pipefail
foci=${1:?usage: slices_bench.sh PATH_TO_FOCI}
root=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$foci" map --atlas aal --out "$work/map" "$root/findings/mect/functional.json" 2>/dev/null
map="$work/map/maps/reho_regions.nii.gz"
timed() {
  local name=$1
  shift
  /usr/bin/time -v "$@" 2>"$work/time.txt" >/dev/null
  local wall peak
  wall=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time.txt")
  peak=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time.txt")
  echo "$name: wall $wall, peak $peak KB"
}
for run in 1 2 3; do
  timed "ortho 1500x560 (run $run)" "$foci" slices --overlay "$map" --mode ortho \
    -o "$work/ortho.png" --force
  timed "mosaic 3x8 axial, 300 dpi (run $run)" "$foci" slices --overlay "$map" --mode mosaic \
    --mosaic axial:-30:85:5 --dpi 300 -o "$work/mosaic.png" --force
done
file "$work/mosaic.png" | sed "s|$work/||"
