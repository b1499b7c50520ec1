#pragma once
// The 2D text and marks of a figure — title, panel letters and titles, legends, colour bars,
// node labels, view names and L/R marks — placed in the boxes the layout gives. Internal to
// the render stage.
#include <vtkRenderer.h>

#include <functional>
#include <optional>
#include <vector>

#include "render/figure_files.hpp"
#include "render/layout.hpp"
#include "render/scene.hpp"

namespace foci::annotations {

void add_figure_title(vtkRenderer* canvas, const std::string& title, const FigureLayout& layout);
/// "(a) Title" in the panel's header box.
void add_panel_header(vtkRenderer* canvas, const Panel& panel, const PanelLayout& box, double unit);
/// Colour legend, size legend, note and colour bar in the panel's footer box.
void add_panel_footer(vtkRenderer* canvas, const Panel& panel, const PanelLayout& box,
                      const FigureLayout& layout);
/// The view's name in its top-left corner and, where both hemispheres show, L and R on the
/// sides where they are, just beside the brain's lower corners (`brain`: its extent in the
/// view, pixels), not at the far corners of a wide view, where they would sit by the next
/// view's brain.
void add_view_marks(vtkRenderer* canvas, View view, const PixelBox& box, double unit,
                    const PixelBox& brain);
/// Node labels of one view, placed right of their nodes, larger nodes first; a label that
/// would overlap one already placed, or leave the view, is left out rather than piled up.
/// `side`: the hemisphere whose nodes the view shows (none: both). `renderer` is the view's
/// (for projecting nodes), `canvas` the one that draws text.
void place_labels(const Panel& panel, std::optional<Hemisphere> side, vtkRenderer* renderer,
                  const PixelBox& box, double size_px, vtkRenderer* canvas);

/// Takes the text out of the picture, for a figure that sets its text as text (PDF, SVG):
/// every text actor on `canvas` whose text `settable` accepts, and the numbers of every
/// colour bar, are hidden and returned where they were drawn (pixels from the top of a
/// figure `figure_height` high). Call after a first Render, which lays the text out; render
/// again for the picture without it.
std::vector<FigureText> take_text(vtkRenderer* canvas, double figure_height,
                                  const std::function<bool(const std::string&)>& settable);

}  // namespace foci::annotations
