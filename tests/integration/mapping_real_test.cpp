// Mapping the real files of other tools, and the MECT dataset, against the real atlases.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "atlas/nifti_io.hpp"
#include "findings/findings_json.hpp"
#include "findings/importers.hpp"
#include "mapping/mapping.hpp"
#include "mapping/mapping_outputs.hpp"
#include "render/scene_from_mapping.hpp"

namespace foci {
namespace {

namespace fs = std::filesystem;
const std::string kFormats = FOCI_SOURCE_DIR "/tests/fixtures";

bool have_mricron_data() { return fs::exists("/usr/share/mricron/templates/aal.nii.gz"); }

class MappingReal : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!have_mricron_data()) return;
    aal_ = new Atlas(Atlas::load(find_atlas_manifest("aal")));
    jhu_ = new Atlas(Atlas::load(find_atlas_manifest("jhu-wm")));
    lexicon_ = new RegionLexicon(RegionLexicon::load_default());
    const auto ch2bet = find_atlas_manifest("ch2bet");
    mask_ = new LabelVolume(read_label_volume(locate_atlas_file(ch2bet, ch2bet.volume_file)));
  }
  static void TearDownTestSuite() {
    delete aal_;
    delete jhu_;
    delete lexicon_;
    delete mask_;
  }
  void SetUp() override {
    if (!have_mricron_data()) GTEST_SKIP() << "mricron-data is not installed";
  }
  MappingResult map(const FindingsFile& file) const {
    MappingRequest request;
    request.atlases = {aal_, jhu_};
    request.lexicon = lexicon_;
    request.brain_mask = mask_;
    std::vector<FindingInput> inputs;
    for (const auto& f : file.findings) inputs.push_back({"input", &f, &file});
    return map_findings(inputs, request);
  }
  static Atlas* aal_;
  static Atlas* jhu_;
  static RegionLexicon* lexicon_;
  static LabelVolume* mask_;
};
Atlas* MappingReal::aal_ = nullptr;
Atlas* MappingReal::jhu_ = nullptr;
RegionLexicon* MappingReal::lexicon_ = nullptr;
LabelVolume* MappingReal::mask_ = nullptr;

void expect_all_mapped(const FindingsFile& file, const MappingResult& r, const std::string& what) {
  EXPECT_EQ(r.input_count, file.findings.size()) << what;
  EXPECT_EQ(r.mapped.size(), file.findings.size()) << what;
  EXPECT_TRUE(r.unmapped.empty()) << what << ": " << r.unmapped.front().reason;
  std::size_t locations = 0;
  for (const auto& f : file.findings) locations += f.is_connection() ? 2 : 1;
  EXPECT_EQ(r.placement_count(), locations) << what << ": one placement per coordinate";
}

TEST_F(MappingReal, OtherToolsFilesMapWithEqualCounts) {
  const std::vector<std::pair<std::string, FindingsFile>> inputs = {
      {"BrainNet AAL90 + edges",
       import_brainnet(kFormats + "/brainnet/AAL90/Node_AAL90.node",
                       kFormats + "/brainnet/AAL90/Edge_AAL90_Binary.edge")},
      {"BrainNet Power264",
       import_brainnet(kFormats + "/brainnet/Power264/Node_Power264.node", std::nullopt)},
      {"Sleuth 1+2", import_sleuth({kFormats + "/sleuth/test_sleuth_file.txt",
                                    kFormats + "/sleuth/test_sleuth_file2.txt"})},
      {"NiMARE pain", import_nimare(kFormats + "/nimare/test_pain_dataset.json")},
      {"NiMARE neurosynth", import_nimare(kFormats + "/nimare/neurosynth_dset.json")},
      {"Neurosynth",
       import_neurosynth(kFormats + "/neurosynth/data-neurosynth_version-7_coordinates.tsv.gz",
                         kFormats + "/neurosynth/data-neurosynth_version-7_metadata.tsv.gz")}};
  for (const auto& [what, file] : inputs) expect_all_mapped(file, map(file), what);
}

TEST_F(MappingReal, BrainNetAal90NodesLandInTheAalRegionsTheyAreNamedFor) {
  // BrainNet's AAL90 nodes are AAL centroids named by AAL abbreviations: mapping them must
  // raise no label-mismatch or side-flip, and a flipped copy must raise side-flips.
  FindingsFile file = import_brainnet(kFormats + "/brainnet/AAL90/Node_AAL90.node", std::nullopt);
  const auto r = map(file);
  std::size_t mismatches = 0, flips = 0;
  for (const auto& m : r.mapped) {
    for (const auto& w : m.warnings) {
      mismatches += w.code == "label-mismatch";
      flips += w.code == "side-flip";
    }
  }
  EXPECT_LE(mismatches, 3u) << "centroids of curved regions may fall just outside them";
  EXPECT_EQ(flips, 0u);
  // The excerpt's nodes are the first 30 of AAL90, each named for one side (".L" or ".R"):
  // mirrored, every one must raise a side-flip, but for as many as may fall outside.
  std::size_t sided = 0;
  for (auto& f : file.findings) {
    const std::string name = f.location->region.value_or("");
    sided += name.size() > 2 &&
             (name.substr(name.size() - 2) == ".L" || name.substr(name.size() - 2) == ".R");
    f.location->coordinate->point.x *= -1;
  }
  EXPECT_EQ(sided, 30u);
  std::size_t flipped = 0;
  for (const auto& m : map(file).mapped) {
    for (const auto& w : m.warnings) flipped += w.code == "side-flip";
  }
  EXPECT_GE(flipped, sided - 3);
}

TEST_F(MappingReal, MectMapsWithNothingUnmappedAndMatchesItsReviewedSummary) {
  const fs::path dir = fs::path(FOCI_SOURCE_DIR) / "findings" / "mect";
  std::vector<FindingsFile> files;
  const char* names[] = {"claims.json", "connectivity.json", "functional.json", "structure.json"};
  for (const char* name : names) files.push_back(read_findings_file((dir / name).string()));
  MappingRequest request;
  request.atlases = {aal_, jhu_};
  request.lexicon = lexicon_;
  request.brain_mask = mask_;
  std::vector<FindingInput> inputs;
  for (std::size_t n = 0; n < files.size(); ++n) {
    for (const auto& f : files[n].findings) {
      inputs.push_back({std::string("findings/mect/") + names[n], &f, &files[n]});
    }
  }
  const auto result = map_findings(inputs, request);
  EXPECT_EQ(result.unmapped.size(), 0u);
  EXPECT_EQ(result.mapped.size(), inputs.size());
  MappingRecord record;
  for (const char* name : names) record.inputs.push_back(std::string("findings/mect/") + name);
  record.atlases = {"aal", "jhu-wm"};
  record.brain_mask = true;
  const std::string regenerated = summary_markdown(result, record, *lexicon_);
  std::ifstream in(dir / "summary.md");
  std::stringstream committed;
  committed << in.rdbuf();
  EXPECT_EQ(regenerated, committed.str())
      << "findings/mect/summary.md is out of date; regenerate it with\n  foci map "
         "findings/mect/*.json --atlas aal,jhu-wm --out DIR\nand review the difference";
}

// A finding on a whole hemisphere and one on the left hippocampus: the hemisphere is a
// coarse region (the lexicon's extent), one surface of all its labels drawn as a tint with
// its own legend entry, or, with CoarseStyle::omit, left out and named in the caption.
TEST_F(MappingReal, AHemisphereFindingIsCoarseAndTheHippocampusSpecific) {
  const auto parsed = parse_findings(nlohmann::json::parse(R"({"foci_findings": 1, "title": "t",
    "source": {"citation": "c"}, "studies": [{"id": "s", "citation": "s"}], "findings": [
    {"id": "hemi", "study": "s", "measure": "T1 relaxation", "direction": "increase",
     "location": {"region": "左侧大脑半球"}, "source_anchor": "test"},
    {"id": "hip", "study": "s", "measure": "grey-matter volume", "direction": "decrease",
     "location": {"region": "左侧海马"}, "source_anchor": "test"}]})"));
  ASSERT_TRUE(parsed.problems.empty());
  const auto mapped = map(parsed.file);
  ASSERT_EQ(mapped.mapped.size(), 2u);
  const std::vector<const Atlas*> atlases{aal_, jhu_};
  SceneOptions options;
  Panel tinted;
  fill_panel(tinted, mapped, {}, atlases, *lexicon_, options);
  std::size_t coarse = 0, specific = 0;
  for (const auto& r : tinted.regions) {
    if (r.coarse) {
      ++coarse;
      EXPECT_GT(r.labels.size(), 30u) << "the hemisphere is one surface of all its labels";
      EXPECT_EQ(r.side, Hemisphere::left);
      EXPECT_EQ(r.name, "cerebral hemisphere");
    } else {
      ++specific;
      EXPECT_EQ(r.name, "hippocampus");
    }
  }
  EXPECT_EQ(coarse, 1u);
  EXPECT_EQ(specific, 1u);
  bool tint_legend = false;
  for (const auto& e : tinted.legend) tint_legend |= e.text == "tint, lobe or hemisphere: increase";
  EXPECT_TRUE(tint_legend);
  EXPECT_TRUE(tinted.caption.empty());

  options.coarse = CoarseStyle::omit;
  Panel omitted;
  fill_panel(omitted, mapped, {}, atlases, *lexicon_, options);
  ASSERT_EQ(omitted.regions.size(), 1u);
  EXPECT_EQ(omitted.regions[0].name, "hippocampus");
  EXPECT_EQ(omitted.caption,
            "Not drawn (cover a lobe or more): left cerebral hemisphere (T1 relaxation)");
}

// Tint entries follow the colours' own order (increase, decrease, both, ...) whatever order
// the lobes come in: here the frontal lobe's fall is placed before the temporal lobe's rise.
TEST_F(MappingReal, TintLegendEntriesComeInTheColoursOrder) {
  const auto parsed = parse_findings(nlohmann::json::parse(R"({"foci_findings": 1, "title": "t",
    "source": {"citation": "c"}, "studies": [{"id": "s", "citation": "s"}], "findings": [
    {"id": "fall", "study": "s", "measure": "cortical thickness", "direction": "decrease",
     "location": {"region": "额叶"}, "source_anchor": "test"},
    {"id": "rise", "study": "s", "measure": "cortical thickness", "direction": "increase",
     "location": {"region": "颞叶"}, "source_anchor": "test"},
    {"id": "hip-up", "study": "s", "measure": "grey-matter volume", "direction": "increase",
     "location": {"region": "左侧海马"}, "source_anchor": "test"},
    {"id": "hip-down", "study": "s", "measure": "grey-matter volume", "direction": "decrease",
     "location": {"region": "右侧海马"}, "source_anchor": "test"}]})"));
  ASSERT_TRUE(parsed.problems.empty());
  const auto mapped = map(parsed.file);
  const std::vector<const Atlas*> atlases{aal_, jhu_};
  Panel panel;
  fill_panel(panel, mapped, {}, atlases, *lexicon_, SceneOptions{});
  std::vector<std::string> texts;
  for (const auto& e : panel.legend) texts.push_back(e.text);
  const auto at = [&](const std::string& text) {
    return std::find(texts.begin(), texts.end(), text) - texts.begin();
  };
  const auto increase = at("increase"), decrease = at("decrease"),
             tint_increase = at("tint, lobe or hemisphere: increase"),
             tint_decrease = at("tint, lobe or hemisphere: decrease");
  ASSERT_LT(tint_increase, static_cast<long>(texts.size())) << testing::PrintToString(texts);
  ASSERT_LT(tint_decrease, static_cast<long>(texts.size())) << testing::PrintToString(texts);
  EXPECT_LT(increase, decrease);
  EXPECT_LT(tint_increase, tint_decrease) << testing::PrintToString(texts);
}

}  // namespace
}  // namespace foci
