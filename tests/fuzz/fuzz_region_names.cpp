// Region names as papers write them (atlas/lexicon.cpp): split_side, key_of, resolve and
// suggest on arbitrary text, against the shipped lexicon (atlases/regions.json).
#include "atlas/lexicon.hpp"
#include "fuzz_common.hpp"

namespace {

const foci::RegionLexicon& shipped_lexicon() {
  static const foci::RegionLexicon lexicon = foci::RegionLexicon::load_default();
  return lexicon;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace foci;
  const auto& lexicon = shipped_lexicon();
  const auto name = fuzz::as_text(data, size);
  fuzz::expect_only_foci_errors([&] {
    (void)split_side(name);
    (void)RegionLexicon::key_of(name);
    const auto resolved = lexicon.resolve(name);
    if (resolved && resolved->region == nullptr) fuzz::bug("resolve: a match without a region");
    // suggest() compares the name with every lexicon name (edit distance); the command line
    // calls it for names that do not resolve, which are short.
    if (!resolved && name.size() <= 256) (void)lexicon.suggest(name);
  });
  return 0;
}
