# Shared by run-main.sh and run-tests.sh: install what is missing, then configure and build.
# Sourced, not run.

# Debian 12 packages foci builds, tests and runs with. libvtk9-dev and xvfb/xauth are for
# rendering (VTK through Xvfb on machines without a display; fonts-wqy-microhei for Chinese
# text); python3-jsonschema checks the
# findings JSON Schema in the tests; slurm-wlm and munge run the Slurm job-array test;
# xdotool drives the foci inspect window in its tests; chromium-headless-shell opens the
# pages of foci web in their tests. clang, libclang-rt-14-dev (libFuzzer and clang's
# sanitizer runtimes, only recommended by clang) and llvm (llvm-symbolizer, for readable
# crash stacks) build and run the fuzz harnesses of tests/fuzz; gcc's sanitizer runtimes
# come with build-essential. libboost-dev: Boost's header-only containers.
FOCI_PACKAGES=(
  build-essential cmake ninja-build ccache pkg-config
  libinsighttoolkit5-dev libvtk9-dev nlohmann-json3-dev libcli11-dev libfmt-dev
  libpugixml-dev zlib1g-dev libtiff-dev libgl-dev libx11-dev libgtest-dev libgmock-dev
  libbenchmark-dev libboost-dev
  mricron-data xvfb xauth fonts-wqy-microhei python3-jsonschema slurm-wlm munge xdotool
  poppler-utils chromium-headless-shell clang libclang-rt-14-dev llvm
)
# nodejs and npm install what package.json pins (NiiVue, inlined into the pages of foci web;
# puppeteer-core, which drives them in the tests). A node that came with its own npm from
# elsewhere serves as well, and Debian's packages would conflict with it: they are asked for
# only when there is no npm.
if ! command -v npm >/dev/null 2>&1; then
  FOCI_PACKAGES+=(nodejs npm)
fi

foci_missing_packages() {
  local package
  for package in "${FOCI_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
      printf '%s\n' "$package"
    fi
  done
}

# Installs what is missing; does nothing (quickly) when everything is there. Without root it
# prints the exact command to run and stops.
foci_install_packages() {
  local missing
  mapfile -t missing < <(foci_missing_packages)
  if [ "${#missing[@]}" -eq 0 ]; then
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    echo "foci needs these Debian packages; as root, run:" >&2
    echo "  apt-get update && apt-get install -y --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  echo "foci: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q
  apt-get install -y -q --no-install-recommends "${missing[@]}"
}

# Installs package.json's npm packages, exactly as package-lock.json pins them, into
# node_modules at the repository's root; does nothing when they are there already.
foci_install_npm_packages() {
  local stamp="$FOCI_ROOT/node_modules/.package-lock.json"
  if [ -f "$stamp" ] && [ "$stamp" -nt "$FOCI_ROOT/package-lock.json" ]; then
    return 0
  fi
  echo "foci: installing the npm packages of package-lock.json" >&2
  (cd "$FOCI_ROOT" && npm ci --no-audit --no-fund --loglevel=error)
}

# ccache keys objects by paths relative to the clone, and (for the sanitizer and fuzz builds,
# which carry debug information) not by the build folder's absolute path: a second clone of
# the repository reuses the objects the first one compiled.
export CCACHE_BASEDIR="$FOCI_ROOT" CCACHE_NOHASHDIR=1

# foci_build BUILD_DIR [CMAKE OPTIONS...] [-- TARGETS...]: configure once, then build
# incrementally (every target, or only those named after --). $CC and $CXX choose the
# compilers when the folder is first configured.
foci_build() {
  local build_dir=$1
  shift
  local options=() targets=()
  while [ $# -gt 0 ]; do
    if [ "$1" = "--" ]; then
      shift
      targets=("$@")
      break
    fi
    options+=("$1")
    shift
  done
  if [ ! -f "$build_dir/build.ninja" ]; then
    cmake -S "$FOCI_ROOT" -B "$build_dir" -G Ninja -DCMAKE_BUILD_TYPE=Release "${options[@]}"
  else
    cmake "$build_dir" "${options[@]}" >/dev/null
  fi
  cmake --build "$build_dir" --parallel "$(nproc)" ${targets[@]+--target "${targets[@]}"}
}
