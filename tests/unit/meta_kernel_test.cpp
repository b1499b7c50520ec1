// The ALE and MKDA kernels, against the published formulae and NiMARE's numbers.
#include <gtest/gtest.h>

#include <cmath>
#include <numeric>

#include "meta/kernel.hpp"

namespace foci {
namespace {

constexpr double kPi = 3.14159265358979323846;

TEST(MetaKernel, AleFwhmFollowsTheSampleSize) {
  // Eickhoff et al. (2009): 5.7 mm and 11.6 mm between matching points, as FWHM.
  EXPECT_NEAR(ale_fwhm_mm(10), 10.00, 0.005);
  EXPECT_NEAR(ale_fwhm_mm(20), 9.24, 0.005);
  // By hand: templates 5.7 / (2 sqrt(2/pi)) sqrt(8 ln 2) = 8.4112 mm; subjects at N = 1
  // 17.1174 mm, over sqrt(N).
  const double t = 5.7 / (2 * std::sqrt(2 / kPi)) * std::sqrt(8 * std::log(2.0));
  const double s = 11.6 / (2 * std::sqrt(2 / kPi)) * std::sqrt(8 * std::log(2.0));
  EXPECT_NEAR(ale_fwhm_mm(46), std::sqrt(t * t + s * s / 46), 1e-12);
  EXPECT_GT(ale_fwhm_mm(5), ale_fwhm_mm(50)) << "larger samples, narrower kernels";
}

TEST(MetaKernel, AleKernelMatchesNimareAt2mm) {
  // NiMARE 0.20: N = 10 sigma 2.1238 voxels, 17^3, peak 0.006629; N = 20 sigma 1.9622
  // voxels, 17^3, peak 0.008405.
  EXPECT_NEAR(fwhm_to_sigma(ale_fwhm_mm(10)) / 2, 2.1238, 5e-5);
  EXPECT_NEAR(fwhm_to_sigma(ale_fwhm_mm(20)) / 2, 1.9622, 5e-5);
  const MetaKernel k10 = ale_kernel(10, {2, 2, 2});
  EXPECT_EQ(k10.width(), (std::array<int, 3>{17, 17, 17}));
  EXPECT_NEAR(k10.peak(), 0.006629, 5e-7);
  const MetaKernel k20 = ale_kernel(20, {2, 2, 2});
  EXPECT_EQ(k20.width(), (std::array<int, 3>{17, 17, 17}));
  EXPECT_NEAR(k20.peak(), 0.008405, 5e-7);
  // The peak is the centre voxel; the box sums to one (each factor does).
  EXPECT_DOUBLE_EQ(k10.ma[(8 * 17 + 8) * 17 + 8], k10.peak());
  EXPECT_NEAR(std::accumulate(k10.ma.begin(), k10.ma.end(), 0.0), 1.0, 1e-12);
  // The weight is -ln(1 - MA), the scale on which experiments add up.
  EXPECT_FLOAT_EQ(k10.weight[(8 * 17 + 8) * 17 + 8], static_cast<float>(-std::log1p(-k10.peak())));
}

TEST(MetaKernel, GaussianFactorIsTruncatedAtFourSigmaAndNormalised) {
  const auto f = gaussian_factor(1.0);
  ASSERT_EQ(f.size(), 9u) << "int(4 * 1 + 0.5) = 4 either side";
  EXPECT_NEAR(std::accumulate(f.begin(), f.end(), 0.0), 1.0, 1e-15);
  EXPECT_NEAR(f[5] / f[4], std::exp(-0.5), 1e-15);
  EXPECT_EQ(gaussian_factor(1.9).size(), 17u) << "int(8.1) = 8";
}

TEST(MetaKernel, AnisotropicVoxelsGetTheirOwnSigma) {
  const MetaKernel k = ale_kernel(10, {2, 2, 4});
  EXPECT_EQ(k.radius[0], 8);
  EXPECT_EQ(k.radius[2], 4) << "sigma 1.06 voxels along z: int(4.75) = 4";
}

TEST(MetaKernel, SphereHoldsTheVoxelsWithinTheRadius) {
  // Radius 10 mm at 2 mm: the lattice points within 5 voxels of the centre, 515 of them.
  const Affine two = Affine::from_rows({{{2, 0, 0, 0}, {0, 2, 0, 0}, {0, 0, 2, 0}}});
  const MetaKernel k = sphere_kernel(10, two);
  EXPECT_EQ(k.width(), (std::array<int, 3>{11, 11, 11}));
  EXPECT_EQ(std::accumulate(k.ma.begin(), k.ma.end(), 0.0), 515.0);
  EXPECT_EQ(k.ma[(5 * 11 + 5) * 11 + 10], 1.0) << "5 voxels along x is exactly 10 mm";
  EXPECT_EQ(k.ma[(6 * 11 + 5) * 11 + 10], 0.0) << "(5, 1, 0) voxels is 10.2 mm";
}

}  // namespace
}  // namespace foci
