// Lookups on small in-memory atlases whose answers can be worked out by hand.
#include <gtest/gtest.h>

#include <array>
#include <cmath>
#include <limits>
#include <random>
#include <thread>

#include "atlas/atlas.hpp"
#include "atlas/distance_transform.hpp"
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

// A volume of `size` voxels on `grid` with `painted` voxels drawn at random and given labels
// 1-3 at random (a voxel drawn twice keeps the last).
LabelVolume randomly_painted(std::array<int, 3> size, const Affine& grid, int painted,
                             std::mt19937& random) {
  LabelVolume v;
  v.size = size;
  v.labels.assign(v.voxel_count(), 0);
  set_voxel_to_world(v, grid);
  std::uniform_int_distribution<int> label(1, 3), i(0, size[0] - 1), j(0, size[1] - 1),
      k(0, size[2] - 1);
  for (int n = 0; n < painted; ++n) paint(v, i(random), j(random), k(random), label(random));
  return v;
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

// The documented rule, written out as plainly as possible: of the labelled voxel centres
// within the radius, the nearest (distances within 1e-9 mm^2 tie), then the smaller label,
// then the first voxel in storage order.
AtlasHit brute_force_lookup(const LabelVolume& v, Vec3 point, double radius_mm) {
  AtlasHit hit;
  std::array<int, 3> own{};
  if (v.nearest_voxel(point, own) && v.at(own[0], own[1], own[2]) != 0) {
    hit.label = v.at(own[0], own[1], own[2]);
    hit.voxel_centre = v.voxel_centre(own[0], own[1], own[2]);
    return hit;
  }
  double nearest = std::numeric_limits<double>::infinity();
  for (int k = 0; k < v.size[2]; ++k)
    for (int j = 0; j < v.size[1]; ++j)
      for (int i = 0; i < v.size[0]; ++i) {
        const Vec3 d = v.voxel_centre(i, j, k) - point;
        const double d2 = d.x * d.x + d.y * d.y + d.z * d.z;
        if (v.at(i, j, k) != 0 && d2 <= radius_mm * radius_mm * (1 + 1e-12))
          nearest = std::min(nearest, d2);
      }
  if (nearest == std::numeric_limits<double>::infinity()) return hit;
  for (int k = 0; k < v.size[2]; ++k)
    for (int j = 0; j < v.size[1]; ++j)
      for (int i = 0; i < v.size[0]; ++i) {
        const Vec3 d = v.voxel_centre(i, j, k) - point;
        const double d2 = d.x * d.x + d.y * d.y + d.z * d.z;
        const std::int32_t label = v.at(i, j, k);
        if (label == 0 || d2 > nearest + 1e-9) continue;
        if (hit.label == 0 || label < hit.label) {
          hit.label = label;
          hit.distance_mm = std::sqrt(d2);
          hit.voxel_centre = v.voxel_centre(i, j, k);
        }
      }
  return hit;
}

// Whether atlas.lookup gives at `point` within `radius_mm` what brute_force_lookup gives in
// `v` (its label, distance and voxel); `expected` is set to the latter.
::testing::AssertionResult agrees_with_search_of_every_voxel(const Atlas& atlas,
                                                             const LabelVolume& v, Vec3 point,
                                                             double radius_mm, AtlasHit& expected) {
  expected = brute_force_lookup(v, point, radius_mm);
  const AtlasHit hit = atlas.lookup(point, radius_mm);
  if (hit.label == expected.label && std::abs(hit.distance_mm - expected.distance_mm) <= 1e-9 &&
      (expected.label == 0 || norm(hit.voxel_centre - expected.voxel_centre) <= 1e-9)) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "point (" << point.x << ", " << point.y << ", " << point.z << "), radius " << radius_mm
         << ": label " << hit.label << " at " << hit.distance_mm
         << " mm, the search of every voxel label " << expected.label << " at "
         << expected.distance_mm << " mm";
}

// The radius search reads a precomputed distance map and walks outwards from it; it must
// give what the plain search over every voxel gives, ties included. Points on a half-
// millimetre grid and labels on a coarse grid make equal distances common.
TEST(AtlasLookup, RadiusSearchAgreesWithSearchOfEveryVoxel) {
  std::mt19937 random(5);
  const std::array<Affine, 3> grids = {
      Affine::from_rows({{{2, 0, 0, -9}, {0, 2, 0, -9}, {0, 0, 2, -9}}}),
      Affine::from_rows({{{-1, 0, 0, 6}, {0, 1.5, 0, -7.5}, {0, 0, 3, -12}}}),  // LAS, anisotropic
      Affine::from_rows({{{0, 2, 0, -9}, {-2, 0, 0, 9}, {0, 0, 2, -9}}})};      // axes swapped
  int compared = 0, ties = 0, found = 0;
  for (const auto& grid : grids) {
    for (int trial = 0; trial < 6; ++trial) {
      const LabelVolume v = randomly_painted({10, 11, 9}, grid, trial < 3 ? 3 : 25, random);
      const Atlas atlas(manifest(true), v, table());
      std::uniform_int_distribution<int> half_mm(-40, 40);
      std::uniform_real_distribution<double> mm(-20, 20);
      for (int n = 0; n < 400; ++n) {
        const Vec3 point = n % 2 ? Vec3{0.5 * half_mm(random), 0.5 * half_mm(random),
                                        0.5 * half_mm(random)}
                                 : Vec3{mm(random), mm(random), mm(random)};
        for (const double radius : {0.0, 2.5, 6.0, 15.0}) {
          AtlasHit expected;
          ASSERT_TRUE(agrees_with_search_of_every_voxel(atlas, v, point, radius, expected));
          ++compared;
          found += expected.label != 0;
          if (expected.label != 0 && radius > 0) {
            int at_same_distance = 0;
            for (int kk = 0; kk < v.size[2]; ++kk)
              for (int jj = 0; jj < v.size[1]; ++jj)
                for (int ii = 0; ii < v.size[0]; ++ii)
                  if (v.at(ii, jj, kk) != 0 &&
                      std::abs(norm(v.voxel_centre(ii, jj, kk) - point) - expected.distance_mm) <
                          1e-9)
                    ++at_same_distance;
            ties += at_same_distance > 1;
          }
        }
      }
    }
  }
  EXPECT_EQ(compared, 3 * 6 * 400 * 4);
  EXPECT_GT(found, 2000) << "most searches should find a label";
  EXPECT_GT(ties, 30) << "the points should often be equally far from two labelled voxels";
}

// lookup_each finds each point's voxel as its reads are begun, a few points ahead: every
// answer is the one lookup gives, in its own slot (every other one here), points outside the
// volume included, and the slots between are left alone.
TEST(AtlasLookup, LookupEachGivesWhatLookupGivesPointByPoint) {
  std::mt19937 random(29);
  const LabelVolume v = randomly_painted(
      {12, 13, 11}, Affine::from_rows({{{-2, 0, 0, 11}, {0, 2, 0, -12}, {0, 0, 2, -10}}}), 8,
      random);
  const Atlas atlas(manifest(true), v, table());
  std::uniform_real_distribution<double> mm(-20, 20);  // the volume spans about -12..12
  std::vector<Vec3> points(101);
  for (auto& p : points) p = {mm(random), mm(random), mm(random)};
  for (const double radius : {0.0, 5.0}) {
    std::vector<AtlasHit> hits(2 * points.size());
    for (auto& h : hits) h.label = -7;  // marks the slots between
    atlas.lookup_each(points.data(), points.size(), radius, hits.data(), 2);
    int inside = 0;
    for (std::size_t n = 0; n < points.size(); ++n) {
      const AtlasHit expected = atlas.lookup(points[n], radius);
      const AtlasHit& hit = hits[2 * n];
      ASSERT_EQ(hit.label, expected.label) << "point " << n << ", radius " << radius;
      ASSERT_EQ(hit.distance_mm, expected.distance_mm) << n;
      ASSERT_EQ(hit.inside_volume, expected.inside_volume) << n;
      ASSERT_EQ(norm(hit.voxel_centre - expected.voxel_centre), 0.0) << n;
      ASSERT_EQ(hits[2 * n + 1].label, -7) << n;
      inside += hit.inside_volume;
    }
    EXPECT_GT(inside, 10);
    EXPECT_LT(inside, 90);
  }
}

// The walk starts from a table of where each hundredth of a millimetre begins and reads its
// steps in blocks, the last of which may reach past where it stops; on a 1 mm grid with
// labels far apart (long walks, many blocks) and points on a quarter-millimetre grid (ties,
// and distances on the table's bucket edges) it still gives what the plain search gives.
// A volume holding a negative value (only possible in memory) takes the box walk.
TEST(AtlasLookup, LongWalksAndNegativeValuesAgreeWithSearchOfEveryVoxel) {
  std::mt19937 random(17);
  int compared = 0, found = 0;
  for (int trial = 0; trial < 4; ++trial) {
    LabelVolume v = randomly_painted(
        {24, 22, 20}, Affine::from_rows({{{1, 0, 0, -12}, {0, 1, 0, -11}, {0, 0, 1, -10}}}), 4,
        random);
    if (trial == 3) paint(v, 0, 0, 0, -2);
    const Atlas atlas(manifest(true), v, table());
    std::uniform_int_distribution<int> quarter_mm(-56, 56);
    for (int n = 0; n < 300; ++n) {
      const Vec3 point{0.25 * quarter_mm(random), 0.25 * quarter_mm(random),
                       0.25 * quarter_mm(random)};
      for (const double radius : {3.0, 9.0, 20.0}) {
        AtlasHit expected;
        ASSERT_TRUE(agrees_with_search_of_every_voxel(atlas, v, point, radius, expected))
            << "trial " << trial;
        ++compared;
        found += expected.label != 0;
      }
    }
  }
  EXPECT_EQ(compared, 4 * 300 * 3);
  EXPECT_GT(found, 1000) << "many searches should reach a label";
}

// A walk whose reach stays inside the volume reads its steps as storage offsets, with no
// bounds check; points well inside volumes whose three axes have different lengths, steps
// and orientations (a reflected axis, swapped axes) give what the plain search gives.
TEST(AtlasLookup, WalksInsideTheVolumeAgreeWithSearchOfEveryVoxel) {
  std::mt19937 random(23);
  const std::array<Affine, 2> grids = {
      Affine::from_rows({{{-1, 0, 0, 17}, {0, 1, 0, -16}, {0, 0, 1, -15}}}),     // LAS, 1 mm
      Affine::from_rows({{{0, 1.5, 0, -25}, {1, 0, 0, -17}, {0, 0, 2, -31}}})};  // swapped
  int compared = 0, found = 0;
  for (const auto& grid : grids) {
    for (int trial = 0; trial < 3; ++trial) {
      const LabelVolume v = randomly_painted({35, 33, 31}, grid, 30, random);
      const Atlas atlas(manifest(true), v, table());
      // Points whose voxel lies at least 12 voxels from every face.
      std::uniform_int_distribution<int> inner_i(12, 22), inner_j(12, 20), inner_k(12, 18);
      std::uniform_real_distribution<double> within_voxel(-0.5, 0.5);
      for (int n = 0; n < 250; ++n) {
        const Vec3 index{inner_i(random) + within_voxel(random),
                         inner_j(random) + within_voxel(random),
                         inner_k(random) + (n % 2 ? 0.25 * std::round(4 * within_voxel(random))
                                                  : within_voxel(random))};
        const Vec3 point = v.voxel_to_world.apply(index);
        for (const double radius : {4.0, 8.0}) {
          AtlasHit expected;
          ASSERT_TRUE(agrees_with_search_of_every_voxel(atlas, v, point, radius, expected));
          ++compared;
          found += expected.label != 0;
        }
      }
    }
  }
  EXPECT_EQ(compared, 2 * 3 * 250 * 2);
  EXPECT_GT(found, 500) << "many searches should reach a label";
}

// The radius search starts from each voxel's nearest labelled voxel; that voxel must be as
// near as any labelled voxel (the distance bounds the search from below), on anisotropic and
// swapped grids, and a volume without labels has none.
TEST(AtlasLookup, NearestLabelledVoxelIsAsNearAsAnyLabelledVoxel) {
  std::mt19937 random(9);
  const std::array<Affine, 2> grids = {
      Affine::from_rows({{{-1, 0, 0, 6}, {0, 1.5, 0, -7.5}, {0, 0, 3, -12}}}),
      Affine::from_rows({{{0, 2, 0, -9}, {-0.7, 0, 0, 9}, {0, 0, 2, -9}}})};
  for (const auto& grid : grids) {
    for (const int painted : {0, 1, 12}) {
      LabelVolume v;
      v.size = {9, 12, 7};
      v.labels.assign(v.voxel_count(), 0);
      set_voxel_to_world(v, grid);
      std::uniform_int_distribution<int> i(0, 8), j(0, 11), k(0, 6);
      for (int n = 0; n < painted; ++n) paint(v, i(random), j(random), k(random), 1 + n % 3);
      const auto nearest = nearest_labelled_voxels(v);
      ASSERT_EQ(nearest.size(), v.voxel_count());
      for (int kk = 0; kk < v.size[2]; ++kk)
        for (int jj = 0; jj < v.size[1]; ++jj)
          for (int ii = 0; ii < v.size[0]; ++ii) {
            const std::int32_t found = nearest[v.offset(ii, jj, kk)];
            if (painted == 0) {
              EXPECT_EQ(found, -1);
              continue;
            }
            ASSERT_GE(found, 0);
            ASSERT_NE(v.labels[found], 0);
            const Vec3 centre = v.voxel_centre(ii, jj, kk);
            double best = std::numeric_limits<double>::infinity();
            for (std::size_t n = 0; n < v.labels.size(); ++n) {
              if (v.labels[n] == 0) continue;
              const int fi = static_cast<int>(n % v.size[0]);
              const int fj = static_cast<int>(n / v.size[0] % v.size[1]);
              const int fk = static_cast<int>(n / v.size[0] / v.size[1]);
              best = std::min(best, norm(v.voxel_centre(fi, fj, fk) - centre));
            }
            const auto f = static_cast<std::size_t>(found);
            const Vec3 at = v.voxel_centre(static_cast<int>(f % v.size[0]),
                                           static_cast<int>(f / v.size[0] % v.size[1]),
                                           static_cast<int>(f / v.size[0] / v.size[1]));
            EXPECT_NEAR(norm(at - centre), best, 1e-6) << ii << "," << jj << "," << kk;
          }
    }
  }
}

// Lookups share the atlas between threads (atlas query answers blocks of rows on several);
// the first radius searches, which build the search order and the nearest-voxel map, may
// come from several threads at once and must answer as one thread does.
TEST(AtlasLookup, RadiusSearchesFromSeveralThreadsAnswerAsOneThreadDoes) {
  LabelVolume v = empty_volume();
  std::mt19937 random(3);
  std::uniform_int_distribution<int> index(0, 9), label(1, 3);
  for (int n = 0; n < 20; ++n) paint(v, index(random), index(random), index(random), label(random));
  std::vector<Vec3> points;
  std::uniform_real_distribution<double> mm(-14, 14);
  for (int n = 0; n < 2000; ++n) points.push_back({mm(random), mm(random), mm(random)});
  const Atlas shared(manifest(true), v, table());
  std::vector<std::vector<AtlasHit>> answers(4);
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < answers.size(); ++t) {
    threads.emplace_back([&, t] {
      // Different radii first, so the search order is grown while others read it.
      for (const double radius : {2.0 + 3.0 * t, 12.0}) {
        for (const auto& p : points) answers[t].push_back(shared.lookup(p, radius));
      }
    });
  }
  for (auto& t : threads) t.join();
  const Atlas alone(manifest(true), v, table());
  for (std::size_t t = 0; t < answers.size(); ++t) {
    std::size_t n = 0;
    for (const double radius : {2.0 + 3.0 * t, 12.0}) {
      for (const auto& p : points) {
        const AtlasHit expected = alone.lookup(p, radius);
        ASSERT_EQ(answers[t][n].label, expected.label) << "thread " << t << ", radius " << radius;
        EXPECT_EQ(answers[t][n].distance_mm, expected.distance_mm);
        ++n;
      }
    }
  }
}

}  // namespace
}  // namespace foci

namespace foci {
namespace {

// The sphere painted for a coordinate in `foci map`'s maps: its runs of voxels are exactly
// the voxels, of the whole volume, whose centres measure within the radius one by one, on
// grids of every kind, for whole-millimetre centres and radii (voxels on the surface) and
// random ones, and for spheres that leave the volume.
TEST(SphereRuns, AreTheVoxelsWithinTheRadiusMeasuredOneByOne) {
  const double turn = 0.35;  // radians about z: an oblique grid
  const std::array<Affine, 4> grids = {
      Affine::from_rows({{{-1, 0, 0, 14}, {0, 1, 0, -13}, {0, 0, 1, -12}}}),    // LAS, 1 mm
      Affine::from_rows({{{2, 0, 0, -27}, {0, 2, 0, -25}, {0, 0, 2, -23}}}),    // 2 mm
      Affine::from_rows({{{0, 1.5, 0, -20}, {1, 0, 0, -14}, {0, 0, 2, -25}}}),  // swapped
      Affine::from_rows({{{std::cos(turn), -std::sin(turn), 0, -10},
                          {std::sin(turn), std::cos(turn), 0, -16},
                          {0, 0, 1.25, -15}}})};
  std::mt19937 random(5);
  std::uniform_real_distribution<double> coordinate(-16, 16), real_radius(0, 9);
  for (const Affine& grid : grids) {
    LabelVolume v;
    v.size = {27, 25, 23};
    set_voxel_to_world(v, grid);
    for (int trial = 0; trial < 120; ++trial) {
      const bool whole = trial % 2 == 0;
      const Vec3 centre = whole
                              ? Vec3{std::round(coordinate(random)), std::round(coordinate(random)),
                                     std::round(coordinate(random))}
                              : Vec3{coordinate(random), coordinate(random), coordinate(random)};
      const double radius = whole ? std::round(real_radius(random)) : real_radius(random);
      std::vector<std::size_t> expected;
      for (int k = 0; k < v.size[2]; ++k)
        for (int j = 0; j < v.size[1]; ++j)
          for (int i = 0; i < v.size[0]; ++i) {
            if (!(norm(v.voxel_centre(i, j, k) - centre) > radius)) {
              expected.push_back(v.offset(i, j, k));
            }
          }
      std::vector<std::size_t> painted;
      for_each_run_in_sphere(v, centre, radius, [&](std::size_t first, int length) {
        ASSERT_GT(length, 0);
        for (int n = 0; n < length; ++n) painted.push_back(first + n);
      });
      ASSERT_EQ(painted, expected)
          << "centre " << centre.x << ", " << centre.y << ", " << centre.z << ", radius " << radius;
    }
  }
}

}  // namespace
}  // namespace foci
