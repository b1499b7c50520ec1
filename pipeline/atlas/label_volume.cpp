#include "atlas/label_volume.hpp"

#include <algorithm>
#include <cmath>

namespace foci {

namespace {

// floor and ceil by truncation to an integer, inline: baseline x86-64 calls the library for
// std::floor and std::ceil, several times a row of every sphere. For |x| < 2^52 (indices).
double floor_small(double x) {
  if (!(std::abs(x) < 0x1p52)) return std::floor(x);
  const double t = static_cast<double>(static_cast<long long>(x));
  return t > x ? t - 1 : t;
}
double ceil_small(double x) {
  if (!(std::abs(x) < 0x1p52)) return std::ceil(x);
  const double t = static_cast<double>(static_cast<long long>(x));
  return t < x ? t + 1 : t;
}

}  // namespace

void for_each_run_in_sphere(const LabelVolume& grid, Vec3 centre, double radius,
                            const std::function<void(std::size_t, int)>& run) {
  const Vec3 c = grid.world_to_voxel.apply(centre);
  int lo[3], hi[3];
  const double at[3] = {c.x, c.y, c.z};
  for (int a = 0; a < 3; ++a) {
    const double half = radius * grid.world_to_voxel.row_norm(a);
    lo[a] = std::max(0, static_cast<int>(std::floor(at[a] - half)));
    hi[a] = std::min(grid.size[a] - 1, static_cast<int>(std::ceil(at[a] + half)));
  }
  if (!(radius >= 0) || lo[0] > hi[0]) return;
  // Along a row (j and k fixed) a voxel centre is step * i + base, and its squared distance
  // from the centre a quadratic in i whose roots bound the run. Where a root lies near a
  // whole i, that voxel is near the surface (common: whole-millimetre points and radii) and
  // rounding could put it either side: those ends are settled by measuring the voxels there
  // one by one, as the caller would, so a voxel is in exactly when measuring it says so.
  const auto& m = grid.voxel_to_world.m;
  const Vec3 step{m[0][0], m[1][0], m[2][0]};
  const double a2 = step.x * step.x + step.y * step.y + step.z * step.z;
  const double r2 = radius * radius;
  // Far beyond the rounding of these sums (relative 1e-15 or so), in voxels or squared mm.
  constexpr double kSure = 1e-6;
  const auto near_whole = [](double x) { return std::abs(x - floor_small(x + 0.5)) < kSure; };
  for (int k = lo[2]; k <= hi[2]; ++k) {
    for (int j = lo[1]; j <= hi[1]; ++j) {
      const Vec3 base = grid.voxel_centre(0, j, k) - centre;
      const double b = step.x * base.x + step.y * base.y + step.z * base.z;
      const double nearest_d2 = base.x * base.x + base.y * base.y + base.z * base.z - b * b / a2;
      if (nearest_d2 > r2 + kSure * (r2 + 1)) continue;  // the row passes clear of the sphere
      const double half_chord = std::sqrt(std::max(0.0, r2 - nearest_d2) / a2);
      const double from = -b / a2 - half_chord, to = -b / a2 + half_chord;
      // Whole i within [low, high] and within the box (empty when low > high).
      int first = 0, last = -1;
      const auto within_box = [&](double low, double high) {
        low = std::max(low, double(lo[0]));
        high = std::min(high, double(hi[0]));
        if (low <= high) first = static_cast<int>(low), last = static_cast<int>(high);
      };
      const bool grazing = r2 - nearest_d2 < kSure * (r2 + 1);
      if (grazing || near_whole(from) || near_whole(to)) {
        // Every voxel that can be in lies within a voxel of the estimate.
        within_box(floor_small(from) - 1, ceil_small(to) + 1);
        const auto inside = [&](int i) {
          return !(norm(grid.voxel_centre(i, j, k) - centre) > radius);
        };
        while (first <= last && !inside(first)) ++first;
        while (last >= first && !inside(last)) --last;
      } else {
        within_box(ceil_small(from), floor_small(to));
      }
      if (first > last) continue;
      run(grid.offset(first, j, k), last - first + 1);
    }
  }
}

}  // namespace foci
