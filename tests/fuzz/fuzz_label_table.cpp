// Label tables (atlas/label_table.cpp): the bytes read as an MRIcron .nii.txt table, as FSL
// atlas XML (value offsets 0 and 1, as Harvard-Oxford uses) and as a TSV table.
#include "atlas/label_table.hpp"
#include "fuzz_common.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace foci;
  const auto bytes = fuzz::as_text(data, size);
  const std::string txt = fuzz::write_input(bytes, "labels.nii.txt");
  const std::string xml = fuzz::write_input(bytes, "labels.xml");
  const std::string tsv = fuzz::write_input(bytes, "labels.tsv");
  const auto use = [](const LabelTable& table) {
    for (const auto& e : table.entries()) {
      if (table.find(e.value) != &e) fuzz::bug("LabelTable::find does not find an entry");
    }
  };
  fuzz::expect_only_foci_errors([&] { use(read_mricron_labels(txt)); });
  fuzz::expect_only_foci_errors([&] { use(read_fsl_xml_labels(xml, 0)); });
  fuzz::expect_only_foci_errors([&] { use(read_fsl_xml_labels(xml, 1)); });
  fuzz::expect_only_foci_errors([&] { use(read_tsv_labels(tsv)); });
  return 0;
}
