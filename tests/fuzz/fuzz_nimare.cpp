// NiMARE dataset JSON (findings/import_nimare.cpp).
#include "findings/importers.hpp"
#include "fuzz_common.hpp"
#include "imported_findings.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace foci;
  const std::string path = fuzz::write_input(fuzz::as_text(data, size), "dataset.json");
  fuzz::expect_only_foci_errors(
      [&] { fuzz::check_findings_round_trip(import_nimare(path), "an imported NiMARE dataset"); });
  return 0;
}
