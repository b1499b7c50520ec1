#pragma once
// Overlays as VTK actors: the brain surface coloured by the maps projected onto it, and
// isosurfaces ("blobs") of thresholded maps. The sampling itself is overlay/projection's;
// this file only turns its values into colours on meshes. Internal to the render stage.
#include <vtkActor.h>
#include <vtkPolyData.h>
#include <vtkSmartPointer.h>

#include <string>
#include <vector>

#include "render/scene.hpp"

namespace foci::scene_parts {

/// Whether `overlays` colour the brain's vertices (a surface-style overlay with a map): such a
/// brain is a panel's own; a brain without is drawn alike in every panel.
bool paints_brain(const std::vector<SceneOverlay>& overlays);

/// The brain as drawn in `style`; with surface overlays, its vertices take their colours
/// (opaque where a map has a value, the brain's own colour and opacity elsewhere). Sets
/// `coloured[i]` (parallel to `overlays`; may be null) when overlay i coloured a vertex.
vtkSmartPointer<vtkActor> brain_actor(vtkPolyData* brain, BrainStyle style,
                                      const std::vector<SceneOverlay>& overlays,
                                      std::vector<bool>* coloured = nullptr);

/// Per-vertex RGBA of a brain mesh under surface-style overlays; later overlays cover
/// earlier ones where they have a colour. `base` is the brain's colour and alpha elsewhere.
std::vector<Rgba8> overlay_vertex_colours(vtkPolyData* brain,
                                          const std::vector<SceneOverlay>& overlays, Rgba8 base,
                                          std::vector<bool>* coloured = nullptr);

/// The values of a surface-style overlay on each vertex of `brain` (which must carry
/// outward normals), sampled as overlay/projection says; NaN where nothing was sampled.
std::vector<float> overlay_vertex_values(vtkPolyData* brain, const SceneOverlay& overlay);

/// What a panel says of surface overlays that have values to draw but coloured no vertex
/// (a white-matter or deep map): empty when there are none.
std::string unreached_overlays_note(const std::vector<SceneOverlay>& overlays,
                                    const std::vector<bool>& coloured);

/// One isosurface of a blob-style overlay, in MNI mm: of one sign of a map of values
/// (`sign` 1 or -1), or of one label (`sign` 0), with its colour.
struct BlobSurface {
  vtkSmartPointer<vtkPolyData> mesh;
  Rgba8 colour{};
  int sign = 0;
};
/// The isosurfaces of a blob-style overlay (none for other styles).
std::vector<BlobSurface> blob_surfaces(const SceneOverlay& overlay);

/// Isosurfaces of the blob-style overlays: per sign for values (coloured by sign), per label
/// for label maps; in MNI mm.
std::vector<vtkSmartPointer<vtkActor>> blob_actors(const std::vector<SceneOverlay>& overlays);

}  // namespace foci::scene_parts
