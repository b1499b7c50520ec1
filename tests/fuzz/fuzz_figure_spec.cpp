// Figure specs (batch/figure_spec.cpp).
#include "batch/figure_spec.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace foci;
  const std::string path = fuzz::write_input(fuzz::as_text(data, size), "figures.json");
  fuzz::expect_only_foci_errors([&] {
    const SpecFile spec = read_spec_file(path);
    if (spec.findings.empty()) fuzz::bug("read_spec_file: a spec without findings files");
  });
  return 0;
}
