// Coordinate tables (findings/coordinate_table.cpp), TSV and CSV, with and without region
// rows, and the TSV importer built on them (findings/import_tsv.cpp).
#include "findings/coordinate_table.hpp"
#include "findings/importers.hpp"
#include "fuzz_common.hpp"
#include "imported_findings.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace foci;
  const auto bytes = fuzz::as_text(data, size);
  for (const char* name : {"points.tsv", "points.csv"}) {
    const std::string path = fuzz::write_input(bytes, name);
    fuzz::expect_only_foci_errors(
        [&] { (void)read_coordinate_table(path, CoordinateSpace::mni, RegionRows::refused); });
    fuzz::expect_only_foci_errors([&] {
      (void)read_coordinate_table(path, CoordinateSpace::talairach, RegionRows::allowed);
    });
    fuzz::expect_only_foci_errors([&] {
      const FindingsFile file = import_coordinate_tsv(path, CoordinateSpace::mni);
      fuzz::check_findings_round_trip(file, "an imported TSV");
    });
  }
  return 0;
}
