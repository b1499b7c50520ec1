// Importers on excerpts of the real files of other tools (tests/fixtures, see its README) and
// on small files written here; exporters read back by the importers.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "core/error.hpp"
#include "core/text.hpp"
#include "findings/exporters.hpp"
#include "findings/findings_json.hpp"
#include "findings/importers.hpp"
#include "nifti_fixture.hpp"

namespace foci {
namespace {

const std::string kFormats = FOCI_SOURCE_DIR "/tests/fixtures";

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

void expect_valid(const FindingsFile& file) {
  const auto parsed = parse_findings(to_json(file));
  EXPECT_TRUE(parsed.problems.empty())
      << parsed.problems.front().pointer << ": " << parsed.problems.front().message;
}

std::size_t experiments_of(const FindingsFile& f) {
  std::set<std::string> experiments;
  for (const auto& finding : f.findings) experiments.insert(finding.imported.at("experiment"));
  return experiments.size();
}

TEST(FindingsImporters, SleuthCountsFociAndExperiments) {
  const auto one = import_sleuth({kFormats + "/sleuth/test_sleuth_file.txt"});
  ASSERT_EQ(one.findings.size(), 7u);
  EXPECT_EQ(experiments_of(one), 3u);
  EXPECT_EQ(one.findings.back().contrast, "ExperimentName; ExperimentName2; ExperimentName3");
  EXPECT_EQ(one.findings.front().sample_size, 50);
  EXPECT_EQ(one.findings.back().sample_size, 20);
  expect_valid(one);
  const auto both = import_sleuth(
      {kFormats + "/sleuth/test_sleuth_file.txt", kFormats + "/sleuth/test_sleuth_file2.txt"});
  ASSERT_EQ(both.findings.size(), 11u);
  EXPECT_EQ(experiments_of(both), 5u);
  EXPECT_EQ(both.findings.back().location->coordinate->space, CoordinateSpace::talairach);
  EXPECT_EQ(both.findings.front().location->coordinate->space, CoordinateSpace::mni);
  expect_valid(both);
}

TEST(FindingsImporters, SleuthRefusesTheMalformedFiles) {
  EXPECT_NE(error_of([] {
              import_sleuth({kFormats + "/sleuth/test_sleuth_file3.txt"});
            }).find("test_sleuth_file3.txt:5: 'dog' is not a number"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              import_sleuth({kFormats + "/sleuth/test_sleuth_file4.txt"});
            }).find("test_sleuth_file4.txt:5: expected a coordinate 'x y z', got 2"),
            std::string::npos);
  EXPECT_NE(error_of([] {
              import_sleuth({kFormats + "/sleuth/test_sleuth_file5.txt"});
            }).find("test_sleuth_file5.txt:1: Reference must be MNI or Talairach, got 'Dog'"),
            std::string::npos);
}

/// Node rows of a BrainNet file, counted independently of the importer.
std::size_t node_rows(const std::string& path) {
  std::ifstream in(path);
  std::size_t rows = 0;
  for (std::string line; std::getline(in, line);) {
    const auto t = trim(line);
    rows += !t.empty() && t[0] != '#';
  }
  return rows;
}

TEST(FindingsImporters, EveryBrainNetNodeFileKeepsEveryNode) {
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(kFormats + "/brainnet")) {
    if (entry.path().extension() != ".node") continue;
    ++files;
    const auto imported = import_brainnet(entry.path().string(), std::nullopt);
    EXPECT_GT(node_rows(entry.path().string()), 0u) << entry.path();
    EXPECT_EQ(imported.findings.size(), node_rows(entry.path().string())) << entry.path();
    expect_valid(imported);
  }
  EXPECT_EQ(files, 10);
  const auto power =
      import_brainnet(kFormats + "/brainnet/Power264/Node_Power264.node", std::nullopt);
  ASSERT_FALSE(power.findings.empty());
  EXPECT_FALSE(power.findings.front().location->region) << "label '-' means no region";
  const auto aal = import_brainnet(kFormats + "/brainnet/AAL90/Node_AAL90.node", std::nullopt);
  ASSERT_FALSE(aal.findings.empty());
  EXPECT_EQ(aal.findings.front().location->region, "PreCG.L");
  EXPECT_EQ(aal.findings.front().imported.at("size"), "4.96");
}

TEST(FindingsImporters, BrainNetEdgesBecomeConnections) {
  const std::string dir = kFormats + "/brainnet/AAL90/";
  const auto f = import_brainnet(dir + "Node_AAL90.node", dir + "Edge_AAL90_Binary.edge");
  // Count non-zero cells above the diagonal straight from the file.
  std::ifstream in(dir + "Edge_AAL90_Binary.edge");
  std::size_t expected = 0, row = 0;
  for (std::string line; std::getline(in, line);) {
    const auto cells = split_whitespace(line);
    if (cells.empty() || cells[0][0] == '#') continue;
    for (std::size_t c = row + 1; c < cells.size(); ++c) expected += std::stod(cells[c]) != 0;
    ++row;
  }
  std::size_t connections = 0;
  for (const auto& finding : f.findings) connections += finding.is_connection();
  EXPECT_GT(expected, 0u) << "the excerpt keeps some edges";
  EXPECT_EQ(connections, expected);
  // The excerpt keeps the first 30 of the 90 nodes and the 30 x 30 block of the matrix.
  EXPECT_EQ(f.findings.size() - connections, 30u);
  expect_valid(f);
}

// BrainNet's LPBA40 example pairs 56 nodes with a 40 x 40 matrix; the excerpt keeps the
// mismatch, 14 nodes against the 10 x 10 block.
TEST(FindingsImporters, BrainNetRefusesLpba40NodesAgainstASmallerMatrix) {
  const std::string dir = kFormats + "/brainnet/LPBA40/";
  const auto message =
      error_of([&] { import_brainnet(dir + "Node_LPBA40.node", dir + "Edge_LPBA40.edge"); });
  EXPECT_NE(message.find("Edge_LPBA40.edge: the edge matrix has 10 rows but"), std::string::npos)
      << message;
  EXPECT_NE(message.find("has 14 nodes"), std::string::npos) << message;
}

TEST(FindingsImporters, NimareDatasetsKeepEveryFocusAndItsSpace) {
  // The excerpts: pain_01 (images only, no foci), pain_06, pain_11 and pain_15 (4 MNI foci
  // each); Neurosynth studies 9593960 (1 MNI focus), 9728909 (6 MNI) and 9770542 (22 TAL).
  const auto pain = import_nimare(kFormats + "/nimare/test_pain_dataset.json");
  EXPECT_EQ(pain.findings.size(), 12u);
  for (const auto& f : pain.findings) {
    EXPECT_EQ(f.location->coordinate->space, CoordinateSpace::mni) << f.id;
    EXPECT_TRUE(f.sample_size.has_value()) << f.id << ": sample_sizes goes to sample_size";
  }
  expect_valid(pain);
  const auto ns = import_nimare(kFormats + "/nimare/neurosynth_dset.json");
  EXPECT_EQ(ns.findings.size(), 29u);
  std::size_t talairach = 0;
  for (const auto& f : ns.findings) {
    talairach += f.location->coordinate->space == CoordinateSpace::talairach;
  }
  EXPECT_EQ(talairach, 22u);
  expect_valid(ns);
}

TEST(FindingsImporters, NeurosynthKeepsEveryPeak) {
  // The excerpt: studies 9065511 (MNI, 10 peaks), 9185551 (TAL, 11), 9412517 (TAL, 4) and
  // 9593960 (UNKNOWN, 1), gzipped as Neurosynth ships them.
  const auto f =
      import_neurosynth(kFormats + "/neurosynth/data-neurosynth_version-7_coordinates.tsv.gz",
                        kFormats + "/neurosynth/data-neurosynth_version-7_metadata.tsv.gz");
  EXPECT_EQ(f.findings.size(), 26u);
  EXPECT_EQ(f.studies.size(), 4u);
  std::size_t talairach = 0, unknown = 0;
  for (const auto& finding : f.findings) {
    talairach += finding.location->coordinate->space == CoordinateSpace::talairach;
    if (finding.imported.count("space")) {
      ++unknown;
      EXPECT_EQ(finding.study, "ns9593960");
      EXPECT_EQ(finding.imported.at("space"), "UNKNOWN (read as MNI)");
    }
  }
  EXPECT_EQ(talairach, 15u);
  EXPECT_EQ(unknown, 1u);
  expect_valid(f);
}

class FindingsTsvImport : public ::testing::Test {
 protected:
  std::string file(const std::string& text) {
    const auto path = dir_.path("points.tsv");
    testing::write_text(path, text);
    return path;
  }
  testing::TempDir dir_;
};

TEST_F(FindingsTsvImport, ReadsOptionalColumnsAndEmptyCells) {
  const auto f = import_coordinate_tsv(
      file("x\ty\tz\tspace\tvoxels\tdirection\tregion\themisphere\tstudy\tmeasure\tnote\n"
           "-28\t-18\t-18\t\t120\tincrease\thippocampus\tleft\tLi 2020\tReHo\tpeak 1\n"
           "30\t-10\t-20\tTalairach\t\t\t\t\t\t\t\n"),
      CoordinateSpace::mni);
  ASSERT_EQ(f.findings.size(), 2u);
  const auto& a = f.findings[0];
  EXPECT_EQ(a.direction, Direction::increase);
  EXPECT_EQ(*a.cluster->voxels, 120);
  EXPECT_EQ(a.location->hemisphere, Hemisphere::left);
  EXPECT_EQ(a.study, "Li-2020");
  EXPECT_EQ(a.imported.at("note"), "peak 1");
  const auto& b = f.findings[1];
  EXPECT_FALSE(b.direction) << "an empty cell is not reported";
  EXPECT_FALSE(b.measure);
  EXPECT_EQ(b.location->coordinate->space, CoordinateSpace::talairach);
  expect_valid(f);
}

TEST_F(FindingsTsvImport, RefusesAnUnknownDirection) {
  const auto path = file("x\ty\tz\tdirection\n1\t2\t3\tup\n");
  EXPECT_NE(error_of([&] {
              import_coordinate_tsv(path, CoordinateSpace::mni);
            }).find(path + ":2: column 'direction': expected one of increase"),
            std::string::npos);
}

TEST_F(FindingsTsvImport, AcceptsUtf8ByteOrderMark) {
  const auto f = import_coordinate_tsv(file("\xEF\xBB\xBFx\ty\tz\tdirection\n1\t2\t3\tincrease\n"),
                                       CoordinateSpace::mni);
  ASSERT_EQ(f.findings.size(), 1u);
  EXPECT_DOUBLE_EQ(f.findings[0].location->coordinate->point.x, 1);
  EXPECT_TRUE(f.findings[0].imported.empty()) << "no '\\ufeffx' column carried along";
}

TEST_F(FindingsTsvImport, ReadsExcelCsvWithQuotedCommasAndNewlines) {
  const auto path = dir_.path("table.csv");
  testing::write_text(path,
                      "x,y,z,region,note\r\n"
                      "-28,-18,-18,\"hippocampus, left\",\"first\r\nsecond\"\r\n"
                      "30,4,-20,amygdala,\r\n");
  const auto f = import_coordinate_tsv(path, CoordinateSpace::mni);
  ASSERT_EQ(f.findings.size(), 2u);
  EXPECT_EQ(f.findings[0].location->region, "hippocampus, left");
  EXPECT_EQ(f.findings[0].imported.at("note"), "first\nsecond");
  EXPECT_EQ(f.findings[1].source_anchor, "table.csv:4") << "the row starts on line 4";
  expect_valid(f);
}

TEST_F(FindingsTsvImport, ImportsRegionRowsWithoutCoordinates) {
  // A review's table: region names in Chinese, a direction, no coordinates.
  const auto f = import_coordinate_tsv(file("study\tregion\themisphere\tdirection\tmeasure\n"
                                            "张三 2020\t海马\tright\tincrease\tgrey-matter volume\n"
                                            "李四 2020\t杏仁核\t\tdecrease\t\n"),
                                       CoordinateSpace::mni);
  ASSERT_EQ(f.findings.size(), 2u);
  const auto& a = f.findings[0];
  EXPECT_EQ(a.location->region, "海马");
  EXPECT_FALSE(a.location->coordinate);
  EXPECT_EQ(a.location->hemisphere, Hemisphere::right);
  EXPECT_EQ(a.direction, Direction::increase);
  EXPECT_EQ(f.findings[1].direction, Direction::decrease);
  EXPECT_EQ(f.findings[1].location->region, "杏仁核");
  expect_valid(f);

  // An x y z table may mix in region-only rows; a row with neither is refused.
  const auto mixed = import_coordinate_tsv(file("x\ty\tz\tregion\n-28\t-18\t-18\t\n\t\t\tDLPFC\n"),
                                           CoordinateSpace::mni);
  ASSERT_EQ(mixed.findings.size(), 2u);
  EXPECT_TRUE(mixed.findings[0].location->coordinate);
  EXPECT_FALSE(mixed.findings[1].location->coordinate);
  EXPECT_EQ(mixed.findings[1].location->region, "DLPFC");
  expect_valid(mixed);
  const auto path = file("x\ty\tz\tregion\tdirection\n\t\t\t\tincrease\n");
  EXPECT_NE(error_of([&] {
              import_coordinate_tsv(path, CoordinateSpace::mni);
            }).find(path + ":2: the row has neither a coordinate"),
            std::string::npos);
  const auto neither = file("study\tdirection\nA\tincrease\n");
  EXPECT_NE(error_of([&] {
              import_coordinate_tsv(neither, CoordinateSpace::mni);
            }).find("needs x, y and z in mm; a table of regions needs region"),
            std::string::npos);
}

TEST_F(FindingsTsvImport, ChineseStudyNamesGiveDistinctIds) {
  const auto f = import_coordinate_tsv(
      file("study\tregion\n张三 2020\t海马\n李四 2020\t海马\n张三 2020\t杏仁核\n"),
      CoordinateSpace::mni);
  ASSERT_EQ(f.studies.size(), 2u) << "two studies, one named twice";
  EXPECT_NE(f.studies[0].id, f.studies[1].id);
  EXPECT_EQ(f.findings[0].study, f.findings[2].study);
  EXPECT_EQ(f.studies[0].citation, "张三 2020") << "the citation keeps the name as written";
  expect_valid(f);
}

TEST(FindingsImporters, MakeIdKeepsNamesInOtherScriptsApart) {
  EXPECT_EQ(make_id("Li 2020"), "Li-2020") << "ASCII names are unchanged";
  EXPECT_EQ(make_id(""), "study");
  const auto zhang = make_id("张三 2020"), li = make_id("李四 2020");
  EXPECT_NE(zhang, li);
  EXPECT_EQ(zhang, make_id("张三 2020")) << "the same name gives the same id every time";
  EXPECT_EQ(zhang.rfind("2020-", 0), 0u) << zhang;
  EXPECT_NE(make_id("张三"), make_id("李四"));
  for (const auto& id : {zhang, li, make_id("张三")}) {
    EXPECT_TRUE(std::regex_match(id, std::regex("[A-Za-z0-9_.-]+"))) << id;
  }
}

TEST(FindingsImporters, TextReadersAcceptUtf8ByteOrderMark) {
  testing::TempDir dir;
  const auto sleuth = dir.path("foci.txt");
  testing::write_text(sleuth, "\xEF\xBB\xBF// Reference=Talairach\n// Study A\n1 2 3\n");
  const auto s = import_sleuth({sleuth});
  ASSERT_EQ(s.findings.size(), 1u);
  EXPECT_EQ(s.findings[0].location->coordinate->space, CoordinateSpace::talairach);
  const auto node = dir.path("a.node");
  testing::write_text(node, "\xEF\xBB\xBF-28 -18 -18 1 1 hip\n");
  const auto b = import_brainnet(node, std::nullopt);
  ASSERT_EQ(b.findings.size(), 1u);
  EXPECT_DOUBLE_EQ(b.findings[0].location->coordinate->point.x, -28);
  const auto utf16 = dir.path("u16.node");
  testing::write_text(utf16, std::string("\xFF\xFE-\0002\0008\0", 8));
  EXPECT_NE(error_of([&] {
              import_brainnet(utf16, std::nullopt);
            }).find(utf16 + ":1: the file is UTF-16"),
            std::string::npos);
}

TEST(FindingsExporters, BrainNetAndSleuthReadBackTheSameCoordinates) {
  testing::TempDir dir;
  const auto tsv = dir.path("in.tsv");
  testing::write_text(
      tsv,
      "x\ty\tz\tdirection\tstudy\tregion\n-28\t-18\t-18\tincrease\ta\tleft hippocampus\n"
      "30\t-10\t-20\tdecrease\ta\t\n40\t20\t10\t\tb\t\n");
  FindingsFile file = import_coordinate_tsv(tsv, CoordinateSpace::mni);
  ASSERT_EQ(file.studies.size(), 2u);
  file.studies[0].patients = 20;
  file.studies[1].patients = 12;
  file.studies[1].controls = 10;

  const auto nodes = export_brainnet(file, kDefaultTalairachTransform);
  EXPECT_TRUE(nodes.left_out.empty());
  const auto node_path = dir.path("out.node");
  testing::write_text(node_path, nodes.main);
  const auto back = import_brainnet(node_path, std::nullopt);
  ASSERT_EQ(back.findings.size(), 3u);
  EXPECT_DOUBLE_EQ(back.findings[0].location->coordinate->point.x, -28);
  EXPECT_EQ(back.findings[0].imported.at("colour"), "1") << "increase is colour 1";
  EXPECT_EQ(back.findings[1].imported.at("colour"), "2") << "decrease is colour 2";
  EXPECT_EQ(back.findings[0].location->region, "left_hippocampus");

  const auto sleuth = export_sleuth(file, kDefaultTalairachTransform);
  const auto sleuth_path = dir.path("out.txt");
  testing::write_text(sleuth_path, sleuth.main);
  const auto reread = import_sleuth({sleuth_path});
  ASSERT_EQ(reread.findings.size(), 3u);
  EXPECT_EQ(reread.findings[2].sample_size, 22);
  EXPECT_DOUBLE_EQ(reread.findings[1].location->coordinate->point.z, -20);
}

TEST(FindingsExporters, RegionOnlyFindingsAreNamedNotDropped) {
  FindingsFile file;
  file.studies.push_back({});
  file.studies[0].id = "s";
  Finding f;
  f.id = "only-a-region";
  f.study = "s";
  f.location = Location{std::string("右侧海马"), Hemisphere::right, std::nullopt};
  f.source_anchor = "Table 1";
  file.findings.push_back(f);
  const auto result = export_brainnet(file, kDefaultTalairachTransform);
  ASSERT_EQ(result.left_out.size(), 1u);
  EXPECT_NE(result.left_out[0].find("only-a-region"), std::string::npos);
  const auto tsv = export_tsv(file);
  EXPECT_NE(tsv.main.find("only-a-region\ts\t\t\t\t\t\t\t右侧海马\tright"), std::string::npos)
      << tsv.main;
}

}  // namespace
}  // namespace foci
