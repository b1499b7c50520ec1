// foci validate, import, export and atlas resolve as a user runs them.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
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
  r = run_foci("export --to tsv " + quoted("f.json") + " -o " + quoted("out.tsv"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string out = slurp(dir_.path("out.tsv"));
  EXPECT_NE(out.find("\tincrease\t-28\t-18\t-18\tMNI\t右侧海马\t"), std::string::npos) << out;
  EXPECT_EQ(std::count(out.begin(), out.end(), '\n'), 3);
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
  EXPECT_NE(slurp(dir_.path("f.json")).find("\"foci_findings\": 1"), std::string::npos);
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

TEST_F(CliFindings, ImportUnknownFormatIsAUsageError) {
  EXPECT_EQ(run_foci("import --from excel x -o y").exit_code, 2);
}

}  // namespace
}  // namespace foci
