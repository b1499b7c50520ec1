// Atlas manifests (atlas/manifest.cpp).
#include "atlas/manifest.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace foci;
  const std::string path = fuzz::write_input(fuzz::as_text(data, size), "atlas.json");
  fuzz::expect_only_foci_errors([&] { (void)read_atlas_manifest(path); });
  return 0;
}
