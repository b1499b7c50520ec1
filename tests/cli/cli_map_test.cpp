// foci map as a user runs it: outputs, refusals, and bad input.
#include <gtest/gtest.h>
#include <nifti1_io.h>
#include <sys/wait.h>
#include <nlohmann/json.hpp>

#include <cmath>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <map>
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
const std::string kAal = "/usr/share/mricron/templates/aal.nii.gz";

/// A map foci wrote, read straight through the NIfTI library rather than foci's own reader.
struct Map {
  int nx = 0, ny = 0, nz = 0;
  mat44 to_world{}, to_voxel{};
  std::vector<std::int32_t> values;

  /// The value of the voxel whose centre is nearest an MNI point; 0 outside the grid.
  std::int32_t at(double x, double y, double z) const {
    int v[3];
    for (int r = 0; r < 3; ++r) {
      v[r] = static_cast<int>(std::lround(to_voxel.m[r][0] * x + to_voxel.m[r][1] * y +
                                          to_voxel.m[r][2] * z + to_voxel.m[r][3]));
    }
    if (v[0] < 0 || v[1] < 0 || v[2] < 0 || v[0] >= nx || v[1] >= ny || v[2] >= nz) return 0;
    return values[v[0] +
                  static_cast<std::size_t>(nx) * (v[1] + static_cast<std::size_t>(ny) * v[2])];
  }
  /// World x (mm) of the voxel at `offset`.
  double x_of(std::size_t offset) const {
    const double i = static_cast<double>(offset % nx), j = static_cast<double>(offset / nx % ny),
                 k = static_cast<double>(offset / nx / ny);
    return to_world.m[0][0] * i + to_world.m[0][1] * j + to_world.m[0][2] * k + to_world.m[0][3];
  }
};

Map read_map(const std::string& path) {
  Map map;
  nifti_image* image = nifti_image_read(path.c_str(), 1);
  if (image == nullptr) {
    ADD_FAILURE() << "cannot read " << path;
    return map;
  }
  map.nx = image->nx, map.ny = image->ny, map.nz = image->nz;
  map.to_world = image->sto_xyz;
  map.to_voxel = image->sto_ijk;
  if (image->datatype == NIFTI_TYPE_INT32) {
    const auto* data = static_cast<const std::int32_t*>(image->data);
    map.values.assign(data, data + image->nvox);
  } else {
    ADD_FAILURE() << path << ": datatype " << image->datatype << ", expected int32";
  }
  nifti_image_free(image);
  return map;
}

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
  EXPECT_EQ(mapped.at("counts").at("findings"), 2);
  EXPECT_EQ(mapped.at("counts").at("unmapped"), 0);
  // The right hippocampus finding, named without coordinates, is placed by AAL.
  ASSERT_EQ(mapped.at("findings").size(), 2u);
  ASSERT_EQ(mapped["findings"][0].at("placements").size(), 1u);
  const auto& p = mapped["findings"][0]["placements"][0];
  EXPECT_EQ(p.at("source"), "atlas");
  EXPECT_EQ(p.at("atlases").at("aal").at("name"), "Hippocampus_R");
  EXPECT_GT(p.at("mni").at(0).get<double>(), 0);
  // The connection: PCC, named without a side, on both sides; mPFC at its reported point.
  const auto& f2 = mapped["findings"][1].at("placements");
  ASSERT_EQ(f2.size(), 3u);

  // mapped.tsv: one row per placement, each cell under its column.
  const std::string tsv = slurp(dir_.path("out/mapped.tsv"));
  EXPECT_NE(tsv.find("\taal_label\taal_name\taal_distance_mm\tho-cort_label"), std::string::npos);
  const auto rows = testing::read_tsv(tsv);
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0].at("id"), "f1");
  EXPECT_EQ(rows[0].at("side"), "right");
  EXPECT_EQ(rows[0].at("source"), "atlas");
  EXPECT_EQ(rows[0].at("aal_name"), "Hippocampus_R");
  EXPECT_GT(std::stod(rows[0].at("mni_x")), 0);
  for (int n : {1, 2}) {
    const bool left = rows[n].at("side") == "left";
    EXPECT_EQ(rows[n].at("id"), "f2");
    EXPECT_EQ(rows[n].at("endpoint"), "1");
    EXPECT_EQ(rows[n].at("aal_name"), left ? "Cingulum_Post_L" : "Cingulum_Post_R");
    EXPECT_EQ(std::stod(rows[n].at("mni_x")) < 0, left) << "placed on its own side";
  }
  EXPECT_NE(rows[1].at("side"), rows[2].at("side"));
  EXPECT_EQ(rows[3].at("endpoint"), "2");
  EXPECT_EQ(rows[3].at("source"), "reported");
  EXPECT_EQ(rows[3].at("x") + " " + rows[3].at("y") + " " + rows[3].at("z"), "2 52 10");
  EXPECT_EQ(rows[3].at("mni_x") + " " + rows[3].at("mni_y") + " " + rows[3].at("mni_z"),
            "2.00 52.00 10.00")
      << "an MNI point is looked up where it was reported";

  // summary.tsv: the region finding and the connection, with direction and reference.
  const auto summary = testing::read_tsv(slurp(dir_.path("out/summary.tsv")));
  ASSERT_EQ(summary.size(), 2u);
  EXPECT_EQ(summary[0].at("kind"), "region");
  EXPECT_EQ(summary[0].at("region"), "hippocampus (海马)");
  EXPECT_EQ(summary[0].at("side"), "right");
  EXPECT_EQ(summary[0].at("direction"), "increase");
  EXPECT_EQ(summary[0].at("findings"), "1");
  EXPECT_EQ(summary[0].at("studies"), "[12]");
  EXPECT_EQ(summary[1].at("kind"), "connection");
  EXPECT_EQ(summary[1].at("region"), "posterior cingulate cortex (后扣带皮层)");
  EXPECT_EQ(summary[1].at("target"), "medial prefrontal cortex (内侧前额叶皮层)");
  EXPECT_EQ(summary[1].at("direction"), "decrease");
  EXPECT_NE(
      slurp(dir_.path("out/summary.md")).find("Findings: 2 (mapped 2, unmapped 0), 4 placements"),
      std::string::npos);

  // The maps, on AAL's grid (the first atlas): signed by direction, painted where placed.
  nifti_image* aal = nifti_image_read(kAal.c_str(), 0);
  ASSERT_NE(aal, nullptr);
  const int grid[3] = {aal->nx, aal->ny, aal->nz};
  nifti_image_free(aal);
  std::map<std::string, Map> maps;
  for (const char* name : {"count", "coordinates_spheres", "grey-matter-volume_regions",
                           "functional-connectivity_regions"}) {
    maps[name] = read_map(dir_.path("out/maps/") + name + ".nii.gz");
    const Map& m = maps[name];
    ASSERT_EQ(m.nx * m.ny * m.nz, grid[0] * grid[1] * grid[2]) << name;
    ASSERT_EQ(m.values.size(), static_cast<std::size_t>(m.nx) * m.ny * m.nz) << name;
    EXPECT_EQ(m.nx, grid[0]) << name;
    EXPECT_EQ(m.ny, grid[1]) << name;
    EXPECT_EQ(m.nz, grid[2]) << name;
  }
  // FSL's reference voxel inside the right hippocampus, and its mirror on the left.
  const Map& gmv = maps["grey-matter-volume_regions"];
  EXPECT_EQ(gmv.at(28, -12, -22), 1) << "an increase paints +1 over the region";
  EXPECT_EQ(gmv.at(-28, -18, -18), 0) << "the right hippocampus only";
  std::size_t painted = 0;
  for (std::size_t o = 0; o < gmv.values.size(); ++o) {
    if (gmv.values[o] == 0) continue;
    ++painted;
    EXPECT_EQ(gmv.values[o], 1) << o;
    EXPECT_GT(gmv.x_of(o), 0) << o << ": a right-sided region paints the right side only";
  }
  EXPECT_GT(painted, 0u);
  const Map& fc = maps["functional-connectivity_regions"];
  for (std::size_t n = 0; n < 2; ++n) {
    const auto& mni = f2[n].at("mni");
    EXPECT_EQ(fc.at(mni.at(0), mni.at(1), mni.at(2)), -1) << "a decrease paints -1, both sides";
  }
  for (const auto v : fc.values) ASSERT_TRUE(v == 0 || v == -1) << v;
  const Map& spheres = maps["coordinates_spheres"];
  EXPECT_EQ(spheres.at(2, 52, 10), 1) << "a sphere at the reported mPFC point";
  EXPECT_EQ(spheres.at(28, -12, -22), 0) << "region findings are not spheres";
  const Map& count = maps["count"];
  EXPECT_EQ(count.at(28, -12, -22), 1);
  EXPECT_EQ(count.at(2, 52, 10), 1);
  std::int32_t most = 0;
  for (const auto v : count.values) most = std::max(most, v);
  EXPECT_EQ(most, 1) << "the two findings do not overlap, and each counts once per voxel";
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
  ASSERT_FALSE(doc["findings"].empty());
  doc["findings"][0]["location"]["region"] = "right hipocampus";
  write_text(dir_.path("typo.json"), doc.dump());
  const auto r = run_foci("map " + q("typo.json") + " --out " + q("out"));
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("1 unmapped"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("'right hipocampus' is not in the lexicon (closest: 'hippocampus'"),
            std::string::npos)
      << r.err;
  const auto mapped = nlohmann::json::parse(slurp(dir_.path("out/mapped.json")));
  ASSERT_EQ(mapped.at("unmapped").size(), 1u);
  EXPECT_EQ(mapped["unmapped"][0]["id"], "f1");
}

TEST_F(CliMap, TheSummaryListsEachWarningWithItsSourceLine) {
  // The README's tutorial file: its fourth row names the left hippocampus at x = +28.
  ASSERT_EQ(run_foci("import --from tsv '" FOCI_SOURCE_DIR "/findings/examples/peaks.tsv' -o " +
                     q("peaks.json"))
                .exit_code,
            0);
  const auto r = run_foci("map " + q("peaks.json") + " --atlas aal --out " + q("out"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("side-flip 1"), std::string::npos) << r.err;
  const std::string summary = slurp(dir_.path("out/summary.md"));
  const auto row = summary.find("peaks.json | row-8 | peaks.tsv:8 | `side-flip` |");
  ASSERT_NE(row, std::string::npos) << summary;
  EXPECT_NE(summary.find("'left hippocampus' is named left", row), std::string::npos) << summary;
  EXPECT_EQ(summary.find("| row-5 |"), std::string::npos)
      << "a finding without warnings is not listed among them";
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
