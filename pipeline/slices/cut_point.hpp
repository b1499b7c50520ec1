#pragma once
// Where a map is, for the figure: the point ortho slices go through by default, and the box
// of its values. Where ortho slices go by default: through the middle of the map's strongest
// cluster. The peak voxel alone is a poor cut when the peak is a plateau (a region-wise map, a ball
// of one value): its first voxel in storage order lies on the plateau's edge, and the slices
// through it graze the cluster. A helper of the slices stage; it reads an OverlayMap and no file.
#include <optional>

#include "core/geometry.hpp"
#include "slices/slice_geometry.hpp"

namespace foci {

struct OverlayMap;

/// The centre of mass (MNI mm) of the voxels 26-connected to the peak whose value has the
/// peak's sign and at least half its magnitude, moved to the nearest of those voxels when
/// the centre lies outside them (a curved cluster); the peak itself for a label map.
Vec3 peak_cluster_centre(const OverlayMap& map);

/// The box (MNI mm, voxel corners) of the map's non-zero, non-NaN voxels; none when all are 0.
std::optional<WorldBox> value_extent(const OverlayMap& map);

}  // namespace foci
