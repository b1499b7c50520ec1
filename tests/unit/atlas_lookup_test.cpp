// Lookups on small in-memory atlases whose answers can be worked out by hand.
#include <gtest/gtest.h>

#include <cmath>

#include "atlas/atlas.hpp"
#include "atlas/nifti_io.hpp"

namespace foci {
namespace {

// A 10 x 10 x 10 volume of 2 mm voxels, RAS storage, voxel (0,0,0) at (-9, -9, -9) mm, so
// voxel centres sit at odd millimetres from -9 to 9.
LabelVolume empty_volume() {
  LabelVolume v;
  v.size = {10, 10, 10};
  v.labels.assign(1000, 0);
  set_voxel_to_world(v, Affine::from_rows({{{2, 0, 0, -9}, {0, 2, 0, -9}, {0, 0, 2, -9}}}));
  return v;
}

void paint(LabelVolume& v, int i, int j, int k, std::int32_t label) {
  v.labels[v.offset(i, j, k)] = label;
}

AtlasManifest manifest(bool lateralised) {
  AtlasManifest m;
  m.name = "synthetic";
  m.lateralised = lateralised;
  return m;
}

LabelTable table() {
  return LabelTable({{1, "Region_L", Hemisphere::left},
                     {2, "Region_R", Hemisphere::right},
                     {3, "Vermis", std::nullopt},
                     {4, "Unused_L", Hemisphere::left}},
                    "test table");
}

TEST(AtlasLookup, NearestVoxelRoundsHalfUp) {
  auto v = empty_volume();
  paint(v, 4, 5, 5, 1);  // centre (-1, 1, 1)
  paint(v, 5, 5, 5, 2);  // centre ( 1, 1, 1)
  const Atlas atlas(manifest(true), v, table());
  EXPECT_EQ(atlas.lookup({-1.2, 1, 1}).label, 1);
  EXPECT_EQ(atlas.lookup({0.9, 1, 1}).label, 2);
  // Exactly between the two centres: continuous index 4.5 rounds up to voxel 5.
  EXPECT_EQ(atlas.lookup({0, 1, 1}).label, 2);
  EXPECT_DOUBLE_EQ(atlas.lookup({0.9, 1, 1}).distance_mm, 0.0);
}

TEST(AtlasLookup, OutsideTheVolumeIsLabelZero) {
  auto v = empty_volume();
  paint(v, 9, 9, 9, 1);
  const Atlas atlas(manifest(true), v, table());
  const auto hit = atlas.lookup({11, 9, 9});
  EXPECT_EQ(hit.label, 0);
  EXPECT_FALSE(hit.inside_volume);
  EXPECT_EQ(atlas.lookup({std::nan(""), 0, 0}).label, 0);
  EXPECT_EQ(atlas.lookup({std::nan(""), 0, 0}, 5).label, 0);
}

TEST(AtlasLookup, RadiusFindsNearestLabelledVoxelWithDistance) {
  auto v = empty_volume();
  paint(v, 7, 4, 4, 2);  // centre (5, -1, -1)
  const Atlas atlas(manifest(true), v, table());
  EXPECT_EQ(atlas.lookup({1, -1, -1}).label, 0) << "no radius: the voxel itself only";
  const auto hit = atlas.lookup({1, -1, -1}, 5);
  EXPECT_EQ(hit.label, 2);
  EXPECT_NEAR(hit.distance_mm, 4.0, 1e-9);
  EXPECT_NEAR(hit.voxel_centre.x, 5.0, 1e-9);
  EXPECT_EQ(atlas.lookup({1, -1, -1}, 3.9).label, 0) << "beyond the radius";
}

TEST(AtlasLookup, RadiusReachesIntoTheVolumeFromOutside) {
  auto v = empty_volume();
  paint(v, 9, 0, 0, 1);  // centre (9, -9, -9)
  const Atlas atlas(manifest(true), v, table());
  const auto hit = atlas.lookup({12, -9, -9}, 4);
  EXPECT_FALSE(hit.inside_volume);
  EXPECT_EQ(hit.label, 1);
  EXPECT_NEAR(hit.distance_mm, 3.0, 1e-9);
}

TEST(AtlasLookup, EqualDistancesGoToTheSmallerLabel) {
  auto v = empty_volume();
  paint(v, 3, 4, 4, 2);  // centre (-3, -1, -1)
  paint(v, 5, 4, 4, 1);  // centre ( 1, -1, -1)
  const Atlas atlas(manifest(true), v, table());
  const auto hit = atlas.lookup({-1, -1, -1}, 3);  // 2 mm from both
  EXPECT_EQ(hit.label, 1);
  EXPECT_NEAR(hit.distance_mm, 2.0, 1e-9);
  // Swap the labels: the answer follows the label number, not the position.
  paint(v, 3, 4, 4, 1);
  paint(v, 5, 4, 4, 2);
  const Atlas swapped(manifest(true), v, table());
  EXPECT_EQ(swapped.lookup({-1, -1, -1}, 3).label, 1);
  EXPECT_NEAR(swapped.lookup({-1, -1, -1}, 3).voxel_centre.x, -3.0, 1e-9);
}

TEST(AtlasLookup, RegionStatsGiveCentroidVolumeAndSide) {
  auto v = empty_volume();
  // Label 1: two voxels, centres (-9,-9,-9) and (-7,-9,-9): centroid (-8,-9,-9), 16 mm^3.
  paint(v, 0, 0, 0, 1);
  paint(v, 1, 0, 0, 1);
  paint(v, 9, 9, 9, 2);
  paint(v, 4, 4, 4, 3);
  paint(v, 5, 4, 4, 3);
  const Atlas atlas(manifest(true), v, table());
  const auto stats = atlas.region_stats();
  ASSERT_EQ(stats.size(), 4u);
  EXPECT_EQ(stats[0].name, "Region_L");
  EXPECT_EQ(stats[0].voxels, 2u);
  EXPECT_DOUBLE_EQ(stats[0].volume_mm3, 16.0);
  EXPECT_NEAR(stats[0].centroid.x, -8, 1e-9);
  EXPECT_NEAR(stats[0].centroid.y, -9, 1e-9);
  EXPECT_EQ(stats[0].hemisphere, Hemisphere::left);
  EXPECT_EQ(stats[1].hemisphere, Hemisphere::right);
  EXPECT_EQ(stats[2].hemisphere, Hemisphere::midline) << "lateralised atlas, no side in name";
  EXPECT_NEAR(stats[2].centroid.x, 0, 1e-9);
  EXPECT_EQ(stats[3].voxels, 0u);
  EXPECT_TRUE(std::isnan(stats[3].centroid.x)) << "a label with no voxels has no centroid";
}

TEST(AtlasLookup, BilateralAtlasReportsTheSideOfTheVoxel) {
  auto v = empty_volume();
  paint(v, 1, 4, 4, 3);  // x = -7
  paint(v, 8, 4, 4, 3);  // x = +7
  const Atlas atlas(manifest(false), v, table());
  EXPECT_EQ(atlas.label_hemisphere(3), Hemisphere::bilateral);
  EXPECT_EQ(atlas.hit_hemisphere(atlas.lookup({-7, -1, -1})), Hemisphere::left);
  EXPECT_EQ(atlas.hit_hemisphere(atlas.lookup({7, -1, -1})), Hemisphere::right);
}

}  // namespace
}  // namespace foci
