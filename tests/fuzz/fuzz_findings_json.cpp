// Findings files (findings/findings_json.cpp): validate_findings_file and read_findings_file
// on the bytes; a file that reads must write back as JSON that validates again, and export.
#include "findings/findings_json.hpp"
#include "fuzz_common.hpp"
#include "imported_findings.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace foci;
  const std::string path = fuzz::write_input(fuzz::as_text(data, size), "findings.json");
  fuzz::expect_only_foci_errors([&] { (void)validate_findings_file(path); });
  fuzz::expect_only_foci_errors([&] {
    const FindingsFile file = read_findings_file(path);
    fuzz::check_findings_round_trip(file, "a findings file written back");
    fuzz::export_everything(file);
  });
  return 0;
}
