#!/usr/bin/env bash
# An ALE meta-analysis of findings files' coordinates and its figures:
#   pipeline/setup/ale-figures.sh FOCI OUT TITLE FILE...
# writes OUT/ale/ (foci meta ale, 1000 Monte Carlo iterations, clusters labelled in AAL) and
#   OUT/ale-clusters-blobs.png  the clusters that survive FWE p < 0.05 (by size) as blobs in
#                               the glass brain (the z map's, when none survives)
#   OUT/ale-ortho.png           ortho slices of the z map at the largest cluster's peak
#   OUT/ale-glass.png           glass-brain projections of the z map with the coordinates
# and prints the figures' paths. The main job runs it on the ECT coordinates once
# findings/ect-coordinates/ holds them.
set -euo pipefail
foci=$(realpath "${1:?usage: ale-figures.sh FOCI OUT TITLE FILE...}")
out=${2:?usage: ale-figures.sh FOCI OUT TITLE FILE...}
title=${3:?usage: ale-figures.sh FOCI OUT TITLE FILE...}
shift 3
mkdir -p "$out"

"$foci" meta ale "$@" --out "$out/ale" --iterations 1000 --seed 0 --atlas aal --force

# The largest cluster at the cluster-forming threshold comes first in clusters.tsv, survivors
# before the rest; its peak is where the slices cut.
read -r survives peak < <(awk -F'\t' '
  NR == 1 { for (i = 1; i <= NF; i++) column[$i] = i; next }
  NR == 2 { print $column["survives"], $column["peak_x"] "," $column["peak_y"] "," $column["peak_z"] }
' "$out/ale/clusters.tsv")

# z > 3.09 is the cluster-forming threshold's p < 0.001.
if [ "${survives:-no}" = yes ]; then
  "$foci" render --force --overlay "$out/ale/clusters.nii.gz" --overlay-style blobs --style glass \
    --overlay-title "ALE clusters, FWE p < 0.05" --views left,dorsal,right,posterior \
    --size 1600x1100 --figure-title "$title: ALE clusters" -o "$out/ale-clusters-blobs.png"
else
  echo "foci: no ALE cluster survives FWE p < 0.05; the blobs show z > 3.09" >&2
  "$foci" render --force --overlay "$out/ale/z.nii.gz" --threshold 3.09 --overlay-style blobs \
    --style glass --overlay-title "ALE z (no cluster survives FWE)" \
    --views left,dorsal,right,posterior --size 1600x1100 --figure-title "$title: ALE z" \
    -o "$out/ale-clusters-blobs.png"
fi
"$foci" slices --force --mode ortho --overlay "$out/ale/z.nii.gz" --threshold 3.09 \
  ${peak:+--cut-coords "$peak"} --overlay-title "ALE z" --title "$title: ALE z at the largest cluster" \
  -o "$out/ale-ortho.png"
"$foci" slices --force --mode glass --overlay "$out/ale/z.nii.gz" --threshold 3.09 "$@" \
  --overlay-title "ALE z" --title "$title: ALE z and the coordinates" -o "$out/ale-glass.png"
for figure in ale-clusters-blobs ale-ortho ale-glass; do echo "$out/$figure.png"; done
