#!/usr/bin/env bash
# The main job: install what is missing, build foci (Release), look up the example
# coordinates in findings/examples/probe-points.tsv in AAL and Harvard-Oxford, map the
# curated MECT dataset (findings/mect) onto AAL and the JHU white-matter atlas, draw its
# signed per-measure maps on the brain surface (output/mect-overlays/) and in 2D slices
# (output/mect-slices/), and render the figure sets of findings/*/figures.json into
# output/<dataset>/, listing each file.
set -euo pipefail
FOCI_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$FOCI_ROOT/pipeline/setup/common.sh"

foci_install_packages
foci_install_npm_packages
foci_build "$FOCI_ROOT/build/release" -DFOCI_BUILD_TESTS=OFF

mkdir -p "$FOCI_ROOT/output"
result="$FOCI_ROOT/output/probe-points.atlas.tsv"
"$FOCI_ROOT/build/release/foci" atlas query --atlas aal,ho-cort --radius 4 \
  --coords "$FOCI_ROOT/findings/examples/probe-points.tsv" > "$result.tmp"
mv "$result.tmp" "$result"
cat "$result"
echo "foci: wrote $result" >&2

findings_files=()
for file in "$FOCI_ROOT"/findings/{mect,nssi,oxytocin}/*.json; do
  [ "$(basename "$file")" = figures.json ] || findings_files+=("$file")  # specs, not findings
done
"$FOCI_ROOT/build/release/foci" validate "${findings_files[@]}"
"$FOCI_ROOT/build/release/foci" map --force --atlas aal,jhu-wm --out "$FOCI_ROOT/output/mect-map" \
  "$FOCI_ROOT"/findings/mect/{claims,connectivity,functional,structure}.json
echo "foci: MECT summary in output/mect-map/summary.md" >&2

# The signed per-measure maps foci map wrote (each finding adds its direction, +1 or -1, to
# the voxels of its regions), as brain overlay images into output/mect-overlays/: projected
# onto the brain surface (cortical measures), and as blobs inside the glass brain (white
# matter and deep regions, which lie more than 6 mm below the surface). The diffusion
# measures (FA, MD, RD, AD) are white-matter tracts: projected onto the cortex they would
# colour next to nothing, so they are drawn as blobs only.
mkdir -p "$FOCI_ROOT/output/mect-overlays"
for map in "$FOCI_ROOT"/output/mect-map/maps/*_regions.nii.gz; do
  measure=$(basename "$map" _regions.nii.gz)
  styles=(surface blobs)
  case "$measure" in fa | md | rd | ad) styles=(blobs) ;; esac
  for style in "${styles[@]}"; do
    figure="$FOCI_ROOT/output/mect-overlays/$measure-$style.png"
    look=opaque  # coloured surface; blobs show inside the glass brain
    if [ "$style" = blobs ]; then look=glass; fi
    "$FOCI_ROOT/build/release/foci" render --force --overlay "$map" --threshold 0.5 \
      --overlay-style "$style" --style "$look" --overlay-title "$measure: rises minus falls" \
      --views left,dorsal,right,posterior --size 1600x1100 --figure-title "MECT: $measure" \
      -o "$figure"
    echo "foci: wrote ${figure#"$FOCI_ROOT"/}" >&2
  done
done

# The ReHo map on the cortex with the ReHo findings over it, as a page a reader turns and
# thresholds in a browser.
"$FOCI_ROOT/build/release/foci" web --force --atlas aal,jhu-wm \
  "$FOCI_ROOT"/findings/mect/functional.json --filter measure=ReHo \
  --overlay "$FOCI_ROOT/output/mect-map/maps/reho_regions.nii.gz" --threshold 0.5 \
  --overlay-title "ReHo: rises minus falls" --style opaque --figure-title "MECT: ReHo" \
  -o "$FOCI_ROOT/output/mect-overlays/reho.html"
echo "foci: wrote output/mect-overlays/reho.html" >&2

# 2D figures of maps: an axial mosaic of the signed ReHo map `foci map` wrote above (net
# rises minus falls per region) and a glass brain of the MECT findings (nodes and
# connections) over the same map.
mkdir -p "$FOCI_ROOT/output/mect-slices"
"$FOCI_ROOT/build/release/foci" slices --force --mode mosaic --mosaic axial:-30:85:5 \
  --overlay "$FOCI_ROOT/output/mect-map/maps/reho_regions.nii.gz" --overlay-title "ReHo (rises - falls)" \
  --title "MECT: regional homogeneity, findings per AAL region" \
  -o "$FOCI_ROOT/output/mect-slices/reho-mosaic.png"
echo "foci: wrote output/mect-slices/reho-mosaic.png" >&2
"$FOCI_ROOT/build/release/foci" slices --force --mode glass --atlas aal,jhu-wm \
  "$FOCI_ROOT"/findings/mect/{connectivity,functional,structure}.json \
  --title "MECT: every finding, rises red, falls blue" \
  -o "$FOCI_ROOT/output/mect-slices/findings-glass.png"
echo "foci: wrote output/mect-slices/findings-glass.png" >&2

# The ALE meta-analysis of the coordinates that primary ECT/MECT studies report, with its
# figures (clusters as blobs, ortho slices at the largest cluster, a glass brain with the
# coordinates) into output/ect-ale/. findings/ect-coordinates/README.md says why it holds no
# coordinate yet; until it does, this step says so and draws nothing.
ect_files=("$FOCI_ROOT"/findings/ect-coordinates/*.json)
if grep -q '"coordinate"' "${ect_files[@]}"; then
  "$FOCI_ROOT/pipeline/setup/ale-figures.sh" "$FOCI_ROOT/build/release/foci" "$FOCI_ROOT/output/ect-ale" \
    "ECT coordinates" "${ect_files[@]}" |
    while read -r figure; do echo "foci: wrote ${figure#"$FOCI_ROOT"/}" >&2; done
else
  echo "foci: no ECT coordinates yet (findings/ect-coordinates/README.md): no ALE figures" >&2
fi

# The figure sets: the MECT review's Fig. 2 redrawn, its connectivity, efficacy-versus-memory
# and acute-versus-follow-up figures, and one figure each for the NSSI and oxytocin reviews.
# --resume: a second run redraws only what changed.
for dataset in mect nssi oxytocin; do
  "$FOCI_ROOT/build/release/foci" batch --resume --out "$FOCI_ROOT/output/$dataset" \
    "$FOCI_ROOT/findings/$dataset/figures.json"
done

# The README's images, made again from the shipped files (docs/images/ holds the committed
# copies; a test compares them).
"$FOCI_ROOT/pipeline/setup/readme-images.sh" "$FOCI_ROOT/build/release/foci" "$FOCI_ROOT/output/readme-images" |
  while read -r image; do echo "foci: wrote ${image#"$FOCI_ROOT"/}" >&2; done
