#!/usr/bin/env bash
# The main job: install what is missing, build foci (Release), look up the example
# coordinates in findings/examples/probe-points.tsv in AAL and Harvard-Oxford, and map the
# curated MECT dataset (findings/mect) onto AAL and the JHU white-matter atlas.
set -euo pipefail
FOCI_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$FOCI_ROOT/pipeline/setup/common.sh"

foci_install_packages
foci_build "$FOCI_ROOT/build/release" -DFOCI_BUILD_TESTS=OFF

mkdir -p "$FOCI_ROOT/output"
result="$FOCI_ROOT/output/probe-points.atlas.tsv"
"$FOCI_ROOT/build/release/foci" atlas query --atlas aal,ho-cort --radius 4 \
  --coords "$FOCI_ROOT/findings/examples/probe-points.tsv" > "$result.tmp"
mv "$result.tmp" "$result"
cat "$result"
echo "foci: wrote $result" >&2

"$FOCI_ROOT/build/release/foci" validate "$FOCI_ROOT"/findings/{mect,nssi,oxytocin}/*.json
"$FOCI_ROOT/build/release/foci" map --force --atlas aal,jhu-wm --out "$FOCI_ROOT/output/mect-map" \
  "$FOCI_ROOT"/findings/mect/{claims,connectivity,functional,structure}.json
echo "foci: MECT summary in output/mect-map/summary.md" >&2

# The MECT review's Fig. 2, redrawn from the curated findings: grey-matter volume, ReHo and
# ALFF/fALFF changes, rises red and falls blue.
mect="$FOCI_ROOT/findings/mect"
"$FOCI_ROOT/build/release/foci" render "$mect/structure.json" "$mect/functional.json" \
  -o "$FOCI_ROOT/output/mect-fig2.png" --size 1800x2000 --views left,dorsal,right,posterior \
  --figure-title "Brain changes after MECT for depression" \
  --panel "Grey-matter volume (Table 1)|measure=grey-matter volume" \
  --panel "ReHo (Table 2, Fig. 2b)|measure=ReHo" \
  --panel "ALFF / fALFF (Table 2, Fig. 2c)|measure=ALFF|fALFF|ALFF/fALFF"
echo "foci: wrote output/mect-fig2.png" >&2
