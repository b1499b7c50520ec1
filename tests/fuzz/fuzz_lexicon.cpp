// The region lexicon file (atlas/lexicon.cpp RegionLexicon::load), then a few look-ups in
// what was read.
#include "atlas/lexicon.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace foci;
  const std::string path = fuzz::write_input(fuzz::as_text(data, size), "regions.json");
  fuzz::expect_only_foci_errors([&] {
    const RegionLexicon lexicon = RegionLexicon::load(path);
    for (const auto& region : lexicon.regions()) {
      if (lexicon.find(region.id) == nullptr) fuzz::bug("RegionLexicon::find misses a region");
      (void)lexicon.display_name(region.id);
      (void)lexicon.resolve(region.en);
    }
    (void)lexicon.suggest("hippocampus", 3);
  });
  return 0;
}
