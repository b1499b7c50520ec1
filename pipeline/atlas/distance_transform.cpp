#include "atlas/distance_transform.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "core/parallel.hpp"

namespace foci {

namespace {

constexpr float kInfinity = std::numeric_limits<float>::infinity();

// One dimension of the transform: d[q] = min_p spacing^2 (q - p)^2 + f[p], by the lower
// envelope of parabolas, in place; nearest[q] becomes nearest[p] of the p that gives the
// minimum. `v`, `z`, `d` and `from` are scratch of size n, n + 1, n and n.
void transform_1d(float* f, std::int32_t* nearest, int n, std::size_t stride, double spacing,
                  std::vector<int>& v, std::vector<double>& z, std::vector<double>& d,
                  std::vector<std::int32_t>& from) {
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
  if (k < 0) return;  // nothing labelled on this line yet: it stays infinite
  int j = 0;
  for (int q = 0; q < n; ++q) {
    while (z[j + 1] < q) ++j;
    const int p = v[j];
    d[q] = s2 * (q - p) * static_cast<double>(q - p) + f[p * stride];
    from[q] = nearest[p * stride];
  }
  for (int q = 0; q < n; ++q) {
    f[q * stride] = static_cast<float>(d[q]);
    nearest[q * stride] = from[q];
  }
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

std::vector<std::int32_t> nearest_labelled_voxels(const LabelVolume& volume) {
  const int nx = volume.size[0], ny = volume.size[1], nz = volume.size[2];
  std::vector<std::int32_t> nearest(volume.voxel_count(), -1);
  // The squared distances are scratch: the caller measures from the voxel found, exactly.
  std::vector<float> d(volume.voxel_count());
  for (std::size_t n = 0; n < d.size(); ++n) {
    if (volume.labels[n] != 0) {
      d[n] = 0.0f;
      nearest[n] = static_cast<std::int32_t>(n);
    } else {
      d[n] = kInfinity;
    }
  }
  const double sx = volume.voxel_to_world.column_norm(0), sy = volume.voxel_to_world.column_norm(1),
               sz = volume.voxel_to_world.column_norm(2);
  const std::size_t row = nx, slice = static_cast<std::size_t>(nx) * ny;
  // Each pass transforms lines along one axis, every line on its own: the lines of a pass
  // are shared among the cores in parts (an AAL map took 0.2 s on one), each part with its
  // own scratch. Every line's result is the same whichever thread computes it.
  const int longest = std::max({nx, ny, nz});
  const auto pass = [&](int lines, int n, std::size_t stride, double spacing,
                        const auto& first_of_line) {
    constexpr int kParts = 16;
    for_each_part_on_cores(kParts, [&](std::size_t part) {
      std::vector<int> v(longest);
      std::vector<double> z(longest + 1), scratch(longest);
      std::vector<std::int32_t> from(longest);
      const int begin = static_cast<int>(static_cast<long>(lines) * part / kParts);
      const int end = static_cast<int>(static_cast<long>(lines) * (part + 1) / kParts);
      for (int line = begin; line < end; ++line) {
        const std::size_t first = first_of_line(line);
        transform_1d(d.data() + first, nearest.data() + first, n, stride, spacing, v, z, scratch,
                     from);
      }
    });
  };
  pass(ny * nz, nx, 1, sx, [&](int line) { return (line % ny) * row + (line / ny) * slice; });
  pass(nx * nz, ny, row, sy, [&](int line) { return (line % nx) + (line / nx) * slice; });
  pass(nx * ny, nz, slice, sz, [&](int line) { return (line % nx) + (line / nx) * row; });
  return nearest;
}

}  // namespace foci
