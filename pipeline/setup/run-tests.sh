#!/usr/bin/env bash
# Install what is missing, build foci with its tests (warnings are errors), and run every
# test through ctest.
set -euo pipefail
FOCI_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$FOCI_ROOT/pipeline/setup/common.sh"

foci_install_packages
foci_install_npm_packages
foci_build "$FOCI_ROOT/build/test" -DFOCI_BUILD_TESTS=ON -DFOCI_WERROR=ON
ctest --test-dir "$FOCI_ROOT/build/test" --output-on-failure --parallel "$(nproc)"
