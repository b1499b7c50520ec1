// Talairach <-> MNI against published numbers.
#include <gtest/gtest.h>

#include <cmath>

#include "core/coordinate_space.hpp"

namespace foci {
namespace {

void expect_near(Vec3 got, Vec3 want, double tolerance) {
  EXPECT_NEAR(got.x, want.x, tolerance);
  EXPECT_NEAR(got.y, want.y, tolerance);
  EXPECT_NEAR(got.z, want.z, tolerance);
}

// NiMARE's test suite (nimare/tests/test_transforms.py) publishes these pairs for its
// tal2mni / mni2tal, which implement Lancaster's icbm_other transform.
TEST(CoreCoordinateSpace, IcbmOtherMatchesNimarePublishedValues) {
  const Vec3 points[] = {{-44, 31, 27}, {20, -32, 14}, {28, -76, 28}};
  const Vec3 tal_to_mni[] = {{-45.83997568, 35.97904559, 23.55194326},
                             {22.69248975, -31.34145016, 13.91284087},
                             {31.53113226, -76.61685748, 33.22105166}};
  const Vec3 mni_to_tal[] = {
      {-42.3176, 26.0594, 29.7364}, {17.4781, -32.6076, 14.0009}, {24.7353, -75.0184, 23.3283}};
  for (int n = 0; n < 3; ++n) {
    expect_near(talairach_to_mni(points[n], TalairachTransform::icbm_other), tal_to_mni[n], 1e-6);
    expect_near(mni_to_talairach(points[n], TalairachTransform::icbm_other), mni_to_tal[n], 1e-4);
  }
  EXPECT_EQ(kDefaultTalairachTransform, TalairachTransform::icbm_other);
}

TEST(CoreCoordinateSpace, LancasterMatricesAreThePublishedOnes) {
  // Lancaster et al. 2007, icbm_spm2tal.m and icbm_fsl2tal.m: spot-check entries.
  const Affine spm = lancaster_icbm2tal(TalairachTransform::icbm_spm);
  EXPECT_DOUBLE_EQ(spm.m[0][0], 0.9254);
  EXPECT_DOUBLE_EQ(spm.m[1][2], -0.0871);
  EXPECT_DOUBLE_EQ(spm.m[2][3], 4.0926);
  const Affine fsl = lancaster_icbm2tal(TalairachTransform::icbm_fsl);
  EXPECT_DOUBLE_EQ(fsl.m[0][0], 0.9464);
  EXPECT_DOUBLE_EQ(fsl.m[1][2], -0.0580);
  EXPECT_DOUBLE_EQ(fsl.m[2][3], 3.1883);
  // Their forward transform of the origin is the published translation column.
  expect_near(mni_to_talairach({0, 0, 0}, TalairachTransform::icbm_spm), {-1.0207, -1.7667, 4.0926},
              1e-12);
}

TEST(CoreCoordinateSpace, TalairachToMniInvertsEachLancasterTransform) {
  for (auto t : {TalairachTransform::icbm_other, TalairachTransform::icbm_spm,
                 TalairachTransform::icbm_fsl}) {
    for (const Vec3 p : {Vec3{-44, 31, 27}, Vec3{60, -80, -40}, Vec3{0, 0, 0}}) {
      expect_near(mni_to_talairach(talairach_to_mni(p, t), t), p, 1e-9);
    }
  }
  // MNI brains are larger than Talairach's: a lateral Talairach point moves outwards.
  EXPECT_GT(std::abs(talairach_to_mni({-60, 0, 0}, TalairachTransform::icbm_spm).x), 60);
}

TEST(CoreCoordinateSpace, BrettMatricesAreThePublishedOnes) {
  // Brett's "The MNI brain and the Talairach atlas" gives mni2tal as
  //   above AC (z >= 0): [0.9900 0 0; 0 0.9688 0.0460; 0 -0.0485 0.9189]
  //   below AC (z <  0): [0.9900 0 0; 0 0.9688 0.0420; 0 -0.0485 0.8390]
  // The transform is linear, so unit vectors read its columns back; z = 0 is above AC.
  const auto brett = [](Vec3 p) { return mni_to_talairach(p, TalairachTransform::brett); };
  EXPECT_NEAR(brett({1, 0, 0}).x, 0.9900, 5e-5);
  EXPECT_NEAR(brett({0, 1, 0}).y, 0.9688, 5e-5);
  EXPECT_NEAR(brett({0, 1, 0}).z, -0.0485, 5e-5);
  EXPECT_NEAR(brett({0, 0, 1}).y, 0.0460, 5e-5);
  EXPECT_NEAR(brett({0, 0, 1}).z, 0.9189, 5e-5);
  EXPECT_NEAR(brett({0, 0, -1}).y, -0.0420, 5e-5);
  EXPECT_NEAR(brett({0, 0, -1}).z, -0.8390, 5e-5);
}

TEST(CoreCoordinateSpace, BrettRoundTripAwayFromTheAcPlane) {
  for (const Vec3 p : {Vec3{-40, 20, 40}, Vec3{30, -60, -30}}) {
    expect_near(
        talairach_to_mni(mni_to_talairach(p, TalairachTransform::brett), TalairachTransform::brett),
        p, 1e-9);
  }
}

TEST(CoreCoordinateSpace, ParsesSpaceAndTransformNames) {
  EXPECT_EQ(parse_coordinate_space("Talairach"), CoordinateSpace::talairach);
  EXPECT_EQ(parse_coordinate_space(" TAL "), CoordinateSpace::talairach);
  EXPECT_EQ(parse_coordinate_space("mni"), CoordinateSpace::mni);
  EXPECT_FALSE(parse_coordinate_space("dog").has_value());
  EXPECT_EQ(parse_talairach_transform("icbm_fsl"), TalairachTransform::icbm_fsl);
  EXPECT_FALSE(parse_talairach_transform("lancaster").has_value());
}

}  // namespace
}  // namespace foci
