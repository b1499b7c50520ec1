#pragma once
// The pieces of a VTK scene that `foci render` and `foci inspect` share, so the window
// shows exactly what the figures show: view geometry and camera fit, the brain's look, text,
// mesh actors, and which actors a view shows. Internal to the render stage.
#include <vtkActor.h>
#include <vtkCamera.h>
#include <vtkSmartPointer.h>
#include <vtkTextActor.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "render/meshes.hpp"
#include "render/scene.hpp"

namespace foci::scene_parts {

/// Camera direction (from focal point to camera) and view-up of each view.
void view_geometry(View view, double direction[3], double up[3]);
/// The hemisphere a medial view shows; none for the other views.
std::optional<Hemisphere> view_side(View view);
/// Which hemisphere is on the image's left in a view that shows both.
Hemisphere left_of_image(View view);
/// Whether something at x (mm) belongs in a view of `view_side`.
bool on_view_side(std::optional<Hemisphere> view_side, double x);

/// Font (Arial, or a CJK font for text that is not ASCII), size in pixels at 72 dpi, colour
/// and weight of figure text.
void set_text_style(vtkTextProperty* property, const std::string& content, double size_px,
                    Rgb colour, bool bold);
vtkSmartPointer<vtkTextActor> text(const std::string& content, double size_px, Rgb colour,
                                   bool bold, double x, double y, int justification,
                                   int vertical = 0);
vtkSmartPointer<vtkActor> mesh_actor(vtkPolyData* mesh, Rgb colour, double opacity);

/// The actors of one panel, built once and shared by its views; each list is parallel to
/// the panel's nodes, edges and regions (an empty region mesh gives a null actor).
struct PanelActors {
  std::vector<std::pair<Vec3, vtkSmartPointer<vtkActor>>> nodes;  ///< with their position
  std::vector<std::pair<std::optional<Hemisphere>, vtkSmartPointer<vtkActor>>> regions;
  std::vector<bool> coarse;  ///< parallel to regions: a lobe or hemisphere, drawn beneath
  CoarseStyle coarse_style = CoarseStyle::tint;
  std::vector<std::pair<double, vtkSmartPointer<vtkActor>>> edges;  ///< with mean x
  std::vector<std::pair<double, double>> edge_ends_x;  ///< parallel to edges: x of from and to, mm
  std::vector<vtkSmartPointer<vtkActor>> blobs;  ///< isosurfaces of blob-style overlays
};
PanelActors build_actors(const Panel& panel, const MeshCache& cache);

/// An edge's surface, mm: a tube, and for a directed edge a cone at `to` whose tip touches the
/// target node's surface (the tube ends in the cone's base).
vtkSmartPointer<vtkPolyData> edge_mesh(const SceneEdge& e);

/// What the brain surface looks like in each style.
struct SurfaceLook {
  Rgb colour;
  double opacity = 1;
};
SurfaceLook brain_look(BrainStyle style);

/// Points the camera at the brain (its mesh bounds, mm) from the view's direction with
/// parallel projection, zoomed so the brain fills a viewport of `aspect` (width / height)
/// with a margin.
void fit_camera(vtkCamera* camera, View view, const double bounds[6], double aspect);

/// The hemisphere whose regions a view shows: that of a medial view, and the near one of a
/// lateral view (the far hemisphere's regions would show through the glass and merge with
/// the near ones); none for the views that show both. A lateral view shows the near
/// hemisphere's nodes, and the edges with both ends there, too.
std::optional<Hemisphere> regions_side(View view);

/// Which of a panel's actors: the findings drawn on top, the coarse regions beneath them,
/// or both.
enum class ActorLayer { all, findings, coarse };

/// The actors a view shows, overlay blobs first: in a medial view only that hemisphere's
/// nodes, edges and regions; in a lateral view only the near hemisphere's nodes, regions and
/// edges between its nodes (as BrainNet Viewer draws a hemisphere's lateral view: the far
/// side's findings would show through the glass and read as the near side's); in the other
/// views all.
std::vector<vtkActor*> actors_in_view(const PanelActors& actors, View view,
                                      ActorLayer layer = ActorLayer::all);

/// Grid and smoothing of a region's outline, mm: fine enough for a 600-pixel view of a
/// 180 mm brain, smooth enough that voxel steps do not show.
constexpr double kOutlineGridMm = 0.5, kOutlineSmoothingMm = 1.0;

/// The outline of a mesh as seen from a view: the edge of its shadow on the image plane (the
/// region's silhouette, with its holes), not the creases of its folds, as lines `width_px`
/// wide placed just in front of `bounds` (the brain's, mm), so they draw over the brain.
vtkSmartPointer<vtkActor> outline_actor(vtkPolyData* mesh, View view, Rgb colour, double width_px,
                                        const double bounds[6]);

}  // namespace foci::scene_parts
