#pragma once
#include <vector>

#include "atlas/label_volume.hpp"

namespace foci {

/// For every voxel, the squared distance (mm^2) from its centre to the nearest labelled
/// (non-zero) voxel centre; 0 in labelled voxels, infinity when the volume has no label.
/// Exact Euclidean distances (Felzenszwalb and Huttenlocher's separable algorithm) for grids
/// whose voxel axes are orthogonal; voxel sizes may differ per axis.
std::vector<float> squared_distance_to_labels(const LabelVolume& volume);

/// Whether the voxel axes of `volume` are orthogonal, so squared_distance_to_labels is exact.
bool has_orthogonal_axes(const LabelVolume& volume);

}  // namespace foci
