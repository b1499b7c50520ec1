#!/usr/bin/env bash
# The main job: install what is missing, build foci (Release), look up the example
# coordinates in findings/examples/probe-points.tsv in AAL and Harvard-Oxford, map the
# curated MECT dataset (findings/mect) onto AAL and the JHU white-matter atlas, and render
# the figure sets of findings/*/figures.json into output/<dataset>/, listing each file.
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

# The figure sets: the MECT review's Fig. 2 redrawn, its connectivity, efficacy-versus-memory
# and acute-versus-follow-up figures, and one figure each for the NSSI and oxytocin reviews.
# --resume: a second run redraws only what changed.
for dataset in mect nssi oxytocin; do
  "$FOCI_ROOT/build/release/foci" batch --resume --out "$FOCI_ROOT/output/$dataset" \
    "$FOCI_ROOT/findings/$dataset/figures.json"
done
