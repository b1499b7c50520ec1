// foci validate, import, export and atlas resolve as a user runs them.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include "nifti_fixture.hpp"
#include "process.hpp"

namespace foci {
namespace {

using testing::ProcessResult;
using testing::slurp;
using testing::TempDir;
using testing::write_text;

class CliFindings : public ::testing::Test {
 protected:
  ProcessResult run_foci(const std::string& args) {
    return testing::run_shell(std::string("'") + FOCI_BINARY + "' " + args, dir_.root());
  }
  std::string quoted(const std::string& name) { return "'" + dir_.path(name) + "'"; }
  TempDir dir_;
};

const std::string kExample = FOCI_SOURCE_DIR "/findings/examples/minimal.json";

TEST_F(CliFindings, ValidateAcceptsTheExample) {
  const auto r = run_foci("validate '" + kExample + "'");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("ok (1 studies, 2 findings)"), std::string::npos) << r.out;
}

TEST_F(CliFindings, ValidateListsEveryProblemAndExitsThree) {
  auto doc = nlohmann::json::parse(slurp(kExample));
  ASSERT_EQ(doc["findings"].size(), 2u);
  doc["findings"][0]["direction"] = "up";
  doc["findings"][1]["study"] = "nobody";
  write_text(dir_.path("bad.json"), doc.dump(2));
  const auto r = run_foci("validate " + quoted("bad.json") + " '" + kExample + "'");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find(dir_.path("bad.json") +
                       ": /findings/0/direction: expected one of increase, decrease, "
                       "normalised, no change; got \"up\""),
            std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("/findings/1/study: no study has id \"nobody\""), std::string::npos);
  EXPECT_NE(r.out.find("minimal.json: ok"), std::string::npos) << "the good file is still checked";
  write_text(dir_.path("notjson.json"), "{ \"a\": ");
  const auto broken = run_foci("validate " + quoted("notjson.json"));
  EXPECT_EQ(broken.exit_code, 3);
  EXPECT_NE(broken.err.find("notjson.json:1:"), std::string::npos) << broken.err;
}

TEST_F(CliFindings, ImportTsvThenExportTsvKeepsEveryRow) {
  write_text(dir_.path("in.tsv"),
             "x\ty\tz\tdirection\tregion\n-28\t-18\t-18\tincrease\t右侧海马\n30\t4\t-20\t\t\n");
  auto r = run_foci("import --from tsv " + quoted("in.tsv") + " -o " + quoted("f.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("imported 2 coordinate(s)"), std::string::npos) << r.err;
  r = run_foci("validate " + quoted("f.json"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // Each row is one finding, its cells in their places; an empty cell is left out, not "".
  const auto doc = nlohmann::json::parse(slurp(dir_.path("f.json")));
  ASSERT_EQ(doc.at("findings").size(), 2u);
  const auto& first = doc["findings"][0];
  EXPECT_EQ(first.at("direction"), "increase");
  EXPECT_EQ(first.at("location").at("region"), "右侧海马");
  const auto& point = first.at("location").at("coordinate");
  EXPECT_EQ(point.at("x"), -28);
  EXPECT_EQ(point.at("y"), -18);
  EXPECT_EQ(point.at("z"), -18);
  EXPECT_EQ(point.at("space"), "MNI") << "the default space";
  const auto& second = doc["findings"][1];
  EXPECT_FALSE(second.contains("direction")) << second.dump();
  EXPECT_FALSE(second.at("location").contains("region")) << second.dump();
  EXPECT_EQ(second.at("location").at("coordinate").at("x"), 30);
  EXPECT_EQ(second.at("location").at("coordinate").at("z"), -20);

  r = run_foci("export --to tsv " + quoted("f.json") + " -o " + quoted("out.tsv"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto rows = testing::read_tsv(slurp(dir_.path("out.tsv")));
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].at("direction"), "increase");
  EXPECT_EQ(rows[0].at("x") + " " + rows[0].at("y") + " " + rows[0].at("z"), "-28 -18 -18");
  EXPECT_EQ(rows[0].at("space"), "MNI");
  EXPECT_EQ(rows[0].at("region"), "右侧海马");
  EXPECT_EQ(rows[1].at("direction"), "");
  EXPECT_EQ(rows[1].at("x") + " " + rows[1].at("y") + " " + rows[1].at("z"), "30 4 -20");
  EXPECT_EQ(rows[1].at("region"), "");
  EXPECT_EQ(rows[0].at("id"), first.at("id").get<std::string>()) << "ids survive the trip";
}

TEST_F(CliFindings, OutputsAreNotOverwrittenWithoutForce) {
  write_text(dir_.path("in.tsv"), "x\ty\tz\n1\t2\t3\n");
  write_text(dir_.path("f.json"), "precious");
  auto r = run_foci("import --from tsv " + quoted("in.tsv") + " -o " + quoted("f.json"));
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find("exists; use --force"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(dir_.path("f.json")), "precious");
  r = run_foci("import --from tsv " + quoted("in.tsv") + " -o " + quoted("f.json") + " --force");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  // With --force the file is the import of in.tsv, whole.
  const auto doc = nlohmann::json::parse(slurp(dir_.path("f.json")));
  EXPECT_EQ(doc.at("foci_findings"), 1);
  ASSERT_EQ(doc.at("findings").size(), 1u);
  const auto& point = doc["findings"][0].at("location").at("coordinate");
  EXPECT_EQ(point.at("x"), 1);
  EXPECT_EQ(point.at("y"), 2);
  EXPECT_EQ(point.at("z"), 3);
}

TEST_F(CliFindings, RefusedImportLeavesNoOutput) {
  write_text(dir_.path("bad.tsv"), "x\ty\tz\n1\t2\tthree\n");
  const auto r = run_foci("import --from tsv " + quoted("bad.tsv") + " -o " + quoted("f.json"));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("bad.tsv:2: column 'z'"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.path("f.json")));
  int files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir_.root())) ++files;
  EXPECT_EQ(files, 3) << "bad.tsv, stdout and stderr only: no temporary left behind";
}

TEST_F(CliFindings, ExportOfRegionOnlyFindingsToBrainNetIsRefusedWithTheReason) {
  const auto r = run_foci(std::string("export --to brainnet '") + FOCI_SOURCE_DIR +
                          "/findings/nssi/nssi.json' -o " + quoted("x.node"));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("has a coordinate to export"), std::string::npos) << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.path("x.node")));
}

/// `foci import --from tsv` on what users bring from spreadsheets and review tables.
class ImportTsv : public CliFindings {};

TEST_F(ImportTsv, ReadsExcelCsvWithBomQuotesAndChineseRegionRows) {
  // As Excel's "CSV UTF-8" saves a review's table: a byte-order mark, CRLF, quoted fields
  // with commas and a line break, region names in Chinese, no coordinates.
  write_text(
      dir_.path("table1.csv"),
      "\xEF\xBB\xBF"
      "study,region,hemisphere,direction,measure,note\r\n"
      "张三 2020,海马,right,increase,grey-matter volume,\"after 8 sessions, vs baseline\"\r\n"
      "李四 2020,杏仁核,left,decrease,,\"two\r\nlines\"\r\n"
      "王五 2021,\"前扣带回, 膝部\",,increase,ReHo,\r\n");
  auto r = run_foci("import --from tsv " + quoted("table1.csv") + " -o " + quoted("f.json"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("imported 0 coordinate(s), 3 region(s) without coordinates from 3 "
                       "study(ies)"),
            std::string::npos)
      << r.err;
  const auto j = nlohmann::json::parse(slurp(dir_.path("f.json")));
  const auto& findings = j["findings"];
  ASSERT_EQ(findings.size(), 3u);
  EXPECT_EQ(findings[0]["location"]["region"], "海马");
  EXPECT_EQ(findings[0]["location"]["hemisphere"], "right");
  EXPECT_EQ(findings[1]["location"]["region"], "杏仁核");
  EXPECT_EQ(findings[2]["location"]["region"], "前扣带回, 膝部");
  for (const auto& f : findings) EXPECT_FALSE(f["location"].contains("coordinate")) << f;
  EXPECT_EQ(findings[0]["direction"], "increase");
  EXPECT_EQ(findings[1]["direction"], "decrease");
  EXPECT_EQ(findings[2]["direction"], "increase");
  EXPECT_EQ(findings[0]["measure"], "grey-matter volume");
  EXPECT_EQ(findings[1]["imported"]["note"], "two\nlines");
  EXPECT_EQ(findings[0]["imported"]["note"], "after 8 sessions, vs baseline");
  EXPECT_EQ(findings[2]["source_anchor"], "table1.csv:5") << "the line where the row starts";
  std::set<std::string> ids;
  for (const auto& f : findings) ids.insert(f["study"].get<std::string>());
  EXPECT_EQ(ids.size(), 3u) << "张三 2020 and 李四 2020 are different studies";
  ASSERT_EQ(j["studies"].size(), 3u);
  EXPECT_EQ(j["studies"][0]["citation"], "张三 2020");
  r = run_foci("validate " + quoted("f.json"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
}

TEST_F(ImportTsv, RefusesUtf16AndRowsWithNeitherCoordinateNorRegion) {
  write_text(dir_.path("u16.csv"), std::string("\xFF\xFEx\0,\0y\0", 8));
  auto r = run_foci("import --from tsv " + quoted("u16.csv") + " -o " + quoted("f.json"));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find(dir_.path("u16.csv") + ":1: the file is UTF-16"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("save it as UTF-8"), std::string::npos) << r.err;
  write_text(dir_.path("gap.tsv"), "x\ty\tz\tregion\tdirection\n1\t2\t3\t\t\n\t\t\t\tdecrease\n");
  r = run_foci("import --from tsv " + quoted("gap.tsv") + " -o " + quoted("f.json"));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find(dir_.path("gap.tsv") + ":3: the row has neither a coordinate"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(std::filesystem::exists(dir_.path("f.json")));
}

TEST_F(ImportTsv, HelpDocumentsCsvByteOrderMarkAndRegionRows) {
  const auto r = run_foci("import --help");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("CSV"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("byte-order mark"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("region-only"), std::string::npos) << r.out;
}

TEST_F(CliFindings, ImportUnknownFormatIsAUsageError) {
  EXPECT_EQ(run_foci("import --from excel x -o y").exit_code, 2);
}

}  // namespace
}  // namespace foci
