#pragma once
// Values of a volumetric map carried onto a surface: for each vertex, the map is sampled
// along the inward normal, from the surface down to a depth, and the samples reduced to one
// value. Pure arithmetic on plain vectors, testable without VTK.
#include <string>
#include <vector>

#include "core/geometry.hpp"
#include "overlay/overlay_map.hpp"

namespace foci {

/// How the samples of one vertex become its value (the names BrainNet Viewer gives its
/// volume-to-surface mappings):
/// - extremum: the signed sample of largest magnitude, so a small cluster under the cortex
///   is not averaged away;
/// - nearest: the shallowest non-zero sample (the voxel with a value nearest the vertex);
/// - average: the mean of the nearest-voxel samples, zeros included;
/// - trilinear: the mean of trilinearly interpolated samples.
/// Label maps always use `nearest`: a mean of label numbers names no label.
enum class OverlayProjection { extremum, nearest, average, trilinear };
std::string to_string(OverlayProjection projection);
std::vector<std::string> overlay_projection_names();

struct ProjectionDepth {
  double depth_mm = 6;  ///< deepest sample below the vertex
  double step_mm = 1;   ///< between samples; the first is at the vertex itself
};

/// One value per vertex (NaN where every sample is outside the map or NaN). `points` in MNI
/// RAS mm; `outward_normals` of unit length (any length > 0 works; they are normalised).
std::vector<float> project_to_surface(const OverlayMap& map, const std::vector<Vec3>& points,
                                      const std::vector<Vec3>& outward_normals,
                                      OverlayProjection projection, ProjectionDepth depth = {});

}  // namespace foci
