// Importers on excerpts of the real files of other tools (tests/fixtures, see its README) and
// on small files written here; exporters read back by the importers.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cctype>
#include <filesystem>
#include <fstream>
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

/// Letters, digits, '_', '.' and '-' only, as the findings format wants ids.
bool is_plain_id(const std::string& id) {
  if (id.empty() || id.size() > kMaxIdLength) return false;
  for (const char c : id) {
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0x80 || !(std::isalnum(byte) || c == '_' || c == '.' || c == '-')) return false;
  }
  return true;
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

TEST(FindingsImporters, SleuthSkipsABareCommentAndRefusesAContrastWithoutItsStudy) {
  // Found by fuzzing: "//" alone became a study with an empty citation, which the findings
  // schema refuses, so `foci import` failed with an internal error.
  testing::TempDir dir;
  const std::string bare = dir.path("bare.txt");
  testing::write_text(bare, "// Reference=MNI\n//\n// Smith 2020: ECT > sham\n1 2 3\n");
  const auto file = import_sleuth({bare});
  ASSERT_EQ(file.studies.size(), 1u);
  EXPECT_EQ(file.studies.front().citation, "Smith 2020");
  EXPECT_EQ(file.findings.size(), 1u);
  expect_valid(file);
  const std::string nameless = dir.path("nameless.txt");
  testing::write_text(nameless, "// Reference=MNI\n//: ECT > sham\n1 2 3\n");
  EXPECT_NE(error_of([&] { import_sleuth({nameless}); })
                .find("nameless.txt:2: a '//' line with a contrast but no study name"),
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
    EXPECT_TRUE(is_plain_id(id)) << id;
  }
}

TEST(FindingsImporters, MakeIdCutsALongNameToFitAndKeepsItsHash) {
  const std::string name(26000, 'a');
  const auto id = make_id(name);
  EXPECT_LE(id.size(), kMaxMadeIdLength);
  EXPECT_TRUE(is_plain_id(id)) << id;
  EXPECT_NE(make_id(name + "b"), id) << "names that differ after the cut still differ";
  EXPECT_EQ(make_id(std::string(kMaxMadeIdLength, 'a')), std::string(kMaxMadeIdLength, 'a'))
      << "a name that fits is kept whole";
}

TEST(FindingsImporters, IdMakerGivesEveryNameItsOwnId) {
  IdMaker ids;
  // make_id writes both names "Smith-2020": the second gets a suffix.
  const auto [smith, first] = ids.id_of("Smith 2020");
  EXPECT_EQ(smith, "Smith-2020");
  EXPECT_TRUE(first);
  const auto [other, new_name] = ids.id_of("Smith-2020");
  EXPECT_EQ(other, "Smith-2020-2");
  EXPECT_TRUE(new_name);
  const auto [again, seen_before] = ids.id_of("Smith 2020");
  EXPECT_EQ(again, "Smith-2020");
  EXPECT_FALSE(seen_before) << "the same name, the same id";
  EXPECT_EQ(ids.id_of("Smith 2020 ", "Smith-2020-2").first, "Smith-2020-2-2")
      << "a proposed id that is taken gets a suffix too";
  EXPECT_EQ(ids.claim("row-1"), "row-1");
  EXPECT_EQ(ids.claim("row-1"), "row-1-2");
}

/// Imports the same two studies, named in Chinese, through every importer that reads study
/// names, and checks they stay two studies.
TEST(FindingsImporters, ChineseStudyNamesAreNeverMergedInAnyFormat) {
  testing::TempDir dir;
  const auto check = [](const FindingsFile& f, const std::string& format) {
    SCOPED_TRACE(format);
    ASSERT_EQ(f.studies.size(), 2u) << "张三 2020 and 李四 2020 became one study";
    EXPECT_NE(f.studies[0].id, f.studies[1].id);
    ASSERT_EQ(f.findings.size(), 2u);
    EXPECT_NE(f.findings[0].study, f.findings[1].study);
    expect_valid(f);
  };
  testing::write_text(dir.path("t.tsv"),
                      "study\tx\ty\tz\n张三 2020\t1\t2\t3\n李四 2020\t4\t5\t6\n");
  const auto tsv = import_coordinate_tsv(dir.path("t.tsv"), CoordinateSpace::mni);
  check(tsv, "tsv");
  EXPECT_EQ(tsv.studies[1].citation, "李四 2020");

  testing::write_text(dir.path("s.txt"),
                      "// Reference=MNI\n// 张三 2020: 任务\n1 2 3\n\n// 李四 2020: 任务\n4 5 6\n");
  const auto sleuth = import_sleuth({dir.path("s.txt")});
  check(sleuth, "sleuth");
  EXPECT_EQ(sleuth.studies[0].citation, "张三 2020");
  EXPECT_EQ(sleuth.findings[1].contrast, "任务");

  testing::write_text(dir.path("n.json"), R"({
    "张三 2020": {"contrasts": {"1": {"coords": {"space": "MNI", "x": [1], "y": [2], "z": [3]}}}},
    "李四 2020": {"contrasts": {"1": {"coords": {"space": "MNI", "x": [4], "y": [5], "z": [6]}}}}
  })");
  const auto nimare = import_nimare(dir.path("n.json"));
  check(nimare, "nimare");
  EXPECT_NE(nimare.findings[0].id, nimare.findings[1].id);

  testing::write_text(dir.path("c.tsv"),
                      "id\ttable_id\ttable_num\tpeak_id\tx\ty\tz\n"
                      "张三\t1\t1\t1\t1\t2\t3\n李四\t1\t1\t1\t4\t5\t6\n");
  testing::write_text(dir.path("m.tsv"),
                      "id\tdoi\tspace\ttitle\tauthors\tyear\tjournal\n"
                      "张三\tn/a\tMNI\tT1\t张三\t2020\tJ\n李四\tn/a\tMNI\tT2\t李四\t2020\tJ\n");
  const auto neurosynth = import_neurosynth(dir.path("c.tsv"), dir.path("m.tsv"));
  check(neurosynth, "neurosynth");
  EXPECT_NE(neurosynth.findings[0].id, neurosynth.findings[1].id)
      << "the same peak id in two studies";
}

TEST(FindingsImporters, NamesThatMakeTheSameIdStayApart) {
  testing::TempDir dir;
  testing::write_text(dir.path("t.tsv"),
                      "study\tx\ty\tz\nSmith 2020\t1\t2\t3\nSmith-2020\t4\t5\t6\n");
  const auto tsv = import_coordinate_tsv(dir.path("t.tsv"), CoordinateSpace::mni);
  ASSERT_EQ(tsv.studies.size(), 2u);
  EXPECT_EQ(tsv.studies[0].id, "Smith-2020");
  EXPECT_EQ(tsv.studies[1].id, "Smith-2020-2");
  EXPECT_EQ(tsv.studies[1].citation, "Smith-2020");
  expect_valid(tsv);
  testing::write_text(dir.path("n.json"), R"({"s": {"contrasts": {
    "a b": {"coords": {"space": "MNI", "x": [1], "y": [2], "z": [3]}},
    "a-b": {"coords": {"space": "MNI", "x": [4], "y": [5], "z": [6]}}}}})");
  const auto nimare = import_nimare(dir.path("n.json"));
  ASSERT_EQ(nimare.findings.size(), 2u);
  EXPECT_NE(nimare.findings[0].id, nimare.findings[1].id) << "contrasts 'a b' and 'a-b'";
  expect_valid(nimare);
}

TEST(FindingsImporters, AStudyNameOf26000CharactersGetsAShortId) {
  // std::regex recursed over such an id when the import was checked; the id is now cut to fit
  // and the name kept whole as the citation.
  testing::TempDir dir;
  const std::string name(26000, 's');
  testing::write_text(dir.path("t.tsv"), "study\tx\ty\tz\n" + name + "\t1\t2\t3\n");
  const auto tsv = import_coordinate_tsv(dir.path("t.tsv"), CoordinateSpace::mni);
  ASSERT_EQ(tsv.studies.size(), 1u);
  EXPECT_LE(tsv.studies[0].id.size(), kMaxIdLength);
  EXPECT_EQ(tsv.studies[0].citation, name);
  expect_valid(tsv);
  testing::write_text(dir.path("s.txt"), "// Reference=MNI\n// " + name + ": c\n1 2 3\n");
  const auto sleuth = import_sleuth({dir.path("s.txt")});
  ASSERT_EQ(sleuth.studies.size(), 1u);
  EXPECT_LE(sleuth.studies[0].id.size(), kMaxIdLength);
  expect_valid(sleuth);
  // Beyond the limit of free text, the cell is refused where it is.
  testing::write_text(dir.path("huge.tsv"), "x\ty\tz\tstudy\n1\t2\t3\ta\n1\t2\t3\t" +
                                                std::string(kMaxTextLength + 1, 'h') + "\n");
  const auto message =
      error_of([&] { import_coordinate_tsv(dir.path("huge.tsv"), CoordinateSpace::mni); });
  EXPECT_NE(message.find(dir.path("huge.tsv") +
                         ":3: column 'study' is 100001 characters long; at most 100000"),
            std::string::npos)
      << message.substr(0, 300);
  EXPECT_LT(message.size(), 400u) << "the cell is not echoed whole";
  testing::write_text(dir.path("region.tsv"),
                      "x\ty\tz\tregion\n1\t2\t3\t" + std::string(kMaxNameLength + 1, 'r') + "\n");
  EXPECT_NE(error_of([&] {
              import_coordinate_tsv(dir.path("region.tsv"), CoordinateSpace::mni);
            }).find(":2: column 'region' is 1001 characters long; at most 1000"),
            std::string::npos);
}

TEST(FindingsImporters, CoordinatesBeyond1000MmAreInputErrorsInEveryFormat) {
  // They used to pass the importer and fail the check of its output: an internal error with
  // no file named.
  testing::TempDir dir;
  testing::write_text(dir.path("a.node"), "1 2 3 1 1 A\n-2000 0 0 1 1 B\n");
  EXPECT_NE(error_of([&] {
              import_brainnet(dir.path("a.node"), std::nullopt);
            }).find(dir.path("a.node") + ":2: field 1 (-2000 mm) is beyond +/-1000 mm"),
            std::string::npos);
  testing::write_text(dir.path("s.txt"), "// Reference=MNI\n// A: c\n1 2 3\n1 2 1e5\n");
  EXPECT_NE(error_of([&] {
              import_sleuth({dir.path("s.txt")});
            }).find(dir.path("s.txt") + ":4: 1e5 mm is beyond +/-1000 mm"),
            std::string::npos);
  testing::write_text(dir.path("n.json"),
                      R"({"s": {"contrasts": {"c": {"coords": {"space": "MNI", "x": [1, 5000],
                           "y": [2, 0], "z": [3, 0]}}}}})");
  EXPECT_NE(error_of([&] {
              import_nimare(dir.path("n.json"));
            }).find(dir.path("n.json") + ": /s/contrasts/c/coords/x/1: 5000 mm is beyond"),
            std::string::npos);
  testing::write_text(dir.path("c.tsv"),
                      "id\ttable_id\ttable_num\tpeak_id\tx\ty\tz\n1\t1\t1\t1\t1\t2\t-3000\n");
  testing::write_text(
      dir.path("m.tsv"),
      "id\tdoi\tspace\ttitle\tauthors\tyear\tjournal\n1\tn/a\tMNI\tT\tA\t2020\tJ\n");
  EXPECT_NE(error_of([&] {
              import_neurosynth(dir.path("c.tsv"), dir.path("m.tsv"));
            }).find(dir.path("c.tsv") + ":2: column 'z' (-3000 mm) is beyond"),
            std::string::npos);
}

TEST(FindingsImporters, NimareValuesOfTheWrongTypeAreInputErrors) {
  testing::TempDir dir;
  testing::write_text(dir.path("n.json"), R"({"s": {"contrasts": {"c": {"coords": [1, 2]}}}})");
  EXPECT_NE(error_of([&] {
              import_nimare(dir.path("n.json"));
            }).find(dir.path("n.json") + ": /s/contrasts/c/coords: expected an object"),
            std::string::npos);
  testing::write_text(dir.path("y.json"), R"({"s": {"year": 20, "contrasts": {}}})");
  EXPECT_NE(error_of([&] { import_nimare(dir.path("y.json")); }).find("/s/year: expected a year"),
            std::string::npos);
}

TEST(FindingsImporters, TextThatIsNotUtf8IsAnInputErrorNamingTheLine) {
  // JSON needs UTF-8: such text used to fail when the output was written, as an internal error.
  testing::TempDir dir;
  testing::write_text(dir.path("a.node"), "1 2 3 1 1 A\n4 5 6 1 1 Gyrus_\xE9\n");
  EXPECT_NE(error_of([&] {
              import_brainnet(dir.path("a.node"), std::nullopt);
            }).find(dir.path("a.node") + ":2: not UTF-8 text (byte 0xE9 at column 17)"),
            std::string::npos);
  testing::write_text(dir.path("s.txt"), "// Reference=MNI\n// M\xFCller 2020: c\n1 2 3\n");
  EXPECT_NE(error_of([&] {
              import_sleuth({dir.path("s.txt")});
            }).find(dir.path("s.txt") + ":2: not UTF-8 text"),
            std::string::npos);
  testing::write_text(dir.path("t.tsv"), "x\ty\tz\tstudy\n1\t2\t3\tM\xFCller\n");
  EXPECT_NE(error_of([&] {
              import_coordinate_tsv(dir.path("t.tsv"), CoordinateSpace::mni);
            }).find(dir.path("t.tsv") + ":2: not UTF-8 text"),
            std::string::npos);
}

TEST(FindingsImporters, AGzippedSleuthFileOfBlankLinesHoldsNoLines) {
  testing::TempDir dir;
  // Blank lines in a small gzip file: every line used to be kept (100 MB of them took 4.3 GB);
  // here 40 MB, which took 1.3 GB.
  testing::write_gzipped(dir.path("blank.txt.gz"), std::string(1 << 20, '\n'), 40);
  ASSERT_LT(std::filesystem::file_size(dir.path("blank.txt.gz")), 200000u);
  const long before = testing::peak_rss_kib();
  EXPECT_NE(error_of([&] { import_sleuth({dir.path("blank.txt.gz")}); }).find("no coordinates"),
            std::string::npos);
  EXPECT_LT(testing::peak_rss_kib() - before, 64 * 1024) << "KiB more at the peak";
}

TEST(FindingsImporters, TheTsvImporterHandsOverOneFindingAtATime) {
  testing::TempDir dir;
  testing::write_text(dir.path("t.tsv"), "x\ty\tz\tstudy\n1\t2\t3\ta\n4\t5\t6\tb\n7\t8\t9\ta\n");
  std::vector<std::string> seen;
  const FindingsFile rest = import_coordinate_tsv(dir.path("t.tsv"), CoordinateSpace::mni,
                                                  [&](Finding&& f) { seen.push_back(f.id); });
  EXPECT_EQ(seen, (std::vector<std::string>{"row-2", "row-3", "row-4"}));
  EXPECT_TRUE(rest.findings.empty()) << "the findings went to the sink";
  EXPECT_EQ(rest.studies.size(), 2u);
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
