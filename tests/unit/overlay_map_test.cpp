// Overlay maps built inside the tests: two balls of known sign at mirror coordinates, stored
// in different grids and orders, read back through load_overlay.
#include "overlay/overlay_map.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "atlas/nifti_io.hpp"
#include "core/error.hpp"
#include "nifti_fixture.hpp"

namespace foci {
namespace {

using foci::testing::SyntheticHeader;
using foci::testing::TempDir;
using foci::testing::write_synthetic_nifti;

constexpr Vec3 kLeftBall{-40, -20, 50};
constexpr Vec3 kRightBall{40, -20, 50};
constexpr double kBallRadius = 6;
constexpr float kPositive = 5.0f, kNegative = -3.0f;

/// +5 within 6 mm of the left ball's centre, -3 within 6 mm of the right one's, 0 elsewhere.
double two_balls(Vec3 p) {
  if (norm(p - kLeftBall) <= kBallRadius) return kPositive;
  if (norm(p - kRightBall) <= kBallRadius) return kNegative;
  return 0;
}

/// RAS storage, 1 mm voxels: i runs left to right.
Affine ras_1mm() { return Affine::from_rows({{{1, 0, 0, -60}, {0, 1, 0, -50}, {0, 0, 1, 20}}}); }
/// LAS storage, 2 mm voxels (as FSL's MNI152 files): i runs right to left.
Affine las_2mm() { return Affine::from_rows({{{-2, 0, 0, 60}, {0, 2, 0, -50}, {0, 0, 2, 20}}}); }

/// A float32 map header of `size` voxels on the RAS 1 mm grid (unless the test changes it).
SyntheticHeader float_map(std::array<int, 3> size, const Affine& affine = ras_1mm()) {
  SyntheticHeader header;
  header.size = size;
  header.sform = affine;
  header.datatype = 16;
  return header;
}

std::string write_balls(const TempDir& dir, const std::string& name, const Affine& affine,
                        std::array<int, 3> size) {
  const SyntheticHeader header = float_map(size, affine);
  const std::string path = dir.path(name);
  write_synthetic_nifti(path, header, [affine](int i, int j, int k) {
    return two_balls(affine.apply({double(i), double(j), double(k)}));
  });
  return path;
}

std::string first_line(const Error& e) { return e.lines().front(); }

TEST(OverlayMap, RasOneMillimetreAndLasTwoMillimetreGiveTheSameValuesAtTheSameMniPoints) {
  TempDir dir;
  const auto ras = load_overlay({write_balls(dir, "ras.nii.gz", ras_1mm(), {121, 61, 61}), 0}, {});
  const auto las = load_overlay({write_balls(dir, "las.nii", las_2mm(), {61, 31, 31}), 0}, {});
  for (const auto sampling : {OverlayMap::Sampling::nearest, OverlayMap::Sampling::trilinear}) {
    for (const OverlayMap* map : {&ras, &las}) {
      EXPECT_FLOAT_EQ(map->value_at(kLeftBall, sampling), kPositive) << map->path;
      EXPECT_FLOAT_EQ(map->value_at(kRightBall, sampling), kNegative) << map->path;
      EXPECT_FLOAT_EQ(map->value_at({0, -20, 50}, sampling), 0.0f) << map->path;
      EXPECT_TRUE(std::isnan(map->value_at({0, -20, 200}, sampling))) << map->path;
    }
  }
  EXPECT_EQ(ras.kind, OverlayKind::signed_values);
  EXPECT_EQ(las.kind, OverlayKind::signed_values);
  EXPECT_FLOAT_EQ(ras.min_value, kNegative);
  EXPECT_FLOAT_EQ(las.max_value, kPositive);
  EXPECT_FLOAT_EQ(las.peak_value, kPositive);
  EXPECT_LT(norm(las.peak_mni - kLeftBall), kBallRadius + 1e-9);
  EXPECT_EQ(ras.title, "ras");
  EXPECT_EQ(las.title, "las");
}

TEST(OverlayMap, TrilinearSamplingInterpolatesBetweenVoxelCentres) {
  TempDir dir;
  SyntheticHeader header = float_map({4, 4, 4});
  write_synthetic_nifti(dir.path("ramp.nii"), header, [](int i, int, int) { return i + 1.0; });
  const auto map = load_overlay({dir.path("ramp.nii"), 0}, {});
  EXPECT_FLOAT_EQ(map.value_at({-58.5, -49, 21}, OverlayMap::Sampling::trilinear), 2.5f);
  EXPECT_FLOAT_EQ(map.value_at({-58.4, -49, 21}, OverlayMap::Sampling::nearest), 3.0f);
  EXPECT_FLOAT_EQ(map.value_at({-57, -47, 23}, OverlayMap::Sampling::trilinear), 4.0f);
  EXPECT_EQ(map.kind, OverlayKind::positive);
}

TEST(OverlayMap, FourDimensionalIndexPicksTheVolume) {
  TempDir dir;
  SyntheticHeader header = float_map({5, 5, 5});
  header.volumes = 3;
  write_synthetic_nifti(dir.path("four.nii.gz"), header,
                        [](int, int, int, int t) { return -(t + 1.0); });
  const auto source = parse_overlay_source(dir.path("four.nii.gz") + ":2");
  EXPECT_EQ(source.volume, 2);
  const auto map = load_overlay(source, {});
  EXPECT_FLOAT_EQ(map.value_at({-58, -48, 22}, OverlayMap::Sampling::nearest), -3.0f);
  EXPECT_EQ(map.kind, OverlayKind::negative);
  EXPECT_EQ(map.title, "four [2]");
  try {
    load_overlay({dir.path("four.nii.gz"), 3}, {});
    FAIL() << "volume 3 of 3 was read";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::input);
    EXPECT_EQ(first_line(e), "cannot read volume 3 of '" + dir.path("four.nii.gz") +
                                 "': it has 3 volumes (indices 0 to 2)");
  }
}

TEST(OverlayMap, ParseOverlaySourceSplitsOnlyADigitIndex) {
  EXPECT_EQ(parse_overlay_source("a.nii.gz").path, "a.nii.gz");
  EXPECT_EQ(parse_overlay_source("a.nii.gz:12").volume, 12);
  EXPECT_EQ(parse_overlay_source("a.nii.gz:12").path, "a.nii.gz");
  EXPECT_EQ(parse_overlay_source("c:/maps/a.nii").path, "c:/maps/a.nii");
  EXPECT_EQ(parse_overlay_source("a.nii:").path, "a.nii:");
  EXPECT_THROW(parse_overlay_source("a.nii:99999999999"), Error);
}

TEST(OverlayMap, LabelMapTakesNamesFromTheTableBesideIt) {
  TempDir dir;
  SyntheticHeader header = float_map({10, 10, 10});
  header.datatype = 8;  // int32
  write_synthetic_nifti(dir.path("parcels.nii.gz"), header, [](int i, int, int) {
    return i < 3 ? 1 : i < 6 ? 0 : 7;
  });
  foci::testing::write_text(dir.path("parcels.nii.txt"),
                            "1 Insula_L 1\n7 Precuneus_R 2\n9 Absent 3\n");
  const auto map = load_overlay({dir.path("parcels.nii.gz"), 0}, {});
  EXPECT_EQ(map.kind, OverlayKind::labels);
  EXPECT_EQ(map.label_names, (std::map<int, std::string>{{1, "Insula_L"}, {7, "Precuneus_R"}}));
  const auto colours = overlay_colours(map, "auto", 0, std::nullopt);
  ASSERT_EQ(colours.labels.size(), 2u);
  EXPECT_EQ(colours.labels[1].name, "Precuneus_R");
  EXPECT_EQ(colours.colour_of(7)[3], 255);
  EXPECT_EQ(colours.colour_of(0)[3], 0);
  EXPECT_NE(colours.colour_of(1), colours.colour_of(7));
}

// foci meta writes clusters.tsv beside clusters.nii.gz: the surviving clusters (labels 1..k)
// are named by the atlas label at their peaks, and a TSV of anything else beside a map is
// not taken for its label table.
TEST(OverlayMap, MetaClustersAreNamedByTheirPeaksAndOtherTablesBesideAMapAreNotLabels) {
  TempDir dir;
  SyntheticHeader header = float_map({10, 10, 10});
  header.datatype = 8;  // int32
  write_synthetic_nifti(dir.path("clusters.nii.gz"), header,
                        [](int i, int, int) { return i < 3 ? 1 : i < 6 ? 0 : 2; });
  foci::testing::write_text(
      dir.path("clusters.tsv"),
      "cluster\tsurvives\tvoxels\tpeak_x\taal_peak\taal_shares\n"
      "1\tyes\t79\t-8\tPrecuneus_L\tPrecuneus_L 100.0%\n"
      "2\tyes\t40\t26\tCerebelum_8_R\tCerebelum_8_R 100.0%\n"
      "3\tno\t33\t12\tCerebelum_8_R\tCerebelum_8_R 90.9%\n");
  const auto clusters = load_overlay({dir.path("clusters.nii.gz"), 0}, {});
  EXPECT_EQ(clusters.kind, OverlayKind::labels);
  EXPECT_EQ(clusters.label_names, (std::map<int, std::string>{{1, "cluster 1: Precuneus_L"},
                                                              {2, "cluster 2: Cerebelum_8_R"}}));

  write_balls(dir, "stat.nii.gz", ras_1mm(), {120, 40, 60});
  foci::testing::write_text(dir.path("stat.tsv"), "x\ty\tz\n1\t2\t3\n");
  const auto stat = load_overlay({dir.path("stat.nii.gz"), 0}, {});
  EXPECT_EQ(stat.kind, OverlayKind::signed_values) << "stat.tsv is not a label table";
}

TEST(OverlayMap, LabelTableWithFractionalValuesIsAnInputError) {
  TempDir dir;
  SyntheticHeader header = float_map({4, 4, 4});
  write_synthetic_nifti(dir.path("z.nii"), header, [](int i, int, int) { return i * 0.5; });
  foci::testing::write_text(dir.path("names.txt"), "1 A 1\n");
  OverlayLoadOptions options;
  options.label_table = dir.path("names.txt");
  try {
    load_overlay({dir.path("z.nii"), 0}, options);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(first_line(e), "cannot draw map '" + dir.path("z.nii") +
                                 "': it has a label table but holds values that are not whole "
                                 "numbers (from 0.000000 to 1.500000)");
  }
}

/// The first line of the error load_overlay throws for `path`, and that it is an input error.
std::string load_error(const std::string& path, const OverlayLoadOptions& options = {}) {
  try {
    load_overlay({path, 0}, options);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::input) << first_line(e);
    return first_line(e);
  }
  ADD_FAILURE() << path << " was read";
  return "";
}

TEST(OverlayMap, BadMapsAreInputErrorsThatNameTheFile) {
  TempDir dir;
  foci::testing::write_text(dir.path("text.nii"), std::string(400, 'x'));
  EXPECT_EQ(load_error(dir.path("text.nii")),
            "cannot read '" + dir.path("text.nii") +
                "': not a NIfTI-1 image (its first four bytes, the header size, are not 348)");

  SyntheticHeader flat = float_map({20, 20, 1});
  flat.datatype = 8;  // int32
  write_synthetic_nifti(dir.path("flat.nii"), flat, [](int, int, int) { return 1; });
  EXPECT_EQ(load_error(dir.path("flat.nii")),
            "cannot draw map '" + dir.path("flat.nii") +
                "': it is 2-D (20 x 20 x 1 voxels); foci draws 3-D maps");

  SyntheticHeader cube = float_map({6, 6, 6});
  write_synthetic_nifti(dir.path("zeros.nii"), cube, [](int, int, int) { return 0; });
  EXPECT_EQ(load_error(dir.path("zeros.nii")), "cannot draw map '" + dir.path("zeros.nii") +
                                                   "': every voxel is 0; there is nothing to draw");
  write_synthetic_nifti(dir.path("nan.nii"), cube,
                        [](int, int, int) { return std::numeric_limits<double>::quiet_NaN(); });
  EXPECT_EQ(load_error(dir.path("nan.nii")),
            "cannot draw map '" + dir.path("nan.nii") +
                "': it holds no finite value (every voxel is NaN or infinite)");

  cube.sform_code = 3;
  write_synthetic_nifti(dir.path("tal.nii"), cube, [](int i, int, int) { return i; });
  EXPECT_EQ(load_error(dir.path("tal.nii")),
            "cannot draw map '" + dir.path("tal.nii") +
                "': its header says it is in Talairach space (sform_code 3), not MNI; convert it, "
                "or pass --space-ok to draw it as it is");
  OverlayLoadOptions space_ok;
  space_ok.space_ok = true;
  EXPECT_NO_THROW(load_overlay({dir.path("tal.nii"), 0}, space_ok));

  EXPECT_EQ(load_error(dir.path("missing.nii")),
            "cannot read '" + dir.path("missing.nii") + "': no such file");
}

TEST(OverlayMap, ThresholdClearsWeakValuesAndSmallClusters) {
  TempDir dir;
  const auto path = write_balls(dir, "balls.nii", las_2mm(), {61, 31, 31});
  auto map = load_overlay({path, 0}, {});
  apply_threshold(map, 4.0, 0);
  EXPECT_FLOAT_EQ(map.value_at(kLeftBall, OverlayMap::Sampling::nearest), kPositive);
  EXPECT_FLOAT_EQ(map.value_at(kRightBall, OverlayMap::Sampling::nearest), 0.0f);

  // A ball of radius 6 mm holds 4/3 pi 3^3 ~ 113 voxels of 2 mm; a lone voxel is removed.
  auto clusters = load_overlay({path, 0}, {});
  clusters.values[clusters.offset(0, 0, 0)] = 9;
  apply_threshold(clusters, 1.0, 50);
  EXPECT_FLOAT_EQ(clusters.values[clusters.offset(0, 0, 0)], 0.0f);
  EXPECT_FLOAT_EQ(clusters.value_at(kLeftBall, OverlayMap::Sampling::nearest), kPositive);
  EXPECT_FLOAT_EQ(clusters.value_at(kRightBall, OverlayMap::Sampling::nearest), kNegative);
  apply_threshold(clusters, 1.0, 1000);
  EXPECT_FLOAT_EQ(clusters.value_at(kLeftBall, OverlayMap::Sampling::nearest), 0.0f);
}

TEST(OverlayColours, SignedMapsAreWarmAboveAndCoolBelowWithTheThresholdBandClear) {
  TempDir dir;
  const auto map = load_overlay({write_balls(dir, "balls.nii", las_2mm(), {61, 31, 31}), 0}, {});
  const auto colours = overlay_colours(map, "auto", 2.0, std::nullopt);
  EXPECT_EQ(colours.colormap, "cold_hot");
  EXPECT_DOUBLE_EQ(colours.bar_minimum, -5.0);
  EXPECT_DOUBLE_EQ(colours.bar_maximum, 5.0);
  const auto warm = colours.colour_of(kPositive), cool = colours.colour_of(kNegative);
  EXPECT_EQ(warm[3], 255);
  EXPECT_GT(warm[0], warm[2]);
  EXPECT_GT(cool[2], cool[0]);
  EXPECT_EQ(colours.colour_of(1.9)[3], 0);
  EXPECT_EQ(colours.colour_of(-1.9)[3], 0);
  EXPECT_EQ(colours.colour_of(std::nan(""))[3], 0);
  EXPECT_FALSE(colours.nothing_above_threshold);
  EXPECT_TRUE(overlay_colours(map, "auto", 6.0, std::nullopt).nothing_above_threshold);
  EXPECT_EQ(overlay_colours(map, "viridis", 0, 10.0).vmax, 10.0);
  EXPECT_THROW(overlay_colours(map, "rainbow", 0, std::nullopt), Error);
}

}  // namespace
}  // namespace foci
