// Figures with VTK: one render window holds every view of every panel; a glass brain is
// drawn on its own layer with order-independent transparency and the findings on a layer
// above it, so nodes and regions keep their true colours instead of being washed out by the
// translucent surface.
#include "render/render.hpp"

#include <vtkActor.h>
#include <vtkActor2D.h>
#include <vtkCamera.h>
#include <vtkCoordinate.h>
#include <vtkImageData.h>
#include <vtkLineSource.h>
#include <vtkLookupTable.h>
#include <vtkNew.h>
#include <vtkObjectFactory.h>
#include <vtkOrderIndependentTranslucentPass.h>
#include <vtkOutputWindow.h>
#include <vtkPNGWriter.h>
#include <vtkPolyDataMapper.h>
#include <vtkPolyDataMapper2D.h>
#include <vtkProperty.h>
#include <vtkProperty2D.h>
#include <vtkRegularPolygonSource.h>
#include <vtkRenderStepsPass.h>
#include <vtkRenderWindow.h>
#include <vtkRenderer.h>
#include <vtkScalarBarActor.h>
#include <vtkSmartPointer.h>
#include <vtkSphereSource.h>
#include <vtkTextActor.h>
#include <vtkTextProperty.h>
#include <vtkTubeFilter.h>
#include <vtkUnsignedCharArray.h>
#include <vtkVersion.h>
#include <vtkWindowToImageFilter.h>
#include <zlib.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <map>

#include "core/error.hpp"
#include "core/output_file.hpp"
#include "render/meshes.hpp"
#include "render/scene_actors.hpp"

namespace foci {

namespace {

/// Collects VTK's error messages during a render instead of letting them go to stderr, so
/// they become one foci error.
class CapturingOutputWindow : public vtkOutputWindow {
 public:
  static CapturingOutputWindow* New();
  vtkTypeMacro(CapturingOutputWindow,
               vtkOutputWindow) void DisplayErrorText(const char* text) override {
    errors.emplace_back(text);
  }
  void DisplayWarningText(const char*) override {}
  void DisplayGenericWarningText(const char*) override {}
  void DisplayDebugText(const char*) override {}
  void DisplayText(const char*) override {}
  std::vector<std::string> errors;
};
vtkStandardNewMacro(CapturingOutputWindow);

struct ScopedOutputWindow {
  ScopedOutputWindow() {
    previous = vtkOutputWindow::GetInstance();
    vtkOutputWindow::SetInstance(window);
  }
  ~ScopedOutputWindow() { vtkOutputWindow::SetInstance(previous); }
  vtkNew<CapturingOutputWindow> window;
  vtkSmartPointer<vtkOutputWindow> previous;
};

struct Box {
  double x0, y0, x1, y1;  ///< normalised window coordinates, origin bottom-left
};

}  // namespace

namespace scene_parts {

// Debian's fonts-wqy-microhei: a CJK font the set-up installs.
constexpr const char* kCjkFont = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

/// Camera direction (from focal point to camera) and view-up of each view.
void view_geometry(View view, double direction[3], double up[3]) {
  const auto set = [&](double dx, double dy, double dz, double ux, double uy, double uz) {
    direction[0] = dx, direction[1] = dy, direction[2] = dz;
    up[0] = ux, up[1] = uy, up[2] = uz;
  };
  switch (view) {
    case View::left:
      set(-1, 0, 0, 0, 0, 1);
      break;
    case View::right:
      set(1, 0, 0, 0, 0, 1);
      break;
    // From above with anterior up: the left hemisphere is on the image's left.
    case View::dorsal:
      set(0, 0, 1, 0, 1, 0);
      break;
    // From below with anterior down, so left stays on the left (neurological).
    case View::ventral:
      set(0, 0, -1, 0, -1, 0);
      break;
    case View::anterior:
      set(0, 1, 0, 0, 0, 1);
      break;
    case View::posterior:
      set(0, -1, 0, 0, 0, 1);
      break;
    // A hemisphere seen from the midline: the left one from the right, and vice versa.
    case View::medial_left:
      set(1, 0, 0, 0, 0, 1);
      break;
    case View::medial_right:
      set(-1, 0, 0, 0, 0, 1);
      break;
  }
}

std::optional<Hemisphere> view_side(View view) {
  if (view == View::medial_left) return Hemisphere::left;
  if (view == View::medial_right) return Hemisphere::right;
  return std::nullopt;
}

/// Which hemisphere is on the image's left in a view that shows both.
Hemisphere left_of_image(View view) {
  return view == View::anterior ? Hemisphere::right : Hemisphere::left;
}

vtkSmartPointer<vtkTextActor> text(const std::string& content, double size_px, Rgb colour,
                                   bool bold, double x, double y, int justification, int vertical) {
  auto actor = vtkSmartPointer<vtkTextActor>::New();
  actor->SetInput(content.c_str());
  auto* p = actor->GetTextProperty();
  p->SetFontFamilyToArial();
  // VTK's own fonts have no Chinese: text that is not plain ASCII (region names as papers
  // write them, titles in Chinese) is drawn with a CJK font when the system has one.
  const bool ascii = std::all_of(content.begin(), content.end(),
                                 [](char c) { return static_cast<unsigned char>(c) < 128; });
  if (!ascii && std::filesystem::exists(kCjkFont)) {
    p->SetFontFamily(VTK_FONT_FILE);
    p->SetFontFile(kCjkFont);
  }
  p->SetFontSize(static_cast<int>(std::lround(size_px)));
  p->SetColor(colour.r, colour.g, colour.b);
  p->SetBold(bold);
  p->SetJustification(justification);     // 0 left, 1 centre, 2 right
  p->SetVerticalJustification(vertical);  // 0 bottom, 1 centre, 2 top
  actor->GetPositionCoordinate()->SetCoordinateSystemToDisplay();
  actor->SetPosition(x, y);
  return actor;
}

vtkSmartPointer<vtkActor> mesh_actor(vtkPolyData* mesh, Rgb colour, double opacity) {
  vtkNew<vtkPolyDataMapper> mapper;
  mapper->SetInputData(mesh);
  mapper->ScalarVisibilityOff();
  auto actor = vtkSmartPointer<vtkActor>::New();
  actor->SetMapper(mapper);
  auto* p = actor->GetProperty();
  p->SetColor(colour.r, colour.g, colour.b);
  p->SetOpacity(opacity);
  p->SetAmbient(0.15);
  p->SetDiffuse(0.8);
  p->SetSpecular(0.15);
  p->SetSpecularPower(20);
  return actor;
}

PanelActors build_actors(const Panel& panel, const MeshCache& cache) {
  PanelActors actors;
  for (const auto& n : panel.nodes) {
    vtkNew<vtkSphereSource> sphere;
    sphere->SetCenter(n.mni.x, n.mni.y, n.mni.z);
    sphere->SetRadius(n.radius_mm);
    sphere->SetThetaResolution(24);
    sphere->SetPhiResolution(16);
    sphere->Update();
    auto actor = mesh_actor(sphere->GetOutput(), n.colour, 1.0);
    actor->GetProperty()->SetSpecular(0.35);
    actors.nodes.emplace_back(n.mni, actor);
  }
  for (const auto& e : panel.edges) {
    vtkNew<vtkLineSource> line;
    line->SetPoint1(e.from.x, e.from.y, e.from.z);
    line->SetPoint2(e.to.x, e.to.y, e.to.z);
    vtkNew<vtkTubeFilter> tube;
    tube->SetInputConnection(line->GetOutputPort());
    tube->SetRadius(e.radius_mm);
    tube->SetNumberOfSides(12);
    tube->CappingOn();
    tube->Update();
    actors.edges.emplace_back((e.from.x + e.to.x) / 2, mesh_actor(tube->GetOutput(), e.colour, 1));
  }
  for (const auto& r : panel.regions) {
    auto mesh = region_surface(r, cache);
    actors.regions.emplace_back(
        r.side, mesh->GetNumberOfPoints() == 0 ? nullptr : mesh_actor(mesh, r.colour, 1.0));
  }
  return actors;
}

bool on_view_side(std::optional<Hemisphere> view, double x) {
  if (!view) return true;
  return *view == Hemisphere::left ? x <= 0 : x >= 0;
}

}  // namespace scene_parts

using namespace scene_parts;

namespace {

vtkSmartPointer<vtkActor2D> disk(double x, double y, double radius_px, Rgb colour) {
  vtkNew<vtkRegularPolygonSource> source;
  source->SetCenter(x, y, 0);
  source->SetRadius(radius_px);
  source->SetNumberOfSides(48);
  source->GeneratePolygonOn();
  source->GeneratePolylineOff();
  vtkNew<vtkPolyDataMapper2D> mapper;
  mapper->SetInputConnection(source->GetOutputPort());
  auto actor = vtkSmartPointer<vtkActor2D>::New();
  actor->SetMapper(mapper);
  actor->GetProperty()->SetColor(colour.r, colour.g, colour.b);
  return actor;
}

/// Chooses columns for n views in a w x h area so each view is as large as possible; a view
/// is about 1.25 times as wide as it is high.
int best_columns(int n, double w, double h) {
  int best = 1;
  double best_size = 0;
  for (int cols = 1; cols <= n; ++cols) {
    const int rows = (n + cols - 1) / cols;
    const double size = std::min(w / cols / 1.25, h / rows);
    if (size > best_size + 1e-9) {
      best_size = size;
      best = cols;
    }
  }
  return best;
}

/// Inserts a pHYs chunk (pixels per metre from DPI) after the IHDR chunk of a PNG.
std::string with_dpi(const unsigned char* png, std::size_t size, int dpi) {
  const std::size_t ihdr_end = 8 + 8 + 13 + 4;  // signature, IHDR length+type, data, CRC
  const auto ppm = static_cast<std::uint32_t>(std::lround(dpi / 0.0254));
  unsigned char chunk[21];
  const auto put32 = [](unsigned char* at, std::uint32_t v) {
    at[0] = v >> 24, at[1] = (v >> 16) & 255, at[2] = (v >> 8) & 255, at[3] = v & 255;
  };
  put32(chunk, 9);
  std::memcpy(chunk + 4, "pHYs", 4);
  put32(chunk + 8, ppm);
  put32(chunk + 12, ppm);
  chunk[16] = 1;  // unit: metre
  put32(chunk + 17, static_cast<std::uint32_t>(crc32(0, chunk + 4, 13)));
  std::string out(reinterpret_cast<const char*>(png), ihdr_end);
  out.append(reinterpret_cast<const char*>(chunk), sizeof chunk);
  out.append(reinterpret_cast<const char*>(png) + ihdr_end, size - ihdr_end);
  return out;
}

/// Node labels of one view, placed right of their nodes, larger nodes first; a label that
/// would overlap one already placed, or leave the view, is left out rather than piled up.
void place_labels(const Panel& panel, std::optional<Hemisphere> side, vtkRenderer* renderer,
                  const Box& box, double W, double H, double size_px, Rgb ink,
                  vtkRenderer* canvas) {
  std::vector<const SceneNode*> order;
  for (const auto& n : panel.nodes) {
    if (!n.label.empty() && on_view_side(side, n.mni.x)) order.push_back(&n);
  }
  std::stable_sort(order.begin(), order.end(), [](const SceneNode* a, const SceneNode* b) {
    return a->radius_mm > b->radius_mm;
  });
  struct Rect {
    double x0, y0, x1, y1;
  };
  std::vector<Rect> placed;
  vtkNew<vtkCoordinate> coordinate;
  coordinate->SetCoordinateSystemToWorld();
  for (const SceneNode* n : order) {
    coordinate->SetValue(n->mni.x, n->mni.y, n->mni.z);
    const double* at = coordinate->GetComputedDoubleDisplayValue(renderer);
    const double x0 = at[0] + size_px * 0.6, y0 = at[1] - size_px * 0.5;
    const Rect r{x0, y0, x0 + size_px * 0.58 * n->label.size(), y0 + size_px * 1.1};
    if (r.x0 < box.x0 * W || r.x1 > box.x1 * W || r.y0 < box.y0 * H || r.y1 > box.y1 * H) continue;
    bool clash = false;
    for (const auto& p : placed) {
      clash = clash || (r.x0 < p.x1 && p.x0 < r.x1 && r.y0 < p.y1 && p.y0 < r.y1);
    }
    if (clash) continue;
    placed.push_back(r);
    auto label = text(n->label, size_px, ink, false, r.x0, r.y0, 0, 0);
    // A pale backing keeps dark text readable over spheres and surfaces.
    label->GetTextProperty()->SetBackgroundColor(1, 1, 1);
    label->GetTextProperty()->SetBackgroundOpacity(0.75);
    canvas->AddActor2D(label);
  }
}

}  // namespace

void prepare_meshes(const Figure& figure, const RenderSettings& settings) {
  const MeshCache cache(settings.cache_directory, settings.log);
  brain_surface(*settings.brain, settings.brain_key, std::nullopt, cache);
  for (const auto& panel : figure.panels) {
    for (const View view : panel.views) {
      if (const auto side = view_side(view)) {
        brain_surface(*settings.brain, settings.brain_key, side, cache);
      }
    }
    for (const auto& region : panel.regions) region_surface(region, cache);
  }
}

std::string renderer_version() { return std::string("VTK ") + vtkVersion::GetVTKVersion(); }

void render_figure(const Figure& figure, const RenderSettings& settings,
                   const std::string& png_path) {
  if (!settings.brain) throw Error(ExitCode::internal, "render_figure needs the brain template");
  if (figure.width < 64 || figure.height < 64 || figure.width > 8192 || figure.height > 8192) {
    throw usage_error("figure size must be from 64x64 to 8192x8192 pixels");
  }
  check_can_write(png_path, true);
  ScopedOutputWindow vtk_errors;
  const auto scene_start = std::chrono::steady_clock::now();
  const MeshCache cache(settings.cache_directory, settings.log);
  const double W = figure.width, H = figure.height;
  const double unit = std::max(11.0, std::min(W, H) / 55.0);  // base text size, px
  const Rgb ink{0.1, 0.1, 0.1}, faint{0.45, 0.45, 0.45};

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

  double top = H;
  if (!figure.title.empty()) {
    canvas->AddActor2D(text(figure.title, unit * 1.5, ink, true, W / 2, top - unit * 0.6, 1, 2));
    top -= unit * 2.6;
  }
  const double panel_h = top / std::max<std::size_t>(1, figure.panels.size());
  const auto whole_brain = brain_surface(*settings.brain, settings.brain_key, std::nullopt, cache);
  double bounds[6];
  whole_brain->GetBounds(bounds);
  const double centre[3] = {(bounds[0] + bounds[1]) / 2, (bounds[2] + bounds[3]) / 2,
                            (bounds[4] + bounds[5]) / 2};
  const double extent[3] = {bounds[1] - bounds[0], bounds[3] - bounds[2], bounds[5] - bounds[4]};

  for (std::size_t p = 0; p < figure.panels.size(); ++p) {
    const Panel& panel = figure.panels[p];
    const double panel_top = top - p * panel_h, panel_bottom = panel_top - panel_h;
    // Header: the panel letter and title.
    double header = 0;
    if (!panel.title.empty() || !panel.letter.empty()) {
      header = unit * 2.2;
      double x = unit * 0.8;
      if (!panel.letter.empty()) {
        canvas->AddActor2D(
            text("(" + panel.letter + ")", unit * 1.4, ink, true, x, panel_top - unit * 0.4, 0, 2));
        x += unit * (1.6 + 0.8 * panel.letter.size());
      }
      canvas->AddActor2D(
          text(panel.title, unit * 1.25, ink, true, x, panel_top - unit * 0.5, 0, 2));
    }
    // Footer: the colour legend, the size legend and a note.
    double footer = 0;
    if (!panel.legend.empty() || !panel.size_legend.empty() || !panel.note.empty() ||
        panel.colour_bar) {
      footer = unit * (panel.colour_bar ? 3.6 : 2.0);
      double x = unit * 1.2;
      const double y = panel_bottom + unit * 0.9;
      for (const auto& entry : panel.legend) {
        canvas->AddActor2D(disk(x, y, unit * 0.45, entry.colour));
        canvas->AddActor2D(text(entry.text, unit, ink, false, x + unit * 0.8, y, 0, 1));
        x += unit * (2.2 + 0.62 * entry.text.size());
      }
      if (!panel.size_legend.empty()) {
        canvas->AddActor2D(text(panel.size_legend, unit * 0.9, faint, false, x + unit, y, 0, 1));
      }
      if (!panel.note.empty()) {
        canvas->AddActor2D(text(panel.note, unit * 0.9, faint, false, W - unit, y, 2, 1));
      }
      if (panel.colour_bar) {
        const ColourScale& scale = *panel.colour_bar;
        vtkNew<vtkLookupTable> table;
        table->SetNumberOfTableValues(256);
        table->SetRange(scale.minimum, scale.maximum);
        for (int n = 0; n < 256; ++n) {
          const Rgb c =
              scale.colour_of(scale.minimum + (scale.maximum - scale.minimum) * n / 255.0);
          table->SetTableValue(n, c.r, c.g, c.b, 1.0);
        }
        vtkNew<vtkScalarBarActor> bar;
        bar->SetLookupTable(table);
        bar->SetOrientationToHorizontal();
        bar->SetTextPositionToSucceedScalarBar();  // numbers under the bar, title above
        // The title goes left of the bar, where it cannot collide with the numbers.
        canvas->AddActor2D(text(scale.title, unit * 0.85, ink, false, 0.6 * W - unit * 2.5,
                                panel_bottom + unit * 1.8, 2, 1));
        bar->SetNumberOfLabels(5);
        bar->SetLabelFormat("%.3g");
        bar->GetPositionCoordinate()->SetCoordinateSystemToNormalizedViewport();
        bar->SetPosition(0.6, (panel_bottom + unit * 0.2) / H);
        bar->SetWidth(0.38);
        bar->SetHeight(unit * 3.2 / H);
        for (auto* property : {bar->GetTitleTextProperty(), bar->GetLabelTextProperty()}) {
          property->SetColor(ink.r, ink.g, ink.b);
          property->SetFontFamilyToArial();
          property->ItalicOff();
          property->ShadowOff();
          property->BoldOff();
        }
        bar->UnconstrainedFontSizeOn();
        bar->GetTitleTextProperty()->SetFontSize(static_cast<int>(unit * 0.85));
        bar->GetLabelTextProperty()->SetFontSize(static_cast<int>(unit * 0.8));
        canvas->AddActor2D(bar);
      }
    }
    const PanelActors actors = build_actors(panel, cache);
    const double views_top = panel_top - header, views_bottom = panel_bottom + footer;
    const int n = static_cast<int>(panel.views.size());
    if (n == 0) continue;
    const int cols = best_columns(n, W, views_top - views_bottom);
    const int rows = (n + cols - 1) / cols;
    const double cell_w = W / cols, cell_h = (views_top - views_bottom) / rows;

    for (int v = 0; v < n; ++v) {
      const View view = panel.views[v];
      const int row = v / cols, col = v % cols;
      // Centre a short last row.
      const int in_row = std::min(cols, n - row * cols);
      const double offset = (W - in_row * cell_w) / 2;
      const Box box{(offset + col * cell_w) / W, (views_top - (row + 1) * cell_h) / H,
                    (offset + (col + 1) * cell_w) / W, (views_top - row * cell_h) / H};

      vtkNew<vtkCamera> camera;
      double direction[3] = {0, 0, 1}, up[3] = {0, 1, 0};
      view_geometry(view, direction, up);
      camera->SetFocalPoint(centre);
      camera->SetPosition(centre[0] + 500 * direction[0], centre[1] + 500 * direction[1],
                          centre[2] + 500 * direction[2]);
      camera->SetViewUp(up);
      camera->ParallelProjectionOn();
      // Fit the brain's projected extent into the cell with a margin.
      double across = 0, along = 0;  // image-horizontal and image-vertical extents, mm
      for (int a = 0; a < 3; ++a) {
        if (std::abs(up[a]) > 0.5)
          along = extent[a];
        else if (std::abs(direction[a]) < 0.5)
          across = extent[a];
      }
      const double aspect = cell_w / cell_h;
      camera->SetParallelScale(0.54 * std::max(along, across / aspect));
      camera->SetClippingRange(1, 2000);

      const auto side = view_side(view);
      vtkNew<vtkRenderer> brain_layer;
      brain_layer->SetViewport(box.x0, box.y0, box.x1, box.y1);
      brain_layer->SetLayer(0);
      brain_layer->SetActiveCamera(camera);
      brain_layer->SetBackground(1, 1, 1);
      brain_layer->SetBackgroundAlpha(figure.transparent_background ? 0.0 : 1.0);
      const auto brain =
          side ? brain_surface(*settings.brain, settings.brain_key, side, cache) : whole_brain;
      const bool glass = figure.style == BrainStyle::glass;
      auto brain_actor = mesh_actor(brain, glass ? Rgb{0.62, 0.64, 0.68} : Rgb{0.9, 0.88, 0.85},
                                    glass ? 0.16 : 1.0);
      brain_layer->AddActor(brain_actor);
      vtkRenderer* findings_layer = brain_layer;
      vtkNew<vtkRenderer> overlay;
      if (glass) {
        // Weighted blended order-independent transparency: no sorting artefacts, in one
        // pass. Depth peeling gives the same picture here at about twice the cost on a
        // software renderer.
        vtkNew<vtkRenderStepsPass> steps;
        vtkNew<vtkOrderIndependentTranslucentPass> oit;
        oit->SetTranslucentPass(steps->GetTranslucentPass());
        steps->SetTranslucentPass(oit);
        brain_layer->SetPass(steps);
        overlay->SetViewport(box.x0, box.y0, box.x1, box.y1);
        overlay->SetLayer(1);
        overlay->SetActiveCamera(camera);
        overlay->SetPreserveColorBuffer(1);
        findings_layer = overlay;
        window->AddRenderer(overlay);
      }
      // Anti-aliasing: FXAA smooths the edges of surfaces and spheres at little cost.
      brain_layer->UseFXAAOn();
      if (glass) overlay->UseFXAAOn();
      window->AddRenderer(brain_layer);
      for (const auto& [where, actor] : actors.nodes) {
        if (on_view_side(side, where.x)) findings_layer->AddActor(actor);
      }
      for (const auto& [mean_x, actor] : actors.edges) {
        if (on_view_side(side, mean_x)) findings_layer->AddActor(actor);
      }
      for (const auto& [region_side, actor] : actors.regions) {
        if (actor && (!side || !region_side || *region_side == *side)) {
          findings_layer->AddActor(actor);
        }
      }
      if (panel.show_labels) {
        place_labels(panel, side, brain_layer, box, W, H, unit * 0.8, ink, canvas);
      }
      // Say which view this is, and which side is which where both show.
      const double px0 = box.x0 * W, px1 = box.x1 * W, py0 = box.y0 * H, py1 = box.y1 * H;
      canvas->AddActor2D(text(to_string(view), unit * 0.85, faint, false, px0 + unit * 0.5,
                              py1 - unit * 0.3, 0, 2));
      if (shows_both_sides(view)) {
        // In the cell's lower corners, clear of the brain and of the neighbouring cell.
        const bool left_first = left_of_image(view) == Hemisphere::left;
        canvas->AddActor2D(text(left_first ? "L" : "R", unit * 1.1, ink, true, px0 + unit * 0.6,
                                py0 + unit * 0.4, 0, 0));
        canvas->AddActor2D(text(left_first ? "R" : "L", unit * 1.1, ink, true, px1 - unit * 0.6,
                                py0 + unit * 0.4, 2, 0));
      }
    }
  }
  window->AddRenderer(canvas);
  const auto before_render = std::chrono::steady_clock::now();
  window->Render();
  if (settings.log && settings.verbose) {
    *settings.log
        << "foci: scene built in "
        << std::chrono::duration<double>(before_render - scene_start).count() << " s, drawn in "
        << std::chrono::duration<double>(std::chrono::steady_clock::now() - before_render).count()
        << " s\n";
  }

  vtkNew<vtkWindowToImageFilter> grab;
  grab->SetInput(window);
  if (figure.transparent_background) {
    grab->SetInputBufferTypeToRGBA();
  } else {
    grab->SetInputBufferTypeToRGB();
  }
  grab->ReadFrontBufferOff();
  grab->Update();
  vtkNew<vtkPNGWriter> writer;
  writer->SetInputConnection(grab->GetOutputPort());
  writer->WriteToMemoryOn();
  writer->SetCompressionLevel(4);  // the same bytes every time, and quicker than the default
  writer->Write();
  if (!vtk_errors.window->errors.empty()) {
    throw Error(ExitCode::internal, "VTK: " + vtk_errors.window->errors.front());
  }
  vtkUnsignedCharArray* png = writer->GetResult();
  write_file_atomically(
      png_path,
      with_dpi(png->GetPointer(0), static_cast<std::size_t>(png->GetNumberOfTuples()), figure.dpi),
      true);
}

}  // namespace foci
