#!/usr/bin/env bash
# Install what is missing, build foci with its tests (warnings are errors), and run every
# test through ctest. Then look for the next crash: build again with AddressSanitizer and
# UndefinedBehaviorSanitizer (build/asan) and run the unit, integration and CLI tests there,
# where a leak or undefined behaviour fails the test; then build the libFuzzer harnesses with
# clang (build/fuzz) and run each for a short time (tests/fuzz/README.md). Any step that
# fails stops the run with a non-zero exit status. The test build's ctest summary is repeated
# at the end.
#
#   FOCI_SANITIZERS=0   only the first part (build/test and its ctest)
#   FOCI_FUZZ_SECONDS=N fuzz each harness N seconds (default 20; 0 skips fuzzing)
set -euo pipefail
FOCI_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
source "$FOCI_ROOT/pipeline/setup/common.sh"

timings=()
step_started=$SECONDS
step_done() {
  local took=$((SECONDS - step_started))
  timings+=("$(printf '%-24s %3dm%02ds' "$1" $((took / 60)) $((took % 60)))")
  step_started=$SECONDS
}
# At the end, pass or fail: the time of each step; after a pass, the test build's ctest
# summary again, so that it is what the output ends with.
finish() {
  local status=$?
  echo
  echo "== time per step"
  step_started=0
  step_done total
  printf '%s\n' "${timings[@]}"
  if [ "$status" -eq 0 ]; then
    echo
    echo "== ctest of build/test (repeated)"
    sed -n '/tests passed, /,$p' "$FOCI_ROOT/build/test/ctest.log"
  fi
}
trap finish EXIT

foci_install_packages
foci_install_npm_packages
step_done "install check"
foci_build "$FOCI_ROOT/build/test" -DFOCI_BUILD_TESTS=ON -DFOCI_WERROR=ON
step_done "build build/test"
ctest --test-dir "$FOCI_ROOT/build/test" --output-on-failure --parallel "$(nproc)" \
  | tee "$FOCI_ROOT/build/test/ctest.log"
step_done "ctest build/test"

if [ "${FOCI_SANITIZERS:-1}" != 0 ]; then
  # Leaks and undefined behaviour end the program with an error. Suppressions are for leaks
  # inside system libraries only (see the file).
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
  export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
  export LSAN_OPTIONS="suppressions=$FOCI_ROOT/tests/sanitizers/lsan.supp:print_suppressions=0"

  # gcc's ASan and UBSan. Not built: the render and inspect tests (VTK through Mesa and
  # Xvfb) and the benchmarks. Not run: the Slurm test (label cluster), whose foci runs as
  # Slurm jobs, outside this environment, and the tests that measure foci's peak memory
  # (label cli-memory; ASan's own memory is what they would see). The tests that render
  # (label cli-renders) run without leak detection: Mesa's driver leaves blocks whose stacks
  # cannot be told apart from foci's (tests/sanitizers/lsan.supp says why).
  foci_build "$FOCI_ROOT/build/asan" -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFOCI_SANITIZE=ON \
    -DFOCI_WERROR=ON -DFOCI_BUILD_TESTS=ON -DFOCI_RENDER_TESTS=OFF -DFOCI_BENCHMARKS=OFF
  step_done "build build/asan"
  # Output in a log, shown on failure, so the test build's summary stays the last one.
  asan_log="$FOCI_ROOT/build/asan/ctest.log"
  asan_ctest() {
    ctest --test-dir "$FOCI_ROOT/build/asan" --output-on-failure --parallel "$(nproc)" "$@" \
      >>"$asan_log" 2>&1
  }
  : >"$asan_log"
  if ! asan_ctest --label-exclude 'cluster|renders|memory' ||
    ! ASAN_OPTIONS=detect_leaks=0:abort_on_error=1 asan_ctest --label-regex renders; then
    cat "$asan_log"
    echo "foci: tests under AddressSanitizer/UBSan failed (build/asan/ctest.log)" >&2
    exit 1
  fi
  grep -E '^[0-9]+% tests passed' "$asan_log" |
    sed 's/^/asan+ubsan: /;s/tests passed/of the tests passed/'
  step_done "ctest build/asan"

  if [ "${FOCI_FUZZ_SECONDS:-20}" != 0 ]; then
    CC=clang CXX=clang++ foci_build "$FOCI_ROOT/build/fuzz" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
      -DFOCI_FUZZ=ON -DFOCI_WERROR=ON -DFOCI_BUILD_TESTS=OFF -- foci_fuzzers
    step_done "build build/fuzz"
    python3 "$FOCI_ROOT/tests/fuzz/fuzz.py" run "$FOCI_ROOT/build/fuzz" \
      --seconds "${FOCI_FUZZ_SECONDS:-20}"
    step_done "fuzz"
  fi
fi
