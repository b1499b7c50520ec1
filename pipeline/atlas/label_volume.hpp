#pragma once
// The plain label volume: the value that crosses from the atlas side (ITK) to mapping and
// rendering (VTK). Neither toolkit's headers are needed to use it.
#include <array>
#include <cmath>
#include <cstdint>
#include <functional>
#include <vector>

#include "core/geometry.hpp"

namespace foci {

struct LabelVolume {
  /// Voxels along the file's i, j, k axes.
  std::array<int, 3> size{0, 0, 0};
  /// One label per voxel, i fastest, then j, then k (the NIfTI storage order).
  std::vector<std::int32_t> labels;
  /// Voxel index (i, j, k) -> MNI RAS mm, the centre of the voxel.
  Affine voxel_to_world;
  /// MNI RAS mm -> continuous voxel index; kept beside voxel_to_world so lookups do not
  /// invert a matrix per point.
  Affine world_to_voxel;

  std::size_t voxel_count() const { return static_cast<std::size_t>(size[0]) * size[1] * size[2]; }
  std::size_t offset(int i, int j, int k) const {
    return static_cast<std::size_t>(i) +
           static_cast<std::size_t>(size[0]) * (j + static_cast<std::size_t>(size[1]) * k);
  }
  bool contains(int i, int j, int k) const {
    return i >= 0 && j >= 0 && k >= 0 && i < size[0] && j < size[1] && k < size[2];
  }
  std::int32_t at(int i, int j, int k) const { return labels[offset(i, j, k)]; }
  /// Volume of one voxel in mm^3.
  double voxel_volume_mm3() const { return std::abs(voxel_to_world.determinant()); }

  /// The voxel whose centre is nearest to a world point (MNI RAS mm). A continuous index is
  /// rounded half up (floor(c + 0.5)), so a point exactly between two voxel centres goes to
  /// the voxel of higher index. Returns false when that voxel lies outside the volume.
  bool nearest_voxel(Vec3 world, std::array<int, 3>& index) const {
    const Vec3 c = world_to_voxel.apply(world);
    const double fi = c.x + 0.5, fj = c.y + 0.5, fk = c.z + 0.5;
    // Written so that NaN fails too. Past this check each value is >= 0, where truncation
    // equals floor (and avoids a call to floor, which baseline x86-64 does not inline).
    if (!(fi >= 0 && fj >= 0 && fk >= 0 && fi < size[0] && fj < size[1] && fk < size[2])) {
      return false;
    }
    index = {static_cast<int>(fi), static_cast<int>(fj), static_cast<int>(fk)};
    return true;
  }
  /// The label of the nearest voxel, 0 outside the volume.
  std::int32_t label_at(Vec3 world) const {
    std::array<int, 3> index;
    return nearest_voxel(world, index) ? at(index[0], index[1], index[2]) : 0;
  }
  Vec3 voxel_centre(int i, int j, int k) const {
    return voxel_to_world.apply({double(i), double(j), double(k)});
  }
};

/// The voxels of `grid` whose centres lie within `radius` mm of `centre` (MNI RAS mm), as
/// runs along i: calls run(offset of the run's first voxel, its length) for each row (j, k)
/// that has any, k then j rising. A voxel is in when norm(voxel_centre - centre) <= radius,
/// computed for that voxel, so a voxel on the surface is in.
void for_each_run_in_sphere(const LabelVolume& grid, Vec3 centre, double radius,
                            const std::function<void(std::size_t, int)>& run);

/// Sets voxel_to_world and world_to_voxel together.
void set_voxel_to_world(LabelVolume& volume, const Affine& voxel_to_world);

}  // namespace foci
