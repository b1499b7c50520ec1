// foci meta as a user runs it: the maps and tables it writes, shards that combine into a
// single run byte for byte, and refusals that leave nothing half-written.
#include <gtest/gtest.h>
#include <nifti1_io.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <string>
#include <vector>

#include "nifti_fixture.hpp"
#include "process.hpp"

namespace foci {
namespace {

namespace fs = std::filesystem;
using testing::ProcessResult;
using testing::slurp;
using testing::TempDir;
using testing::write_text;

const std::string kSleuth = FOCI_SOURCE_DIR "/tests/fixtures/sleuth/test_sleuth_file.txt";

/// The MNI 2 mm grid (91 x 109 x 91, origin -90, -126, -72).
Affine mni_2mm() { return Affine::from_rows({{{2, 0, 0, -90}, {0, 2, 0, -126}, {0, 0, 2, -72}}}); }

class CliMeta : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_EQ(run_foci("import --from sleuth '" + kSleuth + "' -o " + q("sleuth.json")).exit_code,
              0);
    write_mask("mask.nii.gz", -100);
  }
  ProcessResult run_foci(const std::string& args) {
    return testing::run_shell(std::string("'") + FOCI_BINARY + "' " + args, dir_.root());
  }
  std::string q(const std::string& name) { return "'" + dir_.path(name) + "'"; }
  /// A box-shaped brain on the MNI 2 mm grid, from z = `z_min` mm up.
  void write_mask(const std::string& name, double z_min, double value = 1) {
    testing::SyntheticHeader h;
    h.size = {91, 109, 91};
    h.sform = mni_2mm();
    testing::write_synthetic_nifti(dir_.path(name), h, [=](int i, int j, int k) {
      const double x = 2 * i - 90, y = 2 * j - 126, z = 2 * k - 72;
      return std::abs(x) <= 70 && y >= -106 && y <= 76 && z >= z_min && z <= 80 ? value : 0;
    });
  }
  /// `foci meta ale` on the Sleuth fixture with the box mask, floor rule, and more.
  ProcessResult ale(const std::string& out, const std::string& more = "") {
    return run_foci("meta ale " + q("sleuth.json") + " --mask " + q("mask.nii.gz") +
                    " --voxel-rule floor --out " + q(out) + " " + more);
  }
  std::vector<std::string> files_in(const std::string& name) {
    std::vector<std::string> names;
    if (!fs::exists(dir_.path(name))) return names;
    for (const auto& e : fs::directory_iterator(dir_.path(name))) {
      names.push_back(e.path().filename().string());
    }
    std::sort(names.begin(), names.end());
    return names;
  }
  TempDir dir_;
};

struct FloatMap {
  int nx = 0, ny = 0, nz = 0, datatype = 0, sform_code = 0, qform_code = 0;
  mat44 sform{}, qform{};
  std::vector<float> values;
};

FloatMap read_float_map(const std::string& path) {
  FloatMap map;
  nifti_image* image = nifti_image_read(path.c_str(), 1);
  if (image == nullptr) {
    ADD_FAILURE() << "cannot read " << path;
    return map;
  }
  map.nx = image->nx, map.ny = image->ny, map.nz = image->nz;
  map.datatype = image->datatype;
  map.sform_code = image->sform_code, map.qform_code = image->qform_code;
  map.sform = image->sto_xyz, map.qform = image->qto_xyz;
  if (image->datatype == NIFTI_TYPE_FLOAT32) {
    const auto* data = static_cast<const float*>(image->data);
    map.values.assign(data, data + image->nvox);
  }
  nifti_image_free(image);
  return map;
}

TEST_F(CliMeta, AleOnTheSleuthFileGivesNimaresMaximum) {
  const auto r = ale("out");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(files_in("out"), (std::vector<std::string>{"manifest.json", "p.nii.gz", "report.md",
                                                       "stat.nii.gz", "z.nii.gz"}));
  const FloatMap stat = read_float_map(dir_.path("out/stat.nii.gz"));
  EXPECT_EQ(stat.datatype, NIFTI_TYPE_FLOAT32);
  EXPECT_EQ(stat.sform_code, 4);
  EXPECT_EQ(stat.qform_code, 4);
  EXPECT_EQ(stat.nx, 91);
  EXPECT_EQ(stat.ny, 109);
  EXPECT_EQ(stat.nz, 91);
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 4; ++j) {
      EXPECT_NEAR(stat.sform.m[i][j], stat.qform.m[i][j], 1e-5) << i << j;
      EXPECT_NEAR(stat.sform.m[i][j], mni_2mm().m[i][j], 1e-6) << i << j;
    }
  // NiMARE 0.20 with its own 2 mm mask and truncated indices: 0.018117, at the focus that
  // experiments 2 (N = 46) and 3 (N = 20) share: 1 - (1 - 0.0097951)(1 - 0.0084046).
  const float max = *std::max_element(stat.values.begin(), stat.values.end());
  EXPECT_NEAR(max, 0.0181173, 2e-7);
  const auto peak = std::max_element(stat.values.begin(), stat.values.end()) - stat.values.begin();
  EXPECT_EQ(peak % 91, 40) << "x -9 mm truncates to voxel 40";
  EXPECT_EQ(peak / 91 / 109, 64) << "z 57 mm truncates to voxel 64";
  const FloatMap p = read_float_map(dir_.path("out/p.nii.gz"));
  const FloatMap z = read_float_map(dir_.path("out/z.nii.gz"));
  EXPECT_LT(p.values[static_cast<std::size_t>(peak)], 1e-4);
  EXPECT_GT(z.values[static_cast<std::size_t>(peak)], 3.7);
  EXPECT_EQ(p.values[0], 1.0f) << "outside the mask p is 1";
  const std::string report = slurp(dir_.path("out/report.md"));
  EXPECT_NE(report.find("3 experiments (7 foci, 116 participants in total)"), std::string::npos)
      << report;
  EXPECT_NE(report.find("| StudyName2: ExperimentName | 46 | sample_size | 2 | 0 |"),
            std::string::npos)
      << report;
  const auto manifest = nlohmann::json::parse(slurp(dir_.path("out/manifest.json")));
  EXPECT_EQ(manifest.at("experiments"), 3);
  EXPECT_EQ(manifest.at("foci"), 7);
  EXPECT_EQ(manifest.at("options").at("voxel_rule"), "floor");
}

TEST_F(CliMeta, MonteCarloWritesFweMapsClustersAndTheNull) {
  if (!fs::exists("/usr/share/mricron/templates/aal.nii.gz")) GTEST_SKIP() << "no mricron-data";
  const auto r = ale("out", "--iterations 40 --seed 5 --cluster-p 0.01 --jobs 2");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  for (const char* name :
       {"logp_voxel_fwe.nii.gz", "logp_cluster_size_fwe.nii.gz", "logp_cluster_mass_fwe.nii.gz",
        "clusters.nii.gz", "clusters.tsv", "null.json"}) {
    EXPECT_TRUE(fs::exists(dir_.path("out/") + name)) << name;
  }
  const std::string null_text = slurp(dir_.path("out/null.json"));
  EXPECT_LT(null_text.find("\"seed\""), null_text.find("\"iterations\""));
  EXPECT_LT(null_text.find("\"iterations\""), null_text.find("\"max_stat\""));
  const auto null = nlohmann::json::parse(null_text);
  EXPECT_EQ(null.at("seed"), 5);
  EXPECT_EQ(null.at("iterations"), 40);
  ASSERT_EQ(null.at("max_stat").size(), 40u);
  EXPECT_EQ(null.at("max_cluster_size").size(), 40u);
  EXPECT_EQ(null.at("max_cluster_mass").size(), 40u);
  for (const auto& v : null["max_stat"]) {
    EXPECT_GT(v.get<double>(), 0.009) << "at least one kernel's peak";
    EXPECT_LT(v.get<double>(), 0.1);
  }
  const auto rows = testing::read_tsv(slurp(dir_.path("out/clusters.tsv")));
  ASSERT_FALSE(rows.empty()) << "p <= 0.01 forms clusters around the foci";
  for (const char* column : {"cluster", "survives", "voxels", "mm3", "peak_x", "peak_stat",
                             "p_fwe_size", "p_fwe_mass", "aal_peak", "aal_shares", "experiments"}) {
    EXPECT_TRUE(rows[0].count(column)) << column;
  }
  EXPECT_EQ(rows[0].at("cluster"), "1");
  EXPECT_EQ(std::stod(rows[0].at("mm3")), 8 * std::stod(rows[0].at("voxels")));
  EXPECT_NE(rows[0].at("experiments").find('%'), std::string::npos);
  // The voxel FWE map: -log10 of a share of 40 iterations, so at most log10(40).
  const FloatMap logp = read_float_map(dir_.path("out/logp_voxel_fwe.nii.gz"));
  const float top = *std::max_element(logp.values.begin(), logp.values.end());
  EXPECT_GT(top, 0.0f);
  EXPECT_LE(top, std::log10(40.0f) + 1e-5f);
}

TEST_F(CliMeta, ShardsAndWorkersGiveTheBytesOfASingleRun) {
  if (!fs::exists("/usr/share/mricron/templates/aal.nii.gz")) GTEST_SKIP() << "no mricron-data";
  const std::string more = "--iterations 30 --seed 11 --cluster-p 0.01 ";
  ASSERT_EQ(ale("single", more + "--jobs 1").exit_code, 0);
  ASSERT_EQ(ale("workers", more + "--jobs 3").exit_code, 0);
  for (int i = 0; i < 3; ++i) {
    const auto r = ale("shard" + std::to_string(i), more + "--shard " + std::to_string(i) + "/3");
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  EXPECT_EQ(files_in("shard1"), (std::vector<std::string>{"manifest.json", "null.json", "p.nii.gz",
                                                          "stat.nii.gz", "z.nii.gz"}));
  // Shards given in any order.
  const auto c = run_foci("meta combine " + q("shard2") + " " + q("shard0") + " " + q("shard1") +
                          " --out " + q("combined"));
  ASSERT_EQ(c.exit_code, 0) << c.err;
  const auto names = files_in("single");
  ASSERT_EQ(names.size(), 11u);
  EXPECT_EQ(files_in("combined"), names);
  EXPECT_EQ(files_in("workers"), names);
  for (const auto& name : names) {
    const std::string single = slurp(dir_.path("single/" + name));
    EXPECT_FALSE(single.empty()) << name;
    EXPECT_TRUE(single == slurp(dir_.path("combined/" + name))) << name << " differs after combine";
    EXPECT_TRUE(single == slurp(dir_.path("workers/" + name))) << name << " differs with workers";
  }
  const auto missing =
      run_foci("meta combine " + q("shard0") + " " + q("shard2") + " --out " + q("partial"));
  EXPECT_EQ(missing.exit_code, 3);
  EXPECT_NE(missing.err.find("missing: shard 1"), std::string::npos) << missing.err;
  EXPECT_FALSE(fs::exists(dir_.path("partial")));
}

TEST_F(CliMeta, FocusOutsideTheMaskIsKeptAndReported) {
  write_mask("high.nii.gz", -40);  // the foci at z -50 and -42 lie below it
  const auto r = run_foci("meta ale " + q("sleuth.json") + " --mask " + q("high.nii.gz") +
                          " --out " + q("out"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("7 foci (2 outside the mask, kept"), std::string::npos) << r.err;
  const std::string report = slurp(dir_.path("out/report.md"));
  EXPECT_NE(report.find("sleuth.json: /findings/1 (StudyName: ExperimentName): MNI 26.00, -64.00, "
                        "-50.00"),
            std::string::npos)
      << report;
  // Its kernel still reaches the mask: 6 mm above (26, -64, -50) is (26, -64, -44)... below
  // the mask; 12 mm above, z -38, is inside and holds a positive ALE.
  const FloatMap stat = read_float_map(dir_.path("out/stat.nii.gz"));
  const std::size_t v =
      (116 / 2) + 91 * ((126 - 64) / 2 + 109 * static_cast<std::size_t>((72 - 38) / 2));
  EXPECT_GT(stat.values[v], 0.0f);
}

TEST_F(CliMeta, MkdaCountsExperiments) {
  const auto r = run_foci("meta mkda " + q("sleuth.json") + " --mask " + q("mask.nii.gz") +
                          " --out " + q("out") + " --radius 10");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const FloatMap stat = read_float_map(dir_.path("out/stat.nii.gz"));
  EXPECT_EQ(*std::max_element(stat.values.begin(), stat.values.end()), 2.0f)
      << "two experiments share (-9, -72, 57)";
}

TEST_F(CliMeta, WithoutSampleSizesEveryExperimentIsNamedAndNothingWritten) {
  write_text(dir_.path("nosize.json"),
             R"({"foci_findings": 1, "title": "t", "source": {"citation": "c"},
    "studies": [{"id": "a", "citation": "a"}, {"id": "b", "citation": "b", "patients": 12}],
    "findings": [
      {"id": "f1", "study": "a", "contrast": "x", "location": {"coordinate": {"x": 0, "y": 0, "z": 0, "space": "MNI"}}, "source_anchor": "t"},
      {"id": "f2", "study": "a", "contrast": "y", "location": {"coordinate": {"x": 9, "y": 0, "z": 0, "space": "MNI"}}, "source_anchor": "t"},
      {"id": "f3", "study": "b", "location": {"coordinate": {"x": 0, "y": 9, "z": 0, "space": "MNI"}}, "source_anchor": "t"}]})");
  const auto r = run_foci("meta ale " + q("nosize.json") + " --mask " + q("mask.nii.gz") +
                          " --out " + q("out"));
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find("2 of 3 experiments have no sample size"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("a: x (" + dir_.path("nosize.json") + ": /findings/0)"), std::string::npos)
      << r.err;
  EXPECT_NE(r.err.find("a: y ("), std::string::npos) << r.err;
  EXPECT_TRUE(files_in("out").empty()) << "nothing half-written";
  // --sample-size fills the gaps; b keeps its patients.
  const auto fixed = run_foci("meta ale " + q("nosize.json") + " --mask " + q("mask.nii.gz") +
                              " --out " + q("out") + " --sample-size 15");
  ASSERT_EQ(fixed.exit_code, 0) << fixed.err;
  EXPECT_NE(slurp(dir_.path("out/report.md")).find("| b | 12 | patients | 1 | 0 |"),
            std::string::npos);
}

TEST_F(CliMeta, BadInputIsRefusedWithItsPlace) {
  // A filter that selects nothing.
  auto r = ale("out", "--filter study=nobody");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("the filter matches none of the 7 findings"), std::string::npos) << r.err;
  // A mask that is not binary.
  write_mask("two.nii.gz", -100, 2);
  r = run_foci("meta ale " + q("sleuth.json") + " --mask " + q("two.nii.gz") + " --out " +
               q("out"));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("is not binary (voxel 10, 10, 0 holds 2"), std::string::npos) << r.err;
  // A 4-D mask.
  {
    const int dims[8] = {4, 10, 10, 10, 2, 1, 1, 1};
    nifti_image* image = nifti_make_new_nim(dims, NIFTI_TYPE_UINT8, 1);
    nifti_set_filenames(image, dir_.path("four.nii.gz").c_str(), 0, 1);
    nifti_image_write(image);
    nifti_image_free(image);
  }
  r = run_foci("meta ale " + q("sleuth.json") + " --mask " + q("four.nii.gz") + " --out " +
               q("out"));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("as a mask"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("2 volumes along dimension 4"), std::string::npos) << r.err;
  // A coordinate that is not a number: JSON has no NaN, and the reader says where.
  write_text(dir_.path("nan.json"),
             R"({"foci_findings": 1, "title": "t", "source": {"citation": "c"},
    "studies": [{"id": "a", "citation": "a"}],
    "findings": [{"id": "f1", "study": "a", "location": {"coordinate": {"x": NaN, "y": 0, "z": 0, "space": "MNI"}}, "source_anchor": "t"}]})");
  r = run_foci("meta ale " + q("nan.json") + " --out " + q("out"));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find(dir_.path("nan.json") + ":3:78: not valid JSON"), std::string::npos)
      << r.err;
  // Usage errors.
  EXPECT_EQ(ale("out", "--cluster-p 2").exit_code, 2);
  EXPECT_EQ(ale("out", "--shard 3/3 --iterations 5").exit_code, 2);
  EXPECT_EQ(ale("out", "--shard 0/2").exit_code, 2) << "shards split iterations";
  EXPECT_TRUE(files_in("out").empty()) << "nothing half-written";
}

TEST_F(CliMeta, FilterSelectsFindingsAndMayComeBeforeTheFiles) {
  const auto r = run_foci("meta ale --filter study=StudyName2 " + q("sleuth.json") + " --mask " +
                          q("mask.nii.gz") + " --out " + q("out"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto manifest = nlohmann::json::parse(slurp(dir_.path("out/manifest.json")));
  EXPECT_EQ(manifest.at("experiments"), 1);
  EXPECT_EQ(manifest.at("foci"), 2);
  EXPECT_EQ(manifest.at("options").at("filters"), nlohmann::json({"study=StudyName2"}));
}

TEST_F(CliMeta, MetaWithoutAMethodListsTheChoices) {
  const auto r = run_foci("meta");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("a sub-command is required: ale, mkda, combine"), std::string::npos)
      << r.err;
  const auto help = run_foci("meta ale --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_NE(help.out.find("--iterations"), std::string::npos);
  EXPECT_NE(help.out.find("Exit codes:"), std::string::npos) << "the footer every command has";
}

TEST_F(CliMeta, ExistingResultsAreKeptUnlessForced) {
  ASSERT_EQ(ale("out").exit_code, 0);
  const auto again = ale("out");
  EXPECT_EQ(again.exit_code, 4);
  EXPECT_NE(again.err.find("use --force"), std::string::npos) << again.err;
  EXPECT_EQ(ale("out", "--force").exit_code, 0);
}

TEST_F(CliMeta, DefaultGridIsMni2mmMaskedByColin27) {
  if (!fs::exists("/usr/share/mricron/templates/ch2bet.nii.gz")) GTEST_SKIP() << "no mricron-data";
  const auto r = run_foci("meta ale " + q("sleuth.json") + " --out " + q("out"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto manifest = nlohmann::json::parse(slurp(dir_.path("out/manifest.json")));
  EXPECT_EQ(manifest.at("grid").at("size"), nlohmann::json({91, 109, 91}));
  EXPECT_EQ(manifest.at("options").at("mask").at("atlas"), "ch2bet");
  EXPECT_GT(manifest.at("grid").at("mask_voxels").get<int>(), 150000);
  EXPECT_LT(manifest.at("grid").at("mask_voxels").get<int>(), 300000);
}

}  // namespace
}  // namespace foci
