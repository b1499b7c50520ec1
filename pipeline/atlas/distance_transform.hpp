#pragma once
#include <cstdint>
#include <vector>

#include "atlas/label_volume.hpp"

namespace foci {

/// For every voxel, the storage offset of a labelled (non-zero) voxel whose centre is nearest
/// to its centre: itself in a labelled voxel, -1 when the volume has no label. Ties go to
/// any of the nearest. Exact Euclidean distances (Felzenszwalb and Huttenlocher's separable
/// algorithm, keeping the parabola that gives each minimum) for grids whose voxel axes are
/// orthogonal; voxel sizes may differ per axis. Needs fewer than 2^31 voxels.
std::vector<std::int32_t> nearest_labelled_voxels(const LabelVolume& volume);

/// Whether the voxel axes of `volume` are orthogonal, so squared_distance_to_labels is exact.
bool has_orthogonal_axes(const LabelVolume& volume);

}  // namespace foci
