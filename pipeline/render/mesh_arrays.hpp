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

/// A surface-style overlay's value at each vertex of brain_mesh_arrays(settings, side),
/// sampled as `render` samples it (NaN where nothing was sampled).
std::vector<float> brain_overlay_values(const RenderSettings& settings,
                                        std::optional<Hemisphere> side,
                                        const SceneOverlay& overlay);

/// One isosurface of a blob-style overlay as `render` draws it: of one sign of a map of
/// values (`sign` 1 or -1) or of one label (`sign` 0), in its colour.
struct OverlayBlobArrays {
  MeshArrays mesh;
  Rgba8 colour{};
  int sign = 0;
};
std::vector<OverlayBlobArrays> overlay_blob_arrays(const SceneOverlay& overlay);

}  // namespace foci
