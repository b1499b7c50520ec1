// Surface projection on a map built in memory: a column of voxels under one vertex, with
// values at known depths.
#include "overlay/projection.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace foci {
namespace {

/// A 1 mm RAS grid over x, y in -2..2 and z in 0..20 (voxel (i, j, k) at (i - 2, j - 2, k)),
/// zero but for `values_at_z` on the column x = y = 0.
OverlayMap column_map(const std::vector<std::pair<int, float>>& values_at_z) {
  OverlayMap map;
  map.size = {5, 5, 21};
  map.values.assign(5 * 5 * 21, 0.0f);
  map.voxel_to_mni = Affine::from_rows({{{1, 0, 0, -2}, {0, 1, 0, -2}, {0, 0, 1, 0}}});
  map.mni_to_voxel = map.voxel_to_mni.inverse();
  for (const auto& [z, v] : values_at_z) map.values[map.offset(2, 2, z)] = v;
  return map;
}

float project_one(const OverlayMap& map, OverlayProjection projection, Vec3 point = {0, 0, 10}) {
  return project_to_surface(map, {point}, {{0, 0, 2}}, projection).front();
}

TEST(OverlayProjection, ExtremumKeepsTheSignedValueOfLargestMagnitudeWithinSixMillimetres) {
  const auto map = column_map({{8, -7.0f}, {6, 5.0f}, {3, 9.0f}});
  EXPECT_FLOAT_EQ(project_one(map, OverlayProjection::extremum), -7.0f);
  // z = 3 lies 7 mm below the vertex: out of reach.
  EXPECT_FLOAT_EQ(project_one(column_map({{3, 9.0f}}), OverlayProjection::extremum), 0.0f);
  EXPECT_FLOAT_EQ(project_one(column_map({{4, 9.0f}}), OverlayProjection::extremum), 9.0f);
}

TEST(OverlayProjection, NearestTakesTheShallowestValue) {
  const auto map = column_map({{9, 2.0f}, {6, -8.0f}});
  EXPECT_FLOAT_EQ(project_one(map, OverlayProjection::nearest), 2.0f);
  EXPECT_FLOAT_EQ(project_one(column_map({}), OverlayProjection::nearest), 0.0f);
}

TEST(OverlayProjection, AverageAndTrilinearAverageTheSevenSamples) {
  const auto map = column_map({{7, 7.0f}});
  EXPECT_FLOAT_EQ(project_one(map, OverlayProjection::average), 1.0f);
  EXPECT_FLOAT_EQ(project_one(map, OverlayProjection::trilinear), 1.0f);
  // Half a millimetre off the voxel column, trilinear samples see half the value.
  EXPECT_FLOAT_EQ(project_one(map, OverlayProjection::trilinear, {0.5, 0, 10}), 0.5f);
}

TEST(OverlayProjection, VerticesOutsideTheMapGetNaN) {
  const auto map = column_map({{7, 7.0f}});
  EXPECT_TRUE(std::isnan(project_one(map, OverlayProjection::extremum, {40, 0, 10})));
}

TEST(OverlayProjection, LabelMapsUseTheNearestLabelWhateverTheProjection) {
  auto map = column_map({{9, 3.0f}, {6, 12.0f}});
  map.kind = OverlayKind::labels;
  EXPECT_FLOAT_EQ(project_one(map, OverlayProjection::extremum), 3.0f);
  EXPECT_FLOAT_EQ(project_one(map, OverlayProjection::average), 3.0f);
}

}  // namespace
}  // namespace foci
