// foci map as a user runs it: outputs, refusals, and bad input.
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

namespace fs = std::filesystem;
using testing::ProcessResult;
using testing::slurp;
using testing::TempDir;
using testing::write_text;

class CliMap : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists("/usr/share/mricron/templates/aal.nii.gz")) {
      GTEST_SKIP() << "mricron-data is not installed";
    }
  }
  ProcessResult run_foci(const std::string& args) {
    return testing::run_shell(std::string("'") + FOCI_BINARY + "' " + args, dir_.root());
  }
  std::string q(const std::string& name) { return "'" + dir_.path(name) + "'"; }
  TempDir dir_;
};

const std::string kExample = FOCI_SOURCE_DIR "/findings/examples/minimal.json";

TEST_F(CliMap, WritesTablesAndMapsAndCountsEverything) {
  const auto r = run_foci("map '" + kExample + "' --atlas aal,ho-cort --out " + q("out"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("2 findings: 2 mapped"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("0 unmapped"), std::string::npos) << r.err;
  for (const char* name :
       {"mapped.json", "mapped.tsv", "summary.md", "summary.tsv", "maps/count.nii.gz",
        "maps/coordinates_spheres.nii.gz", "maps/grey-matter-volume_regions.nii.gz"}) {
    EXPECT_TRUE(fs::exists(dir_.path("out/") + name)) << name;
  }
  const auto mapped = nlohmann::json::parse(slurp(dir_.path("out/mapped.json")));
  EXPECT_EQ(mapped["counts"]["findings"], 2);
  EXPECT_EQ(mapped["counts"]["unmapped"], 0);
  // The right hippocampus finding, named without coordinates, is placed by AAL.
  const auto& p = mapped["findings"][0]["placements"][0];
  EXPECT_EQ(p["source"], "atlas");
  EXPECT_EQ(p["atlases"]["aal"]["name"], "Hippocampus_R");
  EXPECT_GT(p["mni"][0].get<double>(), 0);
  const std::string tsv = slurp(dir_.path("out/mapped.tsv"));
  EXPECT_NE(tsv.find("\taal_label\taal_name\taal_distance_mm\tho-cort_label"), std::string::npos);
}

TEST_F(CliMap, ExistingResultsNeedForce) {
  ASSERT_EQ(run_foci("map '" + kExample + "' --out " + q("out")).exit_code, 0);
  const auto again = run_foci("map '" + kExample + "' --out " + q("out"));
  EXPECT_EQ(again.exit_code, 4);
  EXPECT_NE(again.err.find("exists; use --force"), std::string::npos) << again.err;
  EXPECT_EQ(run_foci("map '" + kExample + "' --out " + q("out") + " --force").exit_code, 0);
}

TEST_F(CliMap, UnknownAtlasIsAUsageError) {
  const auto r = run_foci("map '" + kExample + "' --atlas aal,hocort --out " + q("out"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("did you mean 'ho-cort'"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_.path("out")));
}

TEST_F(CliMap, UnresolvableRegionIsUnmappedWithItsReason) {
  auto doc = nlohmann::json::parse(slurp(kExample));
  doc["findings"][0]["location"]["region"] = "right hipocampus";
  write_text(dir_.path("typo.json"), doc.dump());
  const auto r = run_foci("map " + q("typo.json") + " --out " + q("out"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("1 unmapped"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("'right hipocampus' is not in the lexicon (closest: 'hippocampus'"),
            std::string::npos)
      << r.err;
  const auto mapped = nlohmann::json::parse(slurp(dir_.path("out/mapped.json")));
  ASSERT_EQ(mapped["unmapped"].size(), 1u);
  EXPECT_EQ(mapped["unmapped"][0]["id"], "f1");
}

TEST_F(CliMap, ImpossibleCoordinatesAreRefusedBeforeMapping) {
  std::string text = slurp(kExample);
  text.replace(text.find("\"x\": 2"), 6, "\"x\": 1e300");
  write_text(dir_.path("huge.json"), text);
  const auto r = run_foci("map " + q("huge.json") + " --out " + q("out"));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("/findings/1/endpoints/1/coordinate/x"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_.path("out")));
}

TEST_F(CliMap, AnUnwritableFolderIsAnOutputErrorAndLeavesNothing) {
  write_text(dir_.path("plain-file"), "x");
  const auto r = run_foci("map '" + kExample + "' --out " + q("plain-file/out"));
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_NE(r.err.find("plain-file"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(dir_.path("plain-file")), "x");
}

}  // namespace
}  // namespace foci
