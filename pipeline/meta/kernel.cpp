#include "meta/kernel.hpp"

#include <algorithm>
#include <cmath>

namespace foci {

namespace {

constexpr double kPi = 3.14159265358979323846;

/// FWHM = sqrt(8 ln 2) sigma; the kernel papers give distances between matching points,
/// which are 2 sqrt(2/pi) sigma apart on average.
double fwhm_per_distance() { return std::sqrt(8.0 * std::log(2.0)) / (2.0 * std::sqrt(2.0 / kPi)); }

}  // namespace

double ale_fwhm_mm(double sample_size) {
  const double templates = 5.7 * fwhm_per_distance();
  const double subjects = 11.6 * fwhm_per_distance() / std::sqrt(sample_size);
  return std::sqrt(templates * templates + subjects * subjects);
}

double fwhm_to_sigma(double fwhm) { return fwhm / std::sqrt(8.0 * std::log(2.0)); }

std::vector<double> gaussian_factor(double sigma_voxels) {
  const int r = static_cast<int>(4.0 * sigma_voxels + 0.5);
  std::vector<double> w(2 * r + 1);
  double sum = 0;
  for (int i = -r; i <= r; ++i) {
    w[i + r] = std::exp(-0.5 * (i / sigma_voxels) * (i / sigma_voxels));
    sum += w[i + r];
  }
  for (double& v : w) v /= sum;
  return w;
}

double MetaKernel::peak() const {
  return ma.empty() ? 0.0 : *std::max_element(ma.begin(), ma.end());
}

MetaKernel ale_kernel(double sample_size, const std::array<double, 3>& voxel_mm) {
  const double sigma_mm = fwhm_to_sigma(ale_fwhm_mm(sample_size));
  std::array<std::vector<double>, 3> f;
  MetaKernel k;
  for (int a = 0; a < 3; ++a) {
    f[a] = gaussian_factor(sigma_mm / voxel_mm[a]);
    k.radius[a] = static_cast<int>(f[a].size() / 2);
  }
  const auto w = k.width();
  k.ma.reserve(static_cast<std::size_t>(w[0]) * w[1] * w[2]);
  for (int z = 0; z < w[2]; ++z)
    for (int y = 0; y < w[1]; ++y)
      for (int x = 0; x < w[0]; ++x) k.ma.push_back(f[0][x] * f[1][y] * f[2][z]);
  k.weight.reserve(k.ma.size());
  for (const double m : k.ma) k.weight.push_back(static_cast<float>(-std::log1p(-m)));
  return k;
}

MetaKernel sphere_kernel(double radius_mm, const Affine& voxel_to_world) {
  MetaKernel k;
  for (int a = 0; a < 3; ++a) {
    // A step along axis a moves column_norm(a) mm; the sphere reaches radius / that steps.
    k.radius[a] =
        std::max(0, static_cast<int>(std::floor(radius_mm / voxel_to_world.column_norm(a))));
  }
  const Vec3 origin = voxel_to_world.apply({0, 0, 0});
  for (int z = -k.radius[2]; z <= k.radius[2]; ++z)
    for (int y = -k.radius[1]; y <= k.radius[1]; ++y)
      for (int x = -k.radius[0]; x <= k.radius[0]; ++x) {
        const double d = norm(voxel_to_world.apply({double(x), double(y), double(z)}) - origin);
        k.ma.push_back(d <= radius_mm + 1e-9 ? 1.0 : 0.0);
      }
  k.weight.assign(k.ma.begin(), k.ma.end());
  return k;
}

}  // namespace foci
