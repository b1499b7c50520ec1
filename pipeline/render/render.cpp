// Figures with VTK: one render window holds every view of every panel, laid out by
// layout.hpp, annotated by annotations.hpp, written by png_output.hpp. A figure with rows of
// views stacked above one another is drawn a band of rows at a time (draw_in_bands).
#include "render/render.hpp"

#include <vtk_glew.h>

#include <vtkActor.h>
#include <vtkActor2D.h>
#include <vtkActor2DCollection.h>
#include <vtkCamera.h>
#include <vtkCommand.h>
#include <vtkCoordinate.h>
#include <vtkImageData.h>
#include <vtkMapper.h>
#include <vtkNew.h>
#include <vtkOrderIndependentTranslucentPass.h>
#include <vtkPolyData.h>
#include <vtkProperty.h>
#include <vtkRenderStepsPass.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkRendererCollection.h>
#include <vtkSmartPointer.h>
#include <vtkTextActor.h>
#include <vtkVersion.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cmath>
#include <cstring>
#include <functional>
#include <map>
#include <optional>

#include "core/error.hpp"
#include "core/output_file.hpp"
#include "render/annotations.hpp"
#include "render/edge_smoothing.hpp"
#include "render/figure_files.hpp"
#include "render/frame_memory.hpp"
#include "render/layout.hpp"
#include "render/meshes.hpp"
#include "render/overlay_actors.hpp"
#include "render/png_output.hpp"
#include "render/scene_actors.hpp"
#include "render/vtk_messages.hpp"

namespace foci {

using namespace scene_parts;

void prepare_meshes(const Figure& figure, const RenderSettings& settings) {
  const MeshCache cache(settings.cache_directory, settings.log);
  brain_surface(settings.brain, settings.brain_key, std::nullopt, cache);
  for (const auto& panel : figure.panels) {
    for (const View view : panel.views) {
      if (const auto side = view_side(view)) {
        brain_surface(settings.brain, settings.brain_key, side, cache);
      }
    }
    for (const auto& region : panel.regions) region_surface(region, cache);
  }
}

std::string renderer_version() { return std::string("VTK ") + vtkVersion::GetVTKVersion(); }

namespace {

/// The brain's extent in a view, pixels: its bounds' corners projected by the view's
/// renderer (a parallel projection of a box along its axes, so its corners are its extremes).
PixelBox brain_in_view(vtkRenderer* renderer, const double bounds[6]) {
  PixelBox box{1e300, 1e300, -1e300, -1e300};
  vtkNew<vtkCoordinate> coordinate;
  coordinate->SetCoordinateSystemToWorld();
  for (int corner = 0; corner < 8; ++corner) {
    coordinate->SetValue(bounds[corner & 1], bounds[2 + ((corner >> 1) & 1)],
                         bounds[4 + ((corner >> 2) & 1)]);
    const double* at = coordinate->GetComputedDoubleDisplayValue(renderer);
    box.x0 = std::min(box.x0, at[0]), box.x1 = std::max(box.x1, at[0]);
    box.y0 = std::min(box.y0, at[1]), box.y1 = std::max(box.y1, at[1]);
  }
  return box;
}

/// Paces the software renderer view by view. llvmpipe sorts a frame's triangles into tiles as
/// they come and draws them when the frame is flushed: left to itself, it holds a whole
/// figure's sorted triangles at once (45 MB more for a six-view figure; a batch's worker went
/// over its memory goal), where drawing view by view (as VTK's FXAA made it, by reading each
/// view back) holds one or two. Waiting for each view before the next is sorted holds the
/// least; waiting only for the one before it lets the next be sorted while it is drawn
/// (0.1 s sooner for a six-view 1600x1200 figure), holding two.
class ViewPacer : public vtkCommand {
 public:
  static ViewPacer* New() { return new ViewPacer; }
  bool wait_for_each_view = true;
  void Execute(vtkObject*, unsigned long, void*) override {
    GLsync handed = glFenceSync(GL_SYNC_GPU_COMMANDS_COMPLETE, 0);
    glFlush();
    if (wait_for_each_view) {
      glClientWaitSync(handed, 0, GL_TIMEOUT_IGNORED);
      glDeleteSync(handed);
      return;
    }
    if (previous_) {
      glClientWaitSync(previous_, 0, GL_TIMEOUT_IGNORED);
      glDeleteSync(previous_);
    }
    previous_ = handed;
  }

 private:
  // The last view's fence goes with the window's context.
  GLsync previous_ = nullptr;
};

/// Narrows a view's renderers to the pixels they draw on: the projected box of everything in
/// them and of the brain, plus a margin, within the view's box. Clears and the glass brain's
/// transparency buffers cost per pixel of a renderer's viewport on a software renderer, and a
/// view is mostly white margin; edges are smoothed only inside the box. The camera is moved
/// with the viewport, its scale kept per pixel, so every point lands on the same pixel as in
/// the whole view; the margin covers the smoothing's reach so its pixels do not change either.
void fit_viewports_to_drawing(const std::vector<vtkRenderer*>& renderers, const double brain[6],
                              double window_width, double window_height) {
  vtkRenderer* whole = renderers.front();
  int width = 0, height = 0, x = 0, y = 0;
  whole->GetTiledSizeAndOrigin(&width, &height, &x, &y);
  double drawn[6] = {brain[0], brain[1], brain[2], brain[3], brain[4], brain[5]};
  for (vtkRenderer* renderer : renderers) {
    double bounds[6];
    renderer->ComputeVisiblePropBounds(bounds);
    if (bounds[0] > bounds[1]) continue;  // nothing visible
    for (int a = 0; a < 3; ++a) {
      drawn[2 * a] = std::min(drawn[2 * a], bounds[2 * a]);
      drawn[2 * a + 1] = std::max(drawn[2 * a + 1], bounds[2 * a + 1]);
    }
  }
  const PixelBox box = brain_in_view(whole, drawn);
  constexpr double kMargin = 24;  // pixels: smoothing reads a few pixels across an edge
  const int x0 = std::max(x, static_cast<int>(std::floor(box.x0 - kMargin)));
  const int y0 = std::max(y, static_cast<int>(std::floor(box.y0 - kMargin)));
  const int x1 = std::min(x + width, static_cast<int>(std::ceil(box.x1 + kMargin)));
  const int y1 = std::min(y + height, static_cast<int>(std::ceil(box.y1 + kMargin)));
  if (x1 - x0 < 16 || y1 - y0 < 16) return;  // off view: leave it whole
  vtkCamera* camera = whole->GetActiveCamera();
  vtkNew<vtkCamera> narrowed;
  narrowed->DeepCopy(camera);
  narrowed->SetParallelScale(camera->GetParallelScale() * (y1 - y0) / height);
  // The window centre says which view-plane point the viewport's centre shows, in halves of
  // the viewport: the point the whole view showed at that pixel.
  narrowed->SetWindowCenter(2.0 * ((x0 + x1) / 2.0 - (x + width / 2.0)) / (x1 - x0),
                            2.0 * ((y0 + y1) / 2.0 - (y + height / 2.0)) / (y1 - y0));
  for (vtkRenderer* renderer : renderers) {
    renderer->SetViewport(x0 / window_width, y0 / window_height, x1 / window_width,
                          y1 / window_height);
    renderer->SetActiveCamera(narrowed);
  }
}

/// The renderers of one view: the brain on layer 0 and, for a glass brain, the findings on
/// layer 1 above it, so they keep their true colours instead of being washed out by the
/// translucent surface. Returns the view's renderers, the brain's first.
/// `brain` is what the view shows (a hemisphere in medial views); every view is framed on
/// the whole brain's `bounds`, so views of one figure share a scale and a centre.
std::vector<vtkRenderer*> add_view(vtkRenderWindow* window, const Figure& figure,
                                   const PixelBox& box, View view, vtkActor* brain,
                                   const double bounds[6], const PanelActors& actors,
                                   vtkRenderPass* glass_pass, vtkCommand* pacer) {
  const double W = figure.width, H = figure.height;
  vtkNew<vtkCamera> camera;
  fit_camera(camera, view, bounds, box.width() / box.height());
  auto brain_layer = vtkSmartPointer<vtkRenderer>::New();
  brain_layer->SetViewport(box.x0 / W, box.y0 / H, box.x1 / W, box.y1 / H);
  brain_layer->SetLayer(0);
  brain_layer->SetActiveCamera(camera);
  brain_layer->SetBackground(1, 1, 1);
  brain_layer->SetBackgroundAlpha(figure.transparent_background ? 0.0 : 1.0);
  brain_layer->AddActor(brain);
  vtkRenderer* findings_layer = brain_layer;
  const bool glass = figure.style == BrainStyle::glass;
  if (glass) {
    brain_layer->SetPass(glass_pass);
    vtkNew<vtkRenderer> overlay;
    overlay->SetViewport(box.x0 / W, box.y0 / H, box.x1 / W, box.y1 / H);
    overlay->SetLayer(1);
    overlay->SetActiveCamera(camera);
    overlay->SetPreserveColorBuffer(1);
    findings_layer = overlay;
    window->AddRenderer(overlay);
  }
  window->AddRenderer(brain_layer);
  for (vtkActor* actor : actors_in_view(actors, view, ActorLayer::findings)) {
    findings_layer->AddActor(actor);
  }
  // Coarse regions (a lobe, a hemisphere) go with the brain, beneath the findings layer: a
  // specific region inside one keeps its colour.
  for (vtkActor* actor : actors_in_view(actors, view, ActorLayer::coarse)) {
    if (actors.coarse_style == CoarseStyle::outline) {
      double rgb[3];
      actor->GetProperty()->GetColor(rgb);
      const double width = std::max(1.5, std::min(W, H) / 500.0);
      brain_layer->AddActor(outline_actor(vtkPolyData::SafeDownCast(actor->GetMapper()->GetInput()),
                                          view, {rgb[0], rgb[1], rgb[2]}, width, bounds));
    } else {
      brain_layer->AddActor(actor);
    }
  }
  std::vector<vtkRenderer*> renderers{brain_layer};
  if (findings_layer != brain_layer) renderers.push_back(findings_layer);
  // Last of the view's renderers: the view is handed over.
  renderers.back()->AddObserver(vtkCommand::EndEvent, pacer);
  return renderers;
}

/// Whether every annotation on the canvas is placed in pixels (the canvas spans the window,
/// so display and viewport pixels are the same), so a band of the figure can show it moved
/// down by the band's start. A colour bar is placed in fractions of its viewport and laid out
/// by the viewport's size: a figure with one is drawn whole.
bool canvas_moves_by_pixels(vtkRenderer* canvas) {
  vtkActor2DCollection* actors = canvas->GetActors2D();
  actors->InitTraversal();
  while (vtkActor2D* actor = actors->GetNextActor2D()) {
    const int system = actor->GetPositionCoordinate()->GetCoordinateSystem();
    if (system != VTK_VIEWPORT && system != VTK_DISPLAY) return false;
  }
  return true;
}

/// The boxes of the canvas's text in the figure's pixels, a pixel wider all round: glyphs are
/// anti-aliased as they are drawn, and smoothing them again would blur them.
std::vector<ImageRect> text_boxes(vtkRenderer* canvas) {
  std::vector<ImageRect> boxes;
  vtkActor2DCollection* actors = canvas->GetActors2D();
  actors->InitTraversal();
  while (vtkActor2D* actor = actors->GetNextActor2D()) {
    auto* text = vtkTextActor::SafeDownCast(actor);
    if (!text || !text->GetVisibility()) continue;
    // The box is measured from where the text is anchored.
    double box[4];  // x min, x max, y min, y max
    text->GetBoundingBox(canvas, box);
    const double* at = text->GetPositionCoordinate()->GetComputedDoubleDisplayValue(canvas);
    boxes.push_back({static_cast<int>(std::floor(at[0] + box[0])) - 1,
                     static_cast<int>(std::floor(at[1] + box[2])) - 1,
                     static_cast<int>(std::ceil(at[0] + box[1])) + 2,
                     static_cast<int>(std::ceil(at[1] + box[3])) + 2});
  }
  return boxes;
}

/// Smooths the edges of every view in the figure's pixels (render/edge_smoothing.hpp), as
/// VTK's FXAA did on each view's renderer before the canvas was drawn over them: the text on
/// the canvas is left alone.
void smooth_view_edges(vtkImageData* image, const std::vector<ImageRect>& views,
                       const std::vector<ImageRect>& text) {
  int size[3];
  image->GetDimensions(size);
  auto* pixels = static_cast<unsigned char*>(image->GetScalarPointer());
  for (const ImageRect& view : views) {
    smooth_edges(pixels, size[0], size[1], image->GetNumberOfScalarComponents(), view, text);
  }
}

/// Draws the window's figure band by band (layout.hpp's drawing_bands) in a window
/// `bands.rows` high and returns the whole figure's pixels, as drawn_image gives them. Each
/// band draws the views inside it, moved down by its start, and the whole canvas moved down
/// with them (what lies outside the band is clipped); the other views are not drawn. Every
/// view and annotation is put back afterwards. The pixels are those of the figure drawn
/// whole: each view keeps its size in pixels and each annotation its place in whole pixels.
vtkSmartPointer<vtkImageData> draw_in_bands(vtkRenderWindow* window, vtkRenderer* canvas,
                                            const DrawingBands& bands, int width, int height,
                                            bool with_alpha) {
  struct Placed {
    vtkRenderer* renderer;
    double viewport[4];
    PixelRows rows;
  };
  std::vector<Placed> views;
  vtkRendererCollection* renderers = window->GetRenderers();
  renderers->InitTraversal();
  while (vtkRenderer* renderer = renderers->GetNextItem()) {
    Placed placed{renderer, {}, {}};
    renderer->GetViewport(placed.viewport);
    // The background and the canvas span the window in every band.
    if (placed.viewport[1] == 0 && placed.viewport[3] == 1) continue;
    placed.rows = viewport_rows(placed.viewport[1], placed.viewport[3], height);
    views.push_back(placed);
  }
  std::vector<std::pair<vtkActor2D*, std::array<double, 2>>> annotations;
  vtkActor2DCollection* actors = canvas->GetActors2D();
  actors->InitTraversal();
  while (vtkActor2D* actor = actors->GetNextActor2D()) {
    const double* at = actor->GetPosition();
    annotations.push_back({actor, {at[0], at[1]}});
  }

  const int channels = with_alpha ? 4 : 3;
  auto figure = vtkSmartPointer<vtkImageData>::New();
  figure->SetDimensions(width, height, 1);
  figure->AllocateScalars(VTK_UNSIGNED_CHAR, channels);
  auto* out = static_cast<unsigned char*>(figure->GetScalarPointer());
  const std::size_t row_bytes = static_cast<std::size_t>(width) * channels;
  window->SetSize(width, bands.rows);
  for (std::size_t b = 0; b < bands.starts.size(); ++b) {
    const int start = bands.starts[b];
    const int end = b + 1 < bands.starts.size() ? bands.starts[b + 1] : height;
    for (const auto& view : views) {
      const bool inside = view.rows.first >= start && view.rows.last <= end;
      view.renderer->SetDraw(inside ? 1 : 0);
      if (!inside) continue;
      view.renderer->SetViewport(view.viewport[0], double(view.rows.first - start) / bands.rows,
                                 view.viewport[2], double(view.rows.last - start) / bands.rows);
    }
    for (const auto& [actor, at] : annotations) actor->SetPosition(at[0], at[1] - start);
    window->Render();
    const auto band = drawn_image(window, with_alpha);
    std::memcpy(out + row_bytes * start, band->GetScalarPointer(),
                row_bytes * static_cast<std::size_t>(end - start));
  }
  for (const auto& view : views) {
    view.renderer->SetViewport(const_cast<double*>(view.viewport));
    view.renderer->SetDraw(1);
  }
  for (const auto& [actor, at] : annotations) actor->SetPosition(at[0], at[1]);
  return figure;
}

}  // namespace

void render_figure(const Figure& figure, const RenderSettings& settings, const std::string& path,
                   bool overwrite) {
  if (!settings.brain) throw Error(ExitCode::internal, "render_figure needs the brain template");
  if (figure.width < 64 || figure.height < 64 || figure.width > 8192 || figure.height > 8192) {
    throw usage_error("figure size must be from 64x64 to 8192x8192 pixels");
  }
  const FigureFormat format = figure_format_of(path);
  check_can_write(path, overwrite);
  ScopedVtkMessages vtk_errors;
  const auto scene_start = std::chrono::steady_clock::now();
  const MeshCache cache(settings.cache_directory, settings.log);
  const FigureLayout layout = lay_out_figure(figure);
  std::optional<FrameMemory> frame_memory;
  if (settings.one_figure_process) {
    // The window is a band high when the figure is drawn in bands (a colour bar may yet have
    // it drawn whole: then only part of its buffers were faulted in ahead).
    const DrawingBands planned = drawing_bands(layout);
    frame_memory.emplace(FrameMemory::window_bytes(
        figure.width, planned.starts.empty() ? figure.height : planned.rows));
  }

  vtkNew<vtkRenderWindow> window;
  window->SetOffScreenRendering(1);
  window->SetSize(figure.width, figure.height);
  window->SetNumberOfLayers(2);
  window->SetAlphaBitPlanes(1);
  window->SetMultiSamples(0);

  // The background first; every 2D annotation on a top-layer renderer added last, so the
  // views, which clear their own viewports, never paint over a label.
  vtkNew<vtkRenderer> background;
  background->SetLayer(0);
  background->SetViewport(0, 0, 1, 1);
  background->SetBackground(1, 1, 1);
  background->SetBackgroundAlpha(figure.transparent_background ? 0.0 : 1.0);
  window->AddRenderer(background);
  vtkNew<vtkRenderer> canvas;
  canvas->SetLayer(1);
  canvas->SetViewport(0, 0, 1, 1);

  annotations::add_figure_title(canvas, figure.title, layout);
  // Weighted blended order-independent transparency for the glass brain: no sorting
  // artefacts, in one pass (depth peeling gives the same picture here at about twice the
  // cost on a software renderer). One pass serves every view: its buffers are sized to a
  // view and made once, where a pass per view would hold a set of buffers for each (most of
  // a large figure's memory).
  vtkNew<vtkRenderStepsPass> glass_pass;
  vtkNew<vtkOrderIndependentTranslucentPass> oit;
  oit->SetTranslucentPass(glass_pass->GetTranslucentPass());
  glass_pass->SetTranslucentPass(oit);
  const auto whole_brain = brain_surface(settings.brain, settings.brain_key, std::nullopt, cache);
  double bounds[6];
  whole_brain->GetBounds(bounds);
  // A brain no overlay paints looks the same in every panel: one actor serves them all, so
  // the renderer holds one copy of the mesh's buffers, not one per panel (5 MB less for a
  // 3-panel MECT figure; same pixels).
  std::map<vtkPolyData*, vtkSmartPointer<vtkActor>> plain_brains;
  vtkNew<ViewPacer> pacer;
  // A batch's workers draw figure after figure within a memory goal; one figure may hold more.
  pacer->wait_for_each_view = !settings.one_figure_process;
  // Where the views are drawn, in the figure's pixels: their edges are smoothed there.
  std::vector<ImageRect> view_boxes;
  for (std::size_t p = 0; p < figure.panels.size(); ++p) {
    const Panel& panel = figure.panels[p];
    const PanelLayout& box = layout.panels[p];
    annotations::add_panel_header(canvas, panel, box, layout.unit);
    const PanelActors actors = build_actors(panel, cache);
    // One brain actor per mesh a panel shows (the whole brain, a hemisphere): projecting
    // overlays onto it is done once for all the views that share it.
    std::map<vtkPolyData*, vtkSmartPointer<vtkActor>> painted_brains;
    auto& brains = paints_brain(panel.overlays) ? painted_brains : plain_brains;
    std::vector<bool> coloured(panel.overlays.size(), false);
    for (std::size_t v = 0; v < box.views.size(); ++v) {
      const View view = panel.views[v];
      const auto side = view_side(view);
      const auto brain =
          side ? brain_surface(settings.brain, settings.brain_key, side, cache) : whole_brain;
      auto& actor = brains[brain.Get()];
      if (!actor) actor = brain_actor(brain, figure.style, panel.overlays, &coloured);
      const std::vector<vtkRenderer*> renderers =
          add_view(window, figure, box.views[v], view, actor, bounds, actors, glass_pass, pacer);
      vtkRenderer* projection = renderers.front();  // the brain's layer: both share a camera
      if (panel.show_labels) {
        annotations::place_labels(panel, regions_side(view), projection, box.views[v],
                                  layout.unit * 0.8, canvas);
      }
      annotations::add_view_marks(canvas, view, box.views[v], layout.unit,
                                  brain_in_view(projection, bounds));
      // Last: labels and marks above are placed by the whole view's projection.
      fit_viewports_to_drawing(renderers, bounds, figure.width, figure.height);
      int w = 0, h = 0, x = 0, y = 0;
      projection->GetTiledSizeAndOrigin(&w, &h, &x, &y);
      view_boxes.push_back({x, y, x + w, y + h});
    }
    // The footer after the views: it also says which surface overlays coloured nothing.
    const std::string unreached =
        box.views.empty() ? std::string() : unreached_overlays_note(panel.overlays, coloured);
    if (unreached.empty()) {
      annotations::add_panel_footer(canvas, panel, box, layout);
    } else {
      Panel noted = panel;
      noted.note = panel.note.empty() ? unreached : panel.note + "; " + unreached;
      annotations::add_panel_footer(canvas, noted, box, layout);
    }
  }
  window->AddRenderer(canvas);
  const DrawingBands bands =
      canvas_moves_by_pixels(canvas) ? drawing_bands(layout) : DrawingBands{};
  const bool alpha = figure.transparent_background;
  // The figure's pixels (VTK's rows, bottom first): drawn whole, or band by band.
  const auto draw = [&]() -> vtkSmartPointer<vtkImageData> {
    if (!bands.starts.empty()) {
      return draw_in_bands(window, canvas, bands, figure.width, figure.height, alpha);
    }
    window->Render();
    return nullptr;
  };
  if (frame_memory) frame_memory->release();
  const auto before_render = std::chrono::steady_clock::now();
  auto drawn = draw();
  if (settings.log && settings.verbose) {
    *settings.log
        << "foci: scene built in "
        << std::chrono::duration<double>(before_render - scene_start).count() << " s, drawn in "
        << std::chrono::duration<double>(std::chrono::steady_clock::now() - before_render).count()
        << " s"
        << (bands.starts.empty() ? ""
                                 : " in " + std::to_string(bands.starts.size()) + " bands of " +
                                       std::to_string(bands.rows) + " rows")
        << "\n";
  }
  // What was drawn (VTK's rows, bottom first), its views' edges smoothed. The window is
  // finalized first: its frame buffers and the renderer's copies of every mesh are most of a
  // large figure's memory, and need not be held while the image is smoothed and compressed.
  const auto finished_picture = [&]() {
    vtkSmartPointer<vtkImageData> image = drawn ? drawn : drawn_image(window, alpha);
    const std::vector<ImageRect> text = text_boxes(canvas);
    drawn = nullptr;
    window->Finalize();
    smooth_view_edges(image, view_boxes, text);
    return image;
  };
  std::string bytes;
  if (format == FigureFormat::png) {
    bytes = image_png(finished_picture(), figure.dpi);
  } else if (format == FigureFormat::tiff) {
    bytes = tiff_bytes(image_pixels(finished_picture()), figure.dpi);
  } else {
    // The text laid out by the first drawing is taken out of the picture and set as text
    // over it; the rest (views, legend swatches, colour bars) is drawn again without it.
    const auto settable = format == FigureFormat::pdf
                              ? std::function<bool(const std::string&)>(pdf_can_set)
                              : [](const std::string&) { return true; };
    const auto texts = annotations::take_text(canvas, figure.height, settable);
    drawn = draw();
    const RasterImage raster = image_pixels(finished_picture());
    bytes = format == FigureFormat::pdf ? pdf_document(raster, figure.dpi, texts)
                                        : svg_document(raster_png(raster, figure.dpi), figure.width,
                                                       figure.height, figure.dpi, texts);
  }
  if (!vtk_errors.errors().empty()) {
    throw Error(ExitCode::internal, "VTK: " + vtk_errors.errors().front());
  }
  write_file_atomically(path, bytes, overwrite);
}

}  // namespace foci
