#include "meta/grid.hpp"

#include "atlas/nifti_io.hpp"
#include "core/error.hpp"

namespace foci {

std::array<double, 3> MetaGrid::voxel_mm() const {
  return {mask.voxel_to_world.column_norm(0), mask.voxel_to_world.column_norm(1),
          mask.voxel_to_world.column_norm(2)};
}

Affine mni_2mm_grid() {
  return Affine::from_rows({{{2, 0, 0, -90}, {0, 2, 0, -126}, {0, 0, 2, -72}}});
}

MetaGrid default_meta_grid(const LabelVolume& brain, const std::string& source) {
  MetaGrid grid;
  grid.mask_source = source;
  grid.mask.size = {91, 109, 91};
  set_voxel_to_world(grid.mask, mni_2mm_grid());
  grid.mask.labels.assign(grid.mask.voxel_count(), 0);
  for (int k = 0; k < grid.mask.size[2]; ++k)
    for (int j = 0; j < grid.mask.size[1]; ++j)
      for (int i = 0; i < grid.mask.size[0]; ++i) {
        if (brain.label_at(grid.mask.voxel_centre(i, j, k)) != 0) {
          grid.mask.labels[grid.mask.offset(i, j, k)] = 1;
          ++grid.mask_voxels;
        }
      }
  return grid;
}

MetaGrid meta_grid_from_mask_file(const std::string& path) {
  MetaGrid grid;
  grid.mask_source = path;
  try {
    grid.mask = read_label_volume(path);
  } catch (Error& e) {
    // The reader says what is wrong with the file; say what it was wanted for.
    throw e.with_context("cannot use '" + path + "' as a mask");
  }
  const auto& s = grid.mask.size;
  for (std::size_t n = 0; n < grid.mask.labels.size(); ++n) {
    const std::int32_t v = grid.mask.labels[n];
    if (v != 0 && v != 1) {
      const int i = static_cast<int>(n % s[0]), j = static_cast<int>(n / s[0] % s[1]),
                k = static_cast<int>(n / s[0] / s[1]);
      throw input_error("cannot use '" + path + "' as a mask: it is not binary (voxel " +
                        std::to_string(i) + ", " + std::to_string(j) + ", " + std::to_string(k) +
                        " holds " + std::to_string(v) + "; a mask holds only 0 and 1)");
    }
    grid.mask_voxels += static_cast<std::size_t>(v);
  }
  if (grid.mask_voxels == 0) {
    throw input_error("cannot use '" + path + "' as a mask: it holds no voxel of value 1");
  }
  return grid;
}

}  // namespace foci
