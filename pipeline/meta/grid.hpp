#pragma once
// The grid a meta-analysis is computed on, and its brain mask: by default the MNI 2 mm grid
// (91 x 109 x 91 voxels, origin -90, -126, -72) masked by the Colin27 brain (ch2bet)
// resampled to it; or any binary NIfTI mask on its own grid.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "atlas/label_volume.hpp"

namespace foci {

struct MetaGrid {
  /// Voxels along i, j, k; the mask holds one byte per voxel, i fastest (NIfTI order).
  LabelVolume mask;
  /// Where the mask came from: "ch2bet" or the file given.
  std::string mask_source;
  std::size_t mask_voxels = 0;

  const std::array<int, 3>& size() const { return mask.size; }
  /// Voxel sizes in mm (the lengths of the voxel-to-world columns).
  std::array<double, 3> voxel_mm() const;
  bool in_mask(std::size_t offset) const { return mask.labels[offset] != 0; }
};

/// The MNI 2 mm grid: 91 x 109 x 91, voxel (0, 0, 0) at (-90, -126, -72) mm, RAS storage.
Affine mni_2mm_grid();

/// The default grid masked by `brain` (any grid, non-zero = brain), resampled by taking the
/// brain voxel nearest to each grid voxel's centre.
MetaGrid default_meta_grid(const LabelVolume& brain, const std::string& source);

/// A mask file on its own grid (sform first, as everywhere in foci). Throws Error (input)
/// naming the file when it cannot be read, is not 3-D, holds values other than 0 and 1, or
/// masks nothing.
MetaGrid meta_grid_from_mask_file(const std::string& path);

}  // namespace foci
