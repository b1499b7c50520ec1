#include "atlas/distance_transform.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace foci {

namespace {

constexpr float kInfinity = std::numeric_limits<float>::infinity();

// One dimension of the transform: d[q] = min_p spacing^2 (q - p)^2 + f[p], by the lower
// envelope of parabolas. `v`, `z` and `d` are scratch of size n, n + 1 and n.
void transform_1d(const float* f, float* out, int n, std::size_t stride, double spacing,
                  std::vector<int>& v, std::vector<double>& z, std::vector<double>& d) {
  const double s2 = spacing * spacing;
  int k = -1;
  for (int q = 0; q < n; ++q) {
    const double fq = f[q * stride];
    if (fq == kInfinity) continue;
    while (k >= 0) {
      const int p = v[k];
      const double fp = f[p * stride];
      const double intersection =
          ((fq + s2 * q * q) - (fp + s2 * static_cast<double>(p) * p)) / (2 * s2 * (q - p));
      if (intersection <= z[k]) {
        --k;
      } else {
        break;
      }
    }
    ++k;
    v[k] = q;
    z[k] = k == 0 ? -std::numeric_limits<double>::infinity()
                  : ((fq + s2 * q * q) -
                     (f[v[k - 1] * stride] + s2 * static_cast<double>(v[k - 1]) * v[k - 1])) /
                        (2 * s2 * (q - v[k - 1]));
    z[k + 1] = std::numeric_limits<double>::infinity();
  }
  if (k < 0) {
    for (int q = 0; q < n; ++q) d[q] = kInfinity;
  } else {
    int j = 0;
    for (int q = 0; q < n; ++q) {
      while (z[j + 1] < q) ++j;
      const int p = v[j];
      d[q] = s2 * (q - p) * static_cast<double>(q - p) + f[p * stride];
    }
  }
  for (int q = 0; q < n; ++q) out[q * stride] = static_cast<float>(d[q]);
}

}  // namespace

bool has_orthogonal_axes(const LabelVolume& volume) {
  const auto& m = volume.voxel_to_world.m;
  for (int a = 0; a < 3; ++a) {
    for (int b = a + 1; b < 3; ++b) {
      const double dot = m[0][a] * m[0][b] + m[1][a] * m[1][b] + m[2][a] * m[2][b];
      if (std::abs(dot) >
          1e-6 * volume.voxel_to_world.column_norm(a) * volume.voxel_to_world.column_norm(b)) {
        return false;
      }
    }
  }
  return true;
}

std::vector<float> squared_distance_to_labels(const LabelVolume& volume) {
  const int nx = volume.size[0], ny = volume.size[1], nz = volume.size[2];
  std::vector<float> d(volume.voxel_count());
  for (std::size_t n = 0; n < d.size(); ++n) d[n] = volume.labels[n] != 0 ? 0.0f : kInfinity;
  const int longest = std::max({nx, ny, nz});
  std::vector<int> v(longest);
  std::vector<double> z(longest + 1), scratch(longest);
  const double sx = volume.voxel_to_world.column_norm(0), sy = volume.voxel_to_world.column_norm(1),
               sz = volume.voxel_to_world.column_norm(2);
  const std::size_t row = nx, slice = static_cast<std::size_t>(nx) * ny;
  for (int k = 0; k < nz; ++k)
    for (int j = 0; j < ny; ++j) {
      float* line = d.data() + j * row + k * slice;
      transform_1d(line, line, nx, 1, sx, v, z, scratch);
    }
  for (int k = 0; k < nz; ++k)
    for (int i = 0; i < nx; ++i) {
      float* line = d.data() + i + k * slice;
      transform_1d(line, line, ny, row, sy, v, z, scratch);
    }
  for (int j = 0; j < ny; ++j)
    for (int i = 0; i < nx; ++i) {
      float* line = d.data() + i + j * row;
      transform_1d(line, line, nz, slice, sz, v, z, scratch);
    }
  return d;
}

}  // namespace foci
