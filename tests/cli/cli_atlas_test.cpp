// The foci executable as a user meets it: real processes, real exit codes, exact messages.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <limits>
#include <random>
#include <sstream>

#include "nifti_fixture.hpp"
#include "process.hpp"

namespace foci {
namespace {

using testing::ProcessResult;
using testing::slurp;
using testing::TempDir;
using testing::write_text;

class CliAtlas : public ::testing::Test {
 protected:
  ProcessResult run_foci(const std::string& args) {
    return testing::run_shell(std::string("'") + FOCI_BINARY + "' " + args, dir_.root());
  }
  static bool have_mricron_data() {
    return std::filesystem::exists("/usr/share/mricron/templates/aal.nii.gz");
  }
  TempDir dir_;
};

#define REQUIRE_MRICRON_DATA() \
  if (!have_mricron_data()) GTEST_SKIP() << "mricron-data is not installed"

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

TEST_F(CliAtlas, QueryOneMniPointPrintsHeaderAndRow) {
  REQUIRE_MRICRON_DATA();
  const auto r = run_foci("atlas query --atlas aal --mni -28 -18 -18");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(
      lines[0],
      "line\tx\ty\tz\tspace\tmni_x\tmni_y\tmni_z\tatlas\tlabel\tname\themisphere\tdistance_mm");
  EXPECT_EQ(lines[1],
            "1\t-28\t-18\t-18\tMNI\t-28.00\t-18.00\t-18.00\taal\t37\tHippocampus_L\tleft\t0.00");
}

TEST_F(CliAtlas, QueryTalairachPointIsConvertedFirst) {
  REQUIRE_MRICRON_DATA();
  const auto r = run_foci("atlas query --atlas aal --tal -44 31 27 --format json");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto j = nlohmann::json::parse(r.out);
  ASSERT_EQ(j.size(), 1u);
  EXPECT_EQ(j[0]["space"], "Talairach");
  EXPECT_EQ(j[0]["transform"], "icbm_other");
  EXPECT_NEAR(j[0]["mni"][0].get<double>(), -45.84, 0.01);
  EXPECT_NEAR(j[0]["mni"][1].get<double>(), 35.98, 0.01);
}

TEST_F(CliAtlas, QueryCoordsFileKeepsOrderAndEchoesColumns) {
  REQUIRE_MRICRON_DATA();
  const auto path = dir_.path("points.tsv");
  write_text(path,
             "name\tx\ty\tz\nsecond-listed-first\t28\t-12\t-22\noutside\t0\t0\t200\n"
             "first\t-28\t-18\t-18\n");
  const auto r = run_foci("atlas query --atlas aal --coords '" + path + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 4u);
  EXPECT_NE(lines[0].find("\tinput_name"), std::string::npos) << lines[0];
  EXPECT_NE(lines[1].find("Hippocampus_R\tright\t0.00\tsecond-listed-first"), std::string::npos);
  EXPECT_NE(lines[2].find("\taal\t0\t\t\t\toutside"), std::string::npos) << lines[2];
  EXPECT_NE(lines[3].find("Hippocampus_L"), std::string::npos);
}

TEST_F(CliAtlas, QueryRadiusReportsDistance) {
  REQUIRE_MRICRON_DATA();
  // Just outside the cortex above the vertex: nothing at the point, something within 20 mm.
  const auto none = run_foci("atlas query --atlas aal --mni 0 -20 80");
  const auto some = run_foci("atlas query --atlas aal --mni 0 -20 80 --radius 20");
  ASSERT_EQ(none.exit_code, 0) << none.err;
  ASSERT_EQ(some.exit_code, 0) << some.err;
  const auto none_lines = lines_of(none.out), some_lines = lines_of(some.out);
  ASSERT_EQ(none_lines.size(), 2u) << none.out;
  ASSERT_EQ(some_lines.size(), 2u) << some.out;
  EXPECT_NE(none_lines[1].find("\taal\t0\t"), std::string::npos) << none_lines[1];
  const auto& fields = some_lines[1];
  EXPECT_EQ(fields.find("\taal\t0\t"), std::string::npos) << fields;
  const double distance = std::stod(fields.substr(fields.rfind('\t') + 1));
  EXPECT_GT(distance, 0);
  EXPECT_LE(distance, 20);
}

// The radius search as the user meets it: thousands of rows (answered in blocks on several
// threads), each row's label and distance as a plain search of every voxel gives them, in
// input order. A synthetic atlas of scattered 2 mm voxels and points on a half-millimetre
// grid make equal distances common, so the tie rule (nearest, then the smaller label, then
// the first voxel in storage order) is exercised, not just the nearest label.
TEST_F(CliAtlas, QueryRadiusRowsAgreeWithSearchOfEveryVoxelInInputOrder) {
  const std::array<int, 3> size{24, 24, 24};
  const auto label_at = [](int i, int j, int k) {
    const unsigned h = (static_cast<unsigned>(i) * 73856093u) ^
                       (static_cast<unsigned>(j) * 19349663u) ^
                       (static_cast<unsigned>(k) * 83492791u);
    return h % 37 == 0 ? static_cast<int>(1 + h % 3) : 0;
  };
  const Affine voxel_to_world =
      Affine::from_rows({{{2, 0, 0, -24}, {0, 2, 0, -24}, {0, 0, 2, -24}}});
  testing::SyntheticHeader header;
  header.size = size;
  header.sform = voxel_to_world;
  testing::write_synthetic_nifti(dir_.path("scatter.nii.gz"), header,
                                 [&](int i, int j, int k) { return label_at(i, j, k); });
  write_text(dir_.path("scatter.tsv"), "label\tname\n1\tOne\n2\tTwo\n3\tThree\n");
  write_text(dir_.path("scatter.json"),
             R"({"name":"scatter","title":"t","space":"MNI","volume":"scatter.nii.gz",
    "labels":{"file":"scatter.tsv","format":"tsv"},"citation":"c","licence":"l"})");

  constexpr int kRows = 9000;  // more than two blocks of rows
  constexpr double kRadius = 10;
  std::mt19937 random(17);
  std::uniform_int_distribution<int> half_mm(-60, 60);
  std::uniform_real_distribution<double> mm(-30, 30);
  std::vector<std::array<double, 3>> points(kRows);
  std::string table = "id\tx\ty\tz\n";
  char text[128];
  for (int n = 0; n < kRows; ++n) {
    auto& p = points[n];
    for (auto& c : p) c = n % 2 ? 0.5 * half_mm(random) : std::round(mm(random) * 1000) / 1000;
    std::snprintf(text, sizeof text, "p%d\t%.3f\t%.3f\t%.3f\n", n, p[0], p[1], p[2]);
    table += text;
  }
  write_text(dir_.path("points.tsv"), table);
  const auto r = run_foci("atlas query --atlas '" + dir_.path("scatter.json") +
                          "' --radius 10 --coords '" + dir_.path("points.tsv") + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), static_cast<std::size_t>(kRows) + 1);

  int found = 0, ties = 0;
  for (int n = 0; n < kRows; ++n) {
    const auto& p = points[n];
    // The plain rule: the point's own voxel (index rounded half up) when labelled; else of the
    // labelled voxel centres within the radius the nearest (within 1e-9 mm^2), then the
    // smaller label, then the first in storage order.
    int label = 0, candidates = 0;
    double best = std::numeric_limits<double>::infinity();
    int own[3];
    bool inside = true;
    for (int a = 0; a < 3; ++a) {
      own[a] = static_cast<int>(std::floor((p[a] + 24) / 2 + 0.5));
      inside = inside && own[a] >= 0 && own[a] < size[a];
    }
    if (inside && label_at(own[0], own[1], own[2]) != 0) {
      label = label_at(own[0], own[1], own[2]);
      best = 0;
    } else {
      for (int k = 0; k < size[2]; ++k)
        for (int j = 0; j < size[1]; ++j)
          for (int i = 0; i < size[0]; ++i) {
            const int v = label_at(i, j, k);
            if (v == 0) continue;
            const double dx = 2.0 * i - 24 - p[0], dy = 2.0 * j - 24 - p[1],
                         dz = 2.0 * k - 24 - p[2];
            const double d2 = dx * dx + dy * dy + dz * dz;
            if (d2 > kRadius * kRadius * (1 + 1e-12)) continue;
            if (d2 < best - 1e-9) {
              best = d2, label = v, candidates = 1;
            } else if (std::abs(d2 - best) <= 1e-9) {
              ++candidates;
              if (v < label) label = v;
            }
          }
      best = std::sqrt(best);
    }
    const std::string names[] = {"", "One", "Two", "Three"};
    std::string distance;
    if (label != 0) {
      std::snprintf(text, sizeof text, "%.2f", best);
      distance = text;
    }
    const auto& line = lines[n + 1];
    std::vector<std::string> fields;
    for (std::size_t start = 0;;) {
      const auto tab = line.find('\t', start);
      fields.push_back(line.substr(start, tab == std::string::npos ? tab : tab - start));
      if (tab == std::string::npos) break;
      start = tab + 1;
    }
    // line x y z space mni_x mni_y mni_z atlas label name hemisphere distance_mm id. The side
    // of this atlas is that of the voxel the label came from, which is not checked here.
    ASSERT_EQ(fields.size(), 14u) << line;
    ASSERT_EQ(fields[0], std::to_string(n + 2)) << line;
    ASSERT_EQ(fields[13], "p" + std::to_string(n)) << line;
    EXPECT_EQ(fields[8], "scatter");
    ASSERT_EQ(fields[9], std::to_string(label)) << line;
    EXPECT_EQ(fields[10], names[label]) << line;
    EXPECT_EQ(fields[11].empty(), label == 0) << line;
    EXPECT_EQ(fields[12], distance) << line;
    found += label != 0;
    ties += candidates > 1;
  }
  EXPECT_GT(found, kRows / 2);
  EXPECT_GT(ties, 100);  // the tie rule was exercised
}

// The mni_x/y/z columns of an MNI row are its coordinates to two decimals, rounded as printf
// rounds the binary value, with values under 0.005 mm written 0.00; the input columns echo
// the shortest exact form. Checked on numbers whose shortest form has 0 to 3 decimals.
TEST_F(CliAtlas, QueryMniColumnsAreTheInputToTwoDecimals) {
  REQUIRE_MRICRON_DATA();
  const char* values[][3] = {{"10", "-20.125", "30.005"},
                             {"0.001", "-0.004", "1e1"},
                             {"+3", "4.50", "-0.0"},
                             {"-28.7", "0.015", "12.345"}};
  std::string table = "x\ty\tz\n";
  for (const auto& row : values)
    table += std::string(row[0]) + "\t" + row[1] + "\t" + row[2] + "\n";
  write_text(dir_.path("points.tsv"), table);
  const auto r = run_foci("atlas query --atlas aal --coords '" + dir_.path("points.tsv") + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 5u);
  const char* echoed[][3] = {{"10", "-20.125", "30.005"},
                             {"0.001", "-0.004", "10"},
                             {"3", "4.5", "-0"},
                             {"-28.7", "0.015", "12.345"}};
  for (int n = 0; n < 4; ++n) {
    std::string expected = std::to_string(n + 2);
    for (const char* e : echoed[n]) expected += std::string("\t") + e;
    expected += "\tMNI";
    for (const char* v : values[n]) {
      double mm = std::stod(v);
      if (std::abs(mm) < 0.005) mm = 0;
      char text[32];
      std::snprintf(text, sizeof text, "%.2f", mm);
      expected += std::string("\t") + text;
    }
    EXPECT_EQ(lines[n + 1].substr(0, expected.size()), expected);
  }
}

TEST_F(CliAtlas, BadCoordinateFileNamesFileAndLineAndExitsThree) {
  const auto path = dir_.path("bad.tsv");
  write_text(path, "x\ty\tz\n1\t2\t3\n4\tNaN\t6\n");
  const auto r = run_foci("atlas query --atlas aal --coords '" + path + "'");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.out, "") << "nothing half-written on stdout";
  EXPECT_NE(r.err.find("foci: [ERROR] " + path + ":3: column 'y': 'NaN' is not a finite number"),
            std::string::npos)
      << r.err;
}

TEST_F(CliAtlas, QueryCoordsAcceptsExcelCsvWithByteOrderMark) {
  REQUIRE_MRICRON_DATA();
  const auto path = dir_.path("points.csv");
  write_text(path,
             "\xEF\xBB\xBF"
             "note,x,y,z\r\n\"left, peak\r\n1\",-28,-18,-18\r\n");
  const auto r = run_foci("atlas query --atlas aal --coords '" + path + "'");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 2u) << "the quoted line break does not split the answer row";
  EXPECT_EQ(lines[1].rfind("2\t-28\t-18\t-18\tMNI", 0), 0u) << lines[1];
  EXPECT_NE(lines[1].find("Hippocampus_L\tleft\t0.00\tleft, peak 1"), std::string::npos)
      << lines[1];
}

TEST_F(CliAtlas, QueryCoordsRefusesARegionTableSayingItNeedsXyz) {
  const auto path = dir_.path("regions.csv");
  write_text(path,
             "\xEF\xBB\xBF"
             "region,direction\n海马,increase\n");
  const auto r = run_foci("atlas query --atlas aal --coords '" + path + "'");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find(path + ":1: the header has no 'x' column (it needs x, y and z)"),
            std::string::npos)
      << r.err;
}

TEST_F(CliAtlas, MissingColumnEmptyAndAbsentFilesExitThree) {
  const auto missing = dir_.path("missing.tsv");
  write_text(missing, "x\ty\n1\t2\n");
  EXPECT_EQ(run_foci("atlas query --atlas aal --coords '" + missing + "'").exit_code, 3);
  const auto empty = dir_.path("empty.tsv");
  write_text(empty, "");
  const auto r = run_foci("atlas query --atlas aal --coords '" + empty + "'");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find(empty), std::string::npos);
  const auto absent = run_foci("atlas query --atlas aal --coords '" + dir_.path("nope.tsv") + "'");
  EXPECT_EQ(absent.exit_code, 3);
  EXPECT_NE(absent.err.find("nope.tsv': no such file"), std::string::npos) << absent.err;
}

TEST_F(CliAtlas, UnknownAtlasIsAUsageErrorWithSuggestion) {
  const auto r = run_foci("atlas query --atlas aall --mni 0 0 0");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("unknown atlas 'aall'; did you mean 'aal'?"), std::string::npos) << r.err;
}

TEST_F(CliAtlas, UsageErrorsExitTwo) {
  EXPECT_EQ(run_foci("atlas query --atlas aal").exit_code, 2) << "no point given";
  EXPECT_EQ(run_foci("atlas query --atlas aal --mni 1 2").exit_code, 2);
  EXPECT_EQ(run_foci("atlas query --atlas aal --mni 1 2 3 --radius -1").exit_code, 2);
  const auto r = run_foci("atlas quer");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("did you mean 'query'?"), std::string::npos) << r.err;
}

TEST_F(CliAtlas, CorruptAtlasVolumeIsAnInputErrorNamingTheFile) {
  write_text(dir_.path("broken.nii.gz"), "this is not a NIfTI file at all, just text");
  write_text(dir_.path("broken.tsv"), "label\tname\n1\tA\n");
  const auto manifest = dir_.path("broken.json");
  write_text(manifest, R"({"name":"broken","title":"t","space":"MNI","volume":"broken.nii.gz",
    "labels":{"file":"broken.tsv","format":"tsv"},"citation":"c","licence":"l"})");
  const auto r = run_foci("atlas query --atlas '" + manifest + "' --mni 0 0 0");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("cannot load atlas 'broken'"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(dir_.path("broken.nii.gz")), std::string::npos) << r.err;
}

TEST_F(CliAtlas, MissingAtlasVolumeSaysWhereItLooked) {
  const auto manifest = dir_.path("gone.json");
  write_text(manifest, R"({"name":"gone","title":"t","space":"MNI","volume":"gone.nii.gz",
    "labels":{"file":"gone.tsv","format":"tsv"},"citation":"c","licence":"l"})");
  const auto r = run_foci("atlas regions --atlas '" + manifest + "'");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("cannot find 'gone.nii.gz' (looked in " + dir_.root()), std::string::npos)
      << r.err;
}

TEST_F(CliAtlas, LabelTableNotMatchingTheVolumeIsRefused) {
  REQUIRE_MRICRON_DATA();
  // AAL's volume with a table that stops at label 100.
  std::string table;
  for (int n = 1; n <= 100; ++n) table += std::to_string(n) + " Region" + std::to_string(n) + "\n";
  write_text(dir_.path("short.txt"), table);
  const auto manifest = dir_.path("short.json");
  write_text(manifest, R"({"name":"short","title":"t","space":"MNI","volume":"aal.nii.gz",
    "labels":{"file":"short.txt","format":"mricron"},"citation":"c","licence":"l"})");
  const auto r = run_foci("atlas regions --atlas '" + manifest + "'");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("16 value(s) in the volume have no name"), std::string::npos) << r.err;
}

TEST_F(CliAtlas, ListNamesEveryShippedAtlas) {
  const auto r = run_foci("atlas list");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* name : {"aal", "ho-cort", "brodmann", "aicha", "jhu-wm", "ch2", "ch2bet"}) {
    EXPECT_NE(r.out.find(std::string("\n") + name + "\t"), std::string::npos) << name;
  }
}

TEST_F(CliAtlas, RegionsListsEveryAalLabel) {
  REQUIRE_MRICRON_DATA();
  const auto r = run_foci("atlas regions --atlas aal");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 117u);
  EXPECT_EQ(lines[0], "label\tname\themisphere\tx\ty\tz\tvolume_mm3\tvoxels");
  EXPECT_EQ(lines[37].substr(0, 24), "37\tHippocampus_L\tleft\t-2");
}

TEST_F(CliAtlas, ResolveReadsRegionNamesAsPapersWriteThem) {
  REQUIRE_MRICRON_DATA();
  const auto r =
      run_foci("atlas resolve --atlas aal 右侧海马 'R. hippocampus' HIP.R 左侧背外侧额上回");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto lines = lines_of(r.out);
  ASSERT_EQ(lines.size(), 5u);
  EXPECT_EQ(lines[0],
            "query\tregion\tregion_en\tregion_zh\tlabel\tname\themisphere\tapproximate\twhy");
  for (int n = 1; n <= 3; ++n) {
    EXPECT_NE(lines[n].find("\t38\tHippocampus_R\tright\tno\t"), std::string::npos) << lines[n];
  }
  EXPECT_NE(lines[4].find("\t3\tFrontal_Sup_L\tleft\tno\t"), std::string::npos) << lines[4];
}

TEST_F(CliAtlas, ResolveFlagsApproximationsAndRefusesUnknownNames) {
  REQUIRE_MRICRON_DATA();
  const auto dlpfc = run_foci("atlas resolve --atlas aal 'left DLPFC'");
  ASSERT_EQ(dlpfc.exit_code, 0) << dlpfc.err;
  EXPECT_NE(dlpfc.out.find("Frontal_Mid_L\tleft\tyes\tAAL has no DLPFC"), std::string::npos)
      << dlpfc.out;
  const auto unknown = run_foci("atlas resolve --atlas aal hipocampus");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_EQ(unknown.out, "");
  EXPECT_NE(unknown.err.find("closest names: 'hippocampus'"), std::string::npos) << unknown.err;
  // The cortical atlas has no dentate gyrus: an error that says why, and no table.
  const auto none = run_foci("atlas resolve --atlas ho-cort 右侧海马 左侧齿状回");
  EXPECT_EQ(none.exit_code, 3);
  EXPECT_EQ(none.out, "");
  EXPECT_NE(none.err.find("has no label for"), std::string::npos) << none.err;
}

TEST_F(CliAtlas, HelpDocumentsExitCodes) {
  const auto r = run_foci("atlas query --help");
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("3  input error"), std::string::npos);
  EXPECT_NE(r.out.find("--radius"), std::string::npos);
}

}  // namespace
}  // namespace foci
