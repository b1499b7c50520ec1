// BrainNet Viewer .node and .edge files (findings/import_brainnet.cpp). The input is the
// .node text, then optionally a line "--edges--" and the .edge text.
#include "findings/importers.hpp"
#include "fuzz_common.hpp"
#include "imported_findings.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace foci;
  const auto [nodes, edges] = fuzz::split_two(fuzz::as_text(data, size), "\n--edges--\n");
  const std::string node_path = fuzz::write_input(nodes, "input.node");
  std::optional<std::string> edge_path;
  if (edges) edge_path = fuzz::write_input(*edges, "input.edge");
  fuzz::expect_only_foci_errors([&] {
    fuzz::check_findings_round_trip(import_brainnet(node_path, edge_path),
                                    "an imported BrainNet file");
  });
  return 0;
}
