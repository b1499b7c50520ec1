#pragma once
// The surfaces a figure draws (brain, region surfaces) as plain arrays, from the same mesh
// code and cache `foci render` uses, for drawing elsewhere (the web page). No VTK here.
#include <cstdint>
#include <optional>
#include <vector>

#include "render/render.hpp"
#include "render/scene.hpp"

namespace foci {

/// A triangle mesh: x, y, z per vertex in MNI RAS mm; three vertex indices per triangle.
struct MeshArrays {
  std::vector<float> points;
  std::vector<std::uint32_t> triangles;
};

/// The brain's outer surface as `render` draws it: the whole brain for the outer views, one
/// hemisphere closed along the midline (`side`) for the medial views.
MeshArrays brain_mesh_arrays(const RenderSettings& settings,
                             std::optional<Hemisphere> side = std::nullopt);

/// The surface of a region, as `render` draws it.
MeshArrays region_mesh_arrays(const SceneRegion& region, const RenderSettings& settings);

}  // namespace foci
