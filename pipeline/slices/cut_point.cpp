#include "slices/cut_point.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <vector>

#include "overlay/overlay_map.hpp"

namespace foci {

Vec3 peak_cluster_centre(const OverlayMap& map) {
  if (map.kind == OverlayKind::labels || map.peak_value == 0) return map.peak_mni;
  const Vec3 c = map.mni_to_voxel.apply(map.peak_mni);
  const std::array<int, 3> peak{static_cast<int>(std::lround(c.x)),
                                static_cast<int>(std::lround(c.y)),
                                static_cast<int>(std::lround(c.z))};
  const auto inside = [&](int i, int j, int k) {
    return i >= 0 && j >= 0 && k >= 0 && i < map.size[0] && j < map.size[1] && k < map.size[2];
  };
  if (!inside(peak[0], peak[1], peak[2])) return map.peak_mni;
  const float floor = std::abs(map.peak_value) / 2;
  const bool positive = map.peak_value > 0;
  const auto belongs = [&](std::size_t n) {
    const float v = map.values[n];
    return (positive ? v > 0 : v < 0) && std::abs(v) >= floor;
  };
  // A flood fill from the peak; the visited marks cost a byte a voxel, once.
  std::vector<unsigned char> seen(map.values.size(), 0);
  std::vector<std::array<int, 3>> stack{peak}, cluster;
  seen[map.offset(peak[0], peak[1], peak[2])] = 1;
  Vec3 sum;
  while (!stack.empty()) {
    const auto v = stack.back();
    stack.pop_back();
    cluster.push_back(v);
    sum = sum + Vec3{double(v[0]), double(v[1]), double(v[2])};
    for (int dk = -1; dk <= 1; ++dk) {
      for (int dj = -1; dj <= 1; ++dj) {
        for (int di = -1; di <= 1; ++di) {
          const int i = v[0] + di, j = v[1] + dj, k = v[2] + dk;
          if (!inside(i, j, k)) continue;
          const std::size_t n = map.offset(i, j, k);
          if (seen[n] || !belongs(n)) continue;
          seen[n] = 1;
          stack.push_back({i, j, k});
        }
      }
    }
  }
  const double count = static_cast<double>(cluster.size());
  const Vec3 centre{sum.x / count, sum.y / count, sum.z / count};
  // The cluster's voxel nearest to its centre of mass (the centre itself when a voxel is
  // there), first in storage order among equals, so the result does not depend on the fill.
  double best = std::numeric_limits<double>::infinity();
  std::array<int, 3> nearest = peak;
  for (const auto& v : cluster) {
    const double d = norm(Vec3{double(v[0]), double(v[1]), double(v[2])} - centre);
    const bool earlier =
        map.offset(v[0], v[1], v[2]) < map.offset(nearest[0], nearest[1], nearest[2]);
    if (d < best - 1e-9 || (std::abs(d - best) <= 1e-9 && earlier)) {
      best = d;
      nearest = v;
    }
  }
  return map.voxel_to_mni.apply({double(nearest[0]), double(nearest[1]), double(nearest[2])});
}

std::optional<WorldBox> value_extent(const OverlayMap& map) {
  std::array<int, 3> lo{map.size[0], map.size[1], map.size[2]}, hi{-1, -1, -1};
  std::size_t n = 0;
  for (int k = 0; k < map.size[2]; ++k) {
    for (int j = 0; j < map.size[1]; ++j) {
      for (int i = 0; i < map.size[0]; ++i, ++n) {
        const float v = map.values[n];
        if (v == 0 || std::isnan(v)) continue;
        lo = {std::min(lo[0], i), std::min(lo[1], j), std::min(lo[2], k)};
        hi = {std::max(hi[0], i), std::max(hi[1], j), std::max(hi[2], k)};
      }
    }
  }
  if (hi[0] < 0) return std::nullopt;
  return world_box_of_voxels(map.voxel_to_mni, lo, hi);
}

}  // namespace foci
