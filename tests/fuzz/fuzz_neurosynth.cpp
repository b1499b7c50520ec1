// Neurosynth coordinates and metadata TSVs (findings/import_neurosynth.cpp). The input is
// the coordinates text, a line "--metadata--", and the metadata text (without the line, the
// metadata file is empty).
#include "findings/importers.hpp"
#include "fuzz_common.hpp"
#include "imported_findings.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace foci;
  const auto [coordinates, metadata] =
      fuzz::split_two(fuzz::as_text(data, size), "\n--metadata--\n");
  const std::string coordinates_path = fuzz::write_input(coordinates, "coordinates.tsv");
  const std::string metadata_path = fuzz::write_input(metadata.value_or(""), "metadata.tsv");
  fuzz::expect_only_foci_errors([&] {
    fuzz::check_findings_round_trip(import_neurosynth(coordinates_path, metadata_path),
                                    "an imported Neurosynth table");
  });
  return 0;
}
