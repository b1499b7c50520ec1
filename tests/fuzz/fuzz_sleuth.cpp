// Sleuth / GingerALE text (findings/import_sleuth.cpp).
#include "findings/importers.hpp"
#include "fuzz_common.hpp"
#include "imported_findings.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace foci;
  const std::string path = fuzz::write_input(fuzz::as_text(data, size), "sleuth.txt");
  fuzz::expect_only_foci_errors(
      [&] { fuzz::check_findings_round_trip(import_sleuth({path}), "an imported Sleuth file"); });
  return 0;
}
