#!/usr/bin/env bash
# The small figures the README shows, made from the files this repository ships:
#   pipeline/setup/readme-images.sh FOCI OUT
# writes OUT/<name>.png with the foci binary FOCI (and, to make them, OUT/mect-map/ and
# OUT/reho.html). The main job writes them into
# output/readme-images/; docs/images/ holds the committed copies, and a test
# (ReadmeImages.AreCurrent) makes them again and compares. After a change that alters a
# figure on purpose, copy output/readme-images/*.png over docs/images/.
#
# Each line that starts with `foci` is shown in the README as it is here, so keep them
# pasteable: run from the repository root, $OUT the folder the image goes to.
set -euo pipefail
foci_binary=$(realpath "${1:?usage: readme-images.sh FOCI OUT}")
OUT=${2:?usage: readme-images.sh FOCI OUT}
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
mkdir -p "$OUT"
OUT=$(realpath "$OUT")
foci() { "$foci_binary" "$@"; }

# The MECT review's Fig. 2 redrawn: grey-matter volume, ReHo and ALFF findings, rises red,
# falls blue, each named region drawn as its atlas surface.
foci render findings/mect/structure.json findings/mect/functional.json --views left,dorsal,right --panel "Grey-matter volume (Table 1)|measure=grey-matter volume" --panel "ReHo (Table 2)|measure=ReHo" --panel "ALFF / fALFF (Table 2)|measure=ALFF|fALFF|ALFF/fALFF" --figure-title "Brain changes after MECT" --size 1200x1000 --force -o "$OUT/mect-fig2.png"

# A map on the brain: foci map's signed ReHo map of the MECT findings (each finding adds +1
# or -1 over its region), projected onto the surface.
foci map findings/mect/functional.json --atlas aal --force --out "$OUT/mect-map" 2>/dev/null
foci render --overlay "$OUT/mect-map/maps/reho_regions.nii.gz" --threshold 0.5 --style opaque --overlay-title "ReHo: rises minus falls" --views left,dorsal,right --size 1200x420 --force -o "$OUT/reho-surface.png"

# The same map in 2D: ortho slices through its peak, and an axial mosaic.
foci slices --mode ortho --overlay "$OUT/mect-map/maps/reho_regions.nii.gz" --threshold 0.5 --overlay-title "ReHo: rises minus falls" --size 1200x450 --force -o "$OUT/reho-ortho.png"
foci slices --mode mosaic --mosaic axial:-20:60:10 --overlay "$OUT/mect-map/maps/reho_regions.nii.gz" --threshold 0.5 --overlay-title "ReHo: rises minus falls" --size 1200x560 --force -o "$OUT/reho-mosaic.png"

# Every MECT finding on a glass brain, nodes and connections, as nilearn's plot_connectome.
foci slices --mode glass findings/mect/structure.json findings/mect/functional.json findings/mect/connectivity.json --title "MECT: rises red, falls blue" --size 1200x450 --force -o "$OUT/mect-glass.png"

# A page: the ReHo map on the cortex with the ReHo findings over it, seen in headless
# Chromium from the left with the left middle temporal gyrus found by its Chinese name.
foci web findings/mect/functional.json --filter measure=ReHo --overlay "$OUT/mect-map/maps/reho_regions.nii.gz" --threshold 0.5 --overlay-title "ReHo: rises minus falls" --style opaque --figure-title "MECT: ReHo" --force -o "$OUT/reho.html"
node tests/bench/web_page_bench.mjs "$OUT/reho.html" --runs 1 --size 1120x760 --view left --focus 左侧颞中回 --screenshot "$OUT/web-page.png" >/dev/null

for image in mect-fig2 reho-surface reho-ortho reho-mosaic mect-glass web-page; do
  echo "$OUT/$image.png"
done
