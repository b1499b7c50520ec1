// The `foci inspect` window. Its view geometry, camera fit, brain look, actors and PNG
// writing are the figures' own (scene_actors.hpp, png_output.hpp), so the window shows what
// `foci render` draws.
#include "render/inspector.hpp"

#include <vtkActor2D.h>
#include <vtkAppendPolyData.h>
#include <vtkCallbackCommand.h>
#include <vtkCamera.h>
#include <vtkCellArray.h>
#include <vtkCellPicker.h>
#include <vtkCommand.h>
#include <vtkDataArray.h>
#include <vtkInteractorStyleTrackballCamera.h>
#include <vtkMapper.h>
#include <vtkNew.h>
#include <vtkObjectFactory.h>
#include <vtkPointData.h>
#include <vtkPolyData.h>
#include <vtkPolyDataMapper.h>
#include <vtkPolyDataMapper2D.h>
#include <vtkPolyDataNormals.h>
#include <vtkPropCollection.h>
#include <vtkProperty.h>
#include <vtkProperty2D.h>
#include <vtkQuadricDecimation.h>
#include <vtkRenderWindow.h>
#include <vtkRenderWindowInteractor.h>
#include <vtkRenderer.h>
#include <vtkTextProperty.h>
#include <vtkTriangleFilter.h>
#include <vtkUnsignedCharArray.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <chrono>
#include <tuple>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <map>
#include <sstream>

#include "core/error.hpp"
#include "core/hash.hpp"
#include "core/output_file.hpp"
#include "render/overlay_actors.hpp"
#include "render/png_output.hpp"
#include "render/reduced_resolution_pass.hpp"
#include "render/scene_actors.hpp"
#include "render/turning_window.hpp"

namespace foci {

using json = nlohmann::json;
using namespace scene_parts;

namespace {

struct Pickable {
  std::string kind;  ///< region, node, edge
  std::string name;
  std::string atlas;
  std::vector<std::string> region_ids;
  std::set<std::int32_t> labels;
  std::optional<Hemisphere> side;
  Vec3 where;
  std::vector<std::size_t> sources;
  Rgb colour;
  double bounds[6] = {0, 0, 0, 0, 0, 0};  ///< of its mesh, mm
};

/// One drawn thing: what it stands for and where its points and cells lie in the merged
/// mesh that draws it.
struct DrawnItem {
  Pickable info;
  std::size_t mesh = 0;  ///< index in Inspector::meshes_
  vtkIdType first_point = 0, points = 0;
  vtkIdType first_cell = 0;
  vtkIdType lod_first_point = 0, lod_points = 0;  ///< in the mesh drawn while turning
};

/// Everything of one kind that a view shows or hides together (one side, or both), drawn as
/// one mesh with a colour per point. A software renderer pays for every actor on every
/// frame (a draw call, its state and uniforms); a few hundred regions, nodes and edges as a
/// handful of meshes draw several times faster, and a click still finds its item through
/// the picked cell.
/// Where a merged mesh's things are, for the views that show one hemisphere's findings:
/// `side` for a medial view (an edge by its middle), `lateral` for a lateral view (an edge
/// by both ends, as figures draw them: one crossing the midline is in no lateral view).
struct MeshSides {
  int side = -1;     ///< a Hemisphere, or -1: on the midline, in every view
  int lateral = -1;  ///< a Hemisphere, -1: in every lateral view, kCrossesMidline: in none
  bool operator<(const MeshSides& o) const {
    return std::tie(side, lateral) < std::tie(o.side, o.lateral);
  }
};
constexpr int kCrossesMidline = 2;

struct MergedMesh {
  std::string kind;
  MeshSides sides;
  vtkSmartPointer<vtkPolyData> mesh;
  vtkSmartPointer<vtkUnsignedCharArray> colours;
  vtkSmartPointer<vtkActor> actor;
  /// The same with a fifth of the triangles, drawn while the camera turns: a software
  /// renderer's frame time grows with the triangles, and a moving picture needs no detail.
  vtkSmartPointer<vtkPolyData> lod_mesh;
  vtkSmartPointer<vtkUnsignedCharArray> lod_colours;
  vtkSmartPointer<vtkActor> lod_actor;
  std::vector<std::size_t> items;  ///< in order of their first cell
};

/// The bytes of a VTK array, for hashing.
std::string_view bytes_of(vtkDataArray* array) {
  if (!array) return {};
  return {static_cast<const char*>(array->GetVoidPointer(0)),
          static_cast<std::size_t>(array->GetDataSize()) *
              static_cast<std::size_t>(array->GetDataTypeSize())};
}

/// `mesh` with about `keep` of its triangles (quadric decimation keeps the shape), normals
/// recomputed; small meshes stay as they are. Decimating every mesh of a large dataset takes
/// seconds, so the result is kept in the mesh cache under a hash of the mesh it came from.
vtkSmartPointer<vtkPolyData> coarser(vtkPolyData* mesh, double keep, const MeshCache& cache) {
  if (mesh->GetNumberOfCells() < 64) return mesh;
  ContentHash hash;
  hash.add(bytes_of(mesh->GetPoints()->GetData()));
  hash.add(bytes_of(mesh->GetPolys()->GetConnectivityArray()));
  hash.add(bytes_of(mesh->GetPolys()->GetOffsetsArray()));
  const std::string key =
      "turning2-" + std::to_string(std::lround(keep * 1000)) + "-" + hash.hex();
  if (auto cached = cache.load(key)) return cached;
  vtkNew<vtkQuadricDecimation> decimate;
  decimate->SetInputData(mesh);
  decimate->SetTargetReduction(1 - keep);
  vtkNew<vtkPolyDataNormals> normals;
  normals->SetInputConnection(decimate->GetOutputPort());
  normals->SplittingOff();
  normals->ConsistencyOn();
  normals->Update();
  vtkNew<vtkPolyData> bare;
  bare->SetPoints(normals->GetOutput()->GetPoints());
  bare->SetPolys(normals->GetOutput()->GetPolys());
  bare->GetPointData()->SetNormals(normals->GetOutput()->GetPointData()->GetNormals());
  cache.store(key, bare);
  return bare;
}

/// The fraction of triangles a mesh drawn while the camera turns keeps, by kind. On a
/// software renderer a turning frame of the MECT dataset spends about 17 ms on drawing
/// nothing (the window's buffers, the upscaling, the X server) and most of the rest on
/// triangles: at 67 k triangles it turned at 23 frames/s, at 25 k at 28-31. The picture is
/// small and soft while it turns, so a lobe or hemisphere tint keeps 2%, regions 3%, nodes
/// 4% (still round at that size), edges 5%; the still picture is drawn in full.
double turning_detail(const std::string& kind) {
  if (kind == "coarse") return 0.02;
  if (kind == "region") return 0.03;
  if (kind == "node") return 0.04;
  return 0.05;  // edges
}

/// The glass brain while turning: about 16,000 triangles, whatever the full mesh has (its
/// single see-through sheet needs its outline and main folds, no more).
double turning_detail_of_brain(vtkPolyData* brain) {
  return std::min(0.2, 16000.0 / std::max<vtkIdType>(1, brain->GetNumberOfCells()));
}

/// While the camera turns, the 3D scene is drawn into fewer pixels than the window has and
/// scaled up (its text stays sharp): a software renderer's frame time follows the pixels it
/// fills. How many is measured, not guessed: after each turning frame the count moves
/// towards what keeps kTurningFrameMs on this machine at this moment, between
/// kTurningPixelsLeast and the window's own; a fast machine turns a sharp picture, a slow or
/// busy one a softer picture at the same pace. The first turning frame has
/// kTurningPixelsFirst (about 460 x 345). The aim is 36 frames a second, so that a frame
/// at the top of the band the count is left alone in (10% over) is still under 1/30 s.
constexpr double kTurningFrameMs = 1000.0 / 36;
constexpr double kTurningPixelsFirst = 160000;
constexpr double kTurningPixelsLeast = 40000;

/// The side of the brain a thing at x (mm) is on, for medial views; none on the midline.
std::optional<Hemisphere> side_of_x(double x) {
  if (x < 0) return Hemisphere::left;
  if (x > 0) return Hemisphere::right;
  return std::nullopt;
}

/// Lines of at most `columns` columns (a CJK character takes two), broken at spaces where
/// a line has one; existing line breaks are kept.
std::vector<std::string> wrap_lines(const std::string& text, int columns) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string paragraph;
  while (std::getline(in, paragraph)) {
    std::string line;
    int width = 0;
    std::size_t last_space = std::string::npos;  // in `line`
    int width_at_space = 0;
    for (std::size_t i = 0; i < paragraph.size();) {
      const auto lead = static_cast<unsigned char>(paragraph[i]);
      const std::size_t length = lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4;
      const std::string glyph = paragraph.substr(i, length);
      i += length;
      const int glyph_width = length >= 3 ? 2 : 1;  // CJK and other wide scripts
      if (width + glyph_width > columns && !line.empty()) {
        if (last_space != std::string::npos && glyph != " ") {
          out.push_back(line.substr(0, last_space));
          line = "    " + line.substr(last_space + 1);
          width = 4 + width - width_at_space - 1;
        } else {
          out.push_back(line);
          line = "    ";
          width = 4;
        }
        last_space = std::string::npos;
        if (glyph == " ") continue;
      }
      if (glyph == " ") last_space = line.size(), width_at_space = width;
      line += glyph;
      width += glyph_width;
    }
    out.push_back(line);
  }
  while (!out.empty() && out.back().empty()) out.pop_back();
  return out;
}

/// The views a region can be focused from, with how deep it lies below the brain's surface
/// in each (mm from the brain's bounds to the region's nearest side): the lateral view of
/// its hemisphere, dorsal, ventral, anterior and posterior.
View best_view_of(const double region[6], const double brain[6]) {
  const double centre_x = (region[0] + region[1]) / 2;
  std::vector<std::pair<double, View>> depths;
  if (centre_x < -8) depths.push_back({region[0] - brain[0], View::left});
  if (centre_x > 8) depths.push_back({brain[1] - region[1], View::right});
  depths.push_back({brain[5] - region[5], View::dorsal});
  depths.push_back({region[4] - brain[4], View::ventral});
  depths.push_back({brain[3] - region[3], View::anterior});
  depths.push_back({region[2] - brain[2], View::posterior});
  // Ties go to the first: the lateral view, the most familiar.
  return std::min_element(depths.begin(), depths.end(),
                          [](const auto& a, const auto& b) { return a.first < b.first - 1e-9; })
      ->second;
}

class Inspector;

/// Replaces VTK's default keys (s for surface, w for wireframe ...) with foci's, and turns
/// mouse moves and clicks into hover and selection.
class InspectStyle : public vtkInteractorStyleTrackballCamera {
 public:
  static InspectStyle* New();
  vtkTypeMacro(InspectStyle, vtkInteractorStyleTrackballCamera) void OnChar() override {}
  void OnKeyPress() override;
  void OnMouseMove() override;
  void OnLeftButtonDown() override;
  void OnLeftButtonUp() override;
  void OnMouseWheelForward() override;
  void OnMouseWheelBackward() override;
  void StartState(int state) override;
  void StopState() override;
  Inspector* inspector = nullptr;
  int down_x = 0, down_y = 0;
};
vtkStandardNewMacro(InspectStyle);

/// Size of the info panel's text and the distance of its lines, pixels.
constexpr double kInfoFontPx = 14;
constexpr double kInfoLinePx = 14.2;

class Inspector {
 public:
  explicit Inspector(const InspectRequest& request)
      : request_(request), style_kind_(request.style) {}

  void run() {
    window_->SetSize(request_.width, request_.height);
    window_->SetWindowName("foci inspect");
    window_->SetMultiSamples(0);
    window_->AddRenderer(renderer_);
    window_->AddObserver(vtkCommand::StartEvent, this, &Inspector::frame_started);
    window_->AddObserver(vtkCommand::EndEvent, this, &Inspector::frame_ended);
    renderer_->SetBackground(1, 1, 1);
    renderer_->UseFXAAOff();  // costs a third of a frame on a software renderer
    interactor_->SetRenderWindow(window_);
    style_->inspector = this;
    interactor_->SetInteractorStyle(style_);
    picker_->SetTolerance(0.002);
    interactor_->SetPicker(picker_);
    status_ = text("", 15, {0.2, 0.2, 0.2}, false, 10, 10, 0, 0);
    build_info_panel();
    help_ = text(help_text(), 15, {0.1, 0.1, 0.1}, false, request_.width / 2.0,
                 request_.height / 2.0, 1, 1);
    help_->GetTextProperty()->SetBackgroundColor(1, 1, 0.9);
    help_->GetTextProperty()->SetBackgroundOpacity(0.95);
    help_->SetVisibility(false);
    renderer_->AddActor2D(status_);
    renderer_->AddActor2D(help_);
    build_scene();
    set_view(View::dorsal);
    if (request_.focus_region) focus(*request_.focus_region, request_.focus_side);
    window_->Render();
    if (request_.benchmark_frames > 0) {
      benchmark(request_.benchmark_frames);
      return;
    }
    interactor_->Initialize();
    // Said once the window takes input, so a script knows when its events will be seen.
    *request_.out << json{{"event", "ready"}, {"size", {request_.width, request_.height}}}.dump()
                  << std::endl;
    interactor_->Start();
  }

  void key(const std::string& key) {
    if (searching_) {
      search_key(key);
      window_->Render();
      return;
    }
    if (key == "slash") {
      searching_ = true;
      search_.clear();
      show_search();
    } else if (key.size() == 1 && key[0] >= '1' && key[0] <= '8') {
      set_view(static_cast<View>(key[0] - '1'));
    } else if (key == "g") {
      style_kind_ = style_kind_ == BrainStyle::glass ? BrainStyle::opaque : BrainStyle::glass;
      build_brain();
    } else if (key == "m") {
      measure_ = (measure_ + 1) % request_.content->scene_count();
      build_scene();
    } else if (key == "l") {
      labels_ = !labels_;
      build_scene();
    } else if (key == "s") {
      screenshot();
    } else if (key == "r") {
      focused_.reset();
      repaint_all();
      set_view(view_);
    } else if (key == "h") {
      help_->SetVisibility(!help_->GetVisibility());
    } else if (key == "Prior" || key == "Next") {
      scroll_info(key == "Next" ? info_rows() - 1 : 1 - info_rows());
    } else if (key == "q" || key == "Escape") {
      interactor_->TerminateApp();
      window_->Finalize();
      return;
    }
    window_->Render();
  }

  /// The search line: `/`, a region's name, Return focuses it (Escape gives up).
  void search_key(const std::string& key) {
    if (key == "Return" || key == "KP_Enter") {
      searching_ = false;
      const auto found = request_.content->find_region(search_);
      if (!found) {
        status_->SetInput(("no region is called '" + search_ + "'").c_str());
        *request_.out << json{{"event", "search"}, {"text", search_}, {"found", nullptr}}.dump()
                      << std::endl;
        return;
      }
      focus(found->id, found->side);
      return;
    }
    if (key == "Escape") {
      searching_ = false;
      status_->SetInput("");
      return;
    }
    if (key == "BackSpace") {
      // Drop the last character, a whole UTF-8 sequence.
      while (!search_.empty() && (static_cast<unsigned char>(search_.back()) & 0xC0) == 0x80) {
        search_.pop_back();
      }
      if (!search_.empty()) search_.pop_back();
    } else if (key == "space") {
      search_ += ' ';
    } else if (key == "minus") {
      search_ += '-';
    } else if (key.size() == 1) {
      search_ += key;
    }
    show_search();
  }

  void show_search() {
    const std::string line = "find a region: " + search_ + "_   (Return to go, Escape to cancel)";
    status_->SetInput(line.c_str());
    set_text_style(status_->GetTextProperty(), line, 15, {0.2, 0.2, 0.2}, false);
  }

  void hover(int x, int y) {
    const auto p = pick(x, y);
    if (p == hovered_) return;
    const auto before = hovered_;
    hovered_ = p;
    if (before) paint(*before);
    if (p) paint(*p);
    status_->SetInput(p ? describe_short(items_[*p].info).c_str() : "");
    set_text_style(status_->GetTextProperty(), status_->GetInput(), 15, {0.2, 0.2, 0.2}, false);
    window_->Render();
  }

  void click(int x, int y) {
    select(pick(x, y), json{{"event", "click"}, {"x", x}, {"y", y}});
    window_->Render();
  }

  /// The mouse wheel scrolls the info panel when the pointer is over it, else zooms.
  bool wheel_on_info(int x, int y, int rows) {
    if (!info_box_->GetVisibility() || !in_info_box(x, y)) return false;
    scroll_info(rows);
    window_->Render();
    return true;
  }

 private:
  std::string help_text() const {
    return "1-8  views: left, right, dorsal, ventral, anterior, posterior, medial-left, "
           "medial-right\ng  glass / opaque brain\nm  next measure\nl  labels on/off\ns  "
           "screenshot (PNG in this folder)\nr  reset the camera and undo the focus\n/  find a "
           "region by name and focus it\n"
           "PgUp/PgDn or the wheel over the info panel: scroll it\nh  this help\nq  quit\n"
           "mouse: drag to rotate, wheel to zoom, shift-drag to pan; click a region, node or "
           "edge";
  }

  // --- the info panel: a box in the top-left corner, its text wrapped to the box and
  // scrolled a page at a time when it is longer.

  void build_info_panel() {
    info_width_ = std::min(480.0, 0.4 * request_.width);
    info_height_ = 0.5 * request_.height;
    const double x0 = 8, y1 = request_.height - 8.0, x1 = x0 + info_width_, y0 = y1 - info_height_;
    info_x0_ = x0, info_y0_ = y0;
    auto& corners = info_corners_;
    corners = vtkSmartPointer<vtkPoints>::New();
    corners->InsertNextPoint(x0, y0, 0);
    corners->InsertNextPoint(x1, y0, 0);
    corners->InsertNextPoint(x1, y1, 0);
    corners->InsertNextPoint(x0, y1, 0);
    vtkNew<vtkCellArray> quad, outline;
    const vtkIdType ids[5] = {0, 1, 2, 3, 0};
    quad->InsertNextCell(4, ids);
    outline->InsertNextCell(5, ids);
    vtkNew<vtkPolyData> box;
    box->SetPoints(corners);
    box->SetPolys(quad);
    vtkNew<vtkPolyData> frame;
    frame->SetPoints(corners);
    frame->SetLines(outline);
    const auto actor_2d = [&](vtkPolyData* data, Rgb colour, double opacity) {
      vtkNew<vtkPolyDataMapper2D> mapper;
      mapper->SetInputData(data);
      auto actor = vtkSmartPointer<vtkActor2D>::New();
      actor->SetMapper(mapper);
      actor->GetProperty()->SetColor(colour.r, colour.g, colour.b);
      actor->GetProperty()->SetOpacity(opacity);
      actor->SetVisibility(false);
      renderer_->AddActor2D(actor);
      return actor;
    };
    // A warm paper tint, so the panel reads as a panel on the white background and the brain
    // behind it is dimmed rather than mixed with the text.
    info_box_ = actor_2d(box, {0.97, 0.955, 0.92}, 0.93);
    info_frame_ = actor_2d(frame, {0.6, 0.58, 0.55}, 1.0);
    info_ = text("", kInfoFontPx, {0.1, 0.1, 0.1}, false, x0 + 8, y1 - 8, 0, 2);
    renderer_->AddActor2D(info_);
  }

  bool in_info_box(int x, int y) const {
    return x >= info_x0_ && x <= info_x0_ + info_width_ && y >= info_corners_->GetPoint(0)[1] &&
           y <= info_y0_ + info_height_;
  }

  int info_rows() const {
    return std::max(3, static_cast<int>((info_height_ - 16) / kInfoLinePx) - 1);
  }

  void set_info(const std::string& content) {
    // A character of the panel's font is about half its size wide.
    const int columns = std::max(20, static_cast<int>((info_width_ - 16) / (kInfoFontPx * 0.5)));
    info_lines_ = wrap_lines(content, columns);
    info_top_ = 0;
    show_info();
  }

  void scroll_info(int rows) {
    const int last_top = std::max(0, static_cast<int>(info_lines_.size()) - info_rows());
    info_top_ = std::clamp(info_top_ + rows, 0, last_top);
    show_info();
  }

  void show_info() {
    const bool shown = !info_lines_.empty();
    info_box_->SetVisibility(shown);
    info_frame_->SetVisibility(shown);
    info_->SetVisibility(shown);
    if (!shown) return;
    const int rows = info_rows(), total = static_cast<int>(info_lines_.size());
    std::string page;
    for (int n = info_top_; n < std::min(total, info_top_ + rows); ++n) {
      page += info_lines_[n] + "\n";
    }
    if (total > rows) {
      page += "(lines " + std::to_string(info_top_ + 1) + "-" +
              std::to_string(std::min(total, info_top_ + rows)) + " of " + std::to_string(total) +
              "; PgUp/PgDn or the wheel here to scroll)";
    }
    info_->SetInput(page.c_str());
    // The box as tall as its text, at most the panel's height.
    const int shown_rows = std::min(total, rows) + (total > rows ? 1 : 0);
    const double top = request_.height - 8.0;
    const double bottom = std::max(info_y0_, top - 14 - shown_rows * kInfoLinePx);
    info_corners_->SetPoint(0, info_x0_, bottom, 0);
    info_corners_->SetPoint(1, info_x0_ + info_width_, bottom, 0);
    info_corners_->Modified();
    // The font follows the content: a CJK font for the Chinese names.
    set_text_style(info_->GetTextProperty(), page, kInfoFontPx, {0.1, 0.1, 0.1}, false);
  }

  // --- the scene

  void build_brain() {
    if (brain_) renderer_->RemoveActor(brain_), renderer_->RemoveActor(brain_lod_);
    const MeshCache cache(request_.cache_directory, nullptr);
    const auto mesh = brain_surface(*request_.brain, request_.brain_key, std::nullopt, cache);
    mesh->GetBounds(brain_bounds_);
    brain_ = brain_actor(mesh, style_kind_, overlays_);
    // Overlay colours belong to the full mesh's vertices; with them the brain stays whole.
    brain_lod_ = overlays_.empty() ? brain_actor(coarser(mesh, turning_detail_of_brain(mesh), cache), style_kind_, {})
                                   : brain_actor(mesh, style_kind_, overlays_);
    for (auto* actor : {brain_.Get(), brain_lod_.Get()}) {
      actor->PickableOff();  // the surface must never swallow a pick meant for a region
      renderer_->AddActor(actor);
    }
    // While turning, the glass is one sheet: drawn last among the opaque things, blended
    // over them and writing depth, so only its nearest layer costs a software renderer its
    // shading and blending, not every fold behind it.
    if (brain_lod_->GetProperty()->GetOpacity() < 1 && overlays_.empty()) {
      brain_lod_->ForceOpaqueOn();
    }
    show_view_side();
  }

  /// The turning brain after the findings, as its one-sheet glass needs.
  void draw_turning_brain_last() {
    renderer_->RemoveActor(brain_lod_);
    renderer_->AddActor(brain_lod_);
  }

  void build_scene() {
    for (auto& m : meshes_) renderer_->RemoveActor(m.actor), renderer_->RemoveActor(m.lod_actor);
    for (auto& blob : blobs_) renderer_->RemoveActor(blob);
    meshes_.clear();
    items_.clear();
    blobs_.clear();
    hovered_ = selected_ = std::nullopt;
    focused_.reset();  // it named items of the scene being replaced
    set_info("");
    const Panel panel = request_.content->scene(measure_, labels_);
    const MeshCache cache(request_.cache_directory, nullptr);
    if (!brain_) {
      overlays_ = panel.overlays;
      build_brain();
    }
    const PanelActors actors = build_actors(panel, cache);
    for (const auto& blob : actors.blobs) {
      blob->PickableOff();
      renderer_->AddActor(blob);
      blobs_.push_back(blob);
    }
    // Each drawn thing's mesh, grouped by kind and where it is.
    std::map<std::pair<std::string, MeshSides>, std::vector<std::pair<Pickable, vtkActor*>>>
        groups;
    const auto side_key = [](std::optional<Hemisphere> side) {
      return side ? static_cast<int>(*side) : -1;
    };
    const auto on_one_side = [&](std::optional<Hemisphere> side) {
      return MeshSides{side_key(side), side_key(side)};
    };
    for (std::size_t n = 0; n < panel.regions.size(); ++n) {
      if (!actors.regions[n].second) continue;
      const auto& r = panel.regions[n];
      // A lobe or hemisphere (coarse) is a light see-through tint beneath the specific
      // regions, as in a figure, so it never hides them.
      const bool coarse = n < actors.coarse.size() && actors.coarse[n];
      Pickable p{"region", r.name, r.atlas,   r.region_ids, r.labels,
                 r.side,   {},     r.sources, r.colour};
      groups[{coarse ? "coarse" : "region", on_one_side(r.side)}].push_back(
          {p, actors.regions[n].second});
    }
    for (std::size_t n = 0; n < panel.nodes.size(); ++n) {
      const auto& node = panel.nodes[n];
      Pickable p{"node", node.label, "", {}, {}, std::nullopt, node.mni, node.sources, node.colour};
      groups[{"node", on_one_side(side_of_x(node.mni.x))}].push_back({p, actors.nodes[n].second});
    }
    for (std::size_t n = 0; n < panel.edges.size(); ++n) {
      const auto& e = panel.edges[n];
      Pickable p{"edge",
                 "",
                 "",
                 {},
                 {},
                 std::nullopt,
                 {(e.from.x + e.to.x) / 2, (e.from.y + e.to.y) / 2, (e.from.z + e.to.z) / 2},
                 e.sources,
                 e.colour};
      const auto [from_x, to_x] = actors.edge_ends_x[n];
      const int lateral = from_x <= 0 && to_x <= 0 && from_x >= 0 && to_x >= 0 ? -1
                          : from_x <= 0 && to_x <= 0 ? static_cast<int>(Hemisphere::left)
                          : from_x >= 0 && to_x >= 0 ? static_cast<int>(Hemisphere::right)
                                                     : kCrossesMidline;
      groups[{"edge", MeshSides{side_key(side_of_x(actors.edges[n].first)), lateral}}].push_back(
          {p, actors.edges[n].second});
    }
    for (auto& [key, members] : groups) merge(key.first, key.second, members, cache);
    draw_turning_brain_last();
    show_view_side();
    const std::string title = request_.content->scene_title(measure_);
    window_->SetWindowName(("foci inspect: " + title).c_str());
    status_->SetInput(("showing " + title + "; h for help").c_str());
    set_text_style(status_->GetTextProperty(), status_->GetInput(), 15, {0.2, 0.2, 0.2}, false);
  }

  /// One mesh of the members' meshes, all as triangles (strips and polygons alike, so a
  /// picked cell's index counts through the members in order), a colour per point.
  void merge(const std::string& kind, MeshSides sides,
             const std::vector<std::pair<Pickable, vtkActor*>>& members, const MeshCache& cache) {
    MergedMesh merged;
    merged.kind = kind;
    merged.sides = sides;
    vtkNew<vtkAppendPolyData> append, lod_append;
    vtkIdType points = 0, cells = 0, lod_points = 0;
    for (const auto& [info, actor] : members) {
      vtkNew<vtkTriangleFilter> triangles;
      triangles->SetInputData(vtkPolyData::SafeDownCast(actor->GetMapper()->GetInput()));
      triangles->PassLinesOff();
      triangles->PassVertsOff();
      triangles->Update();
      vtkPolyData* mesh = triangles->GetOutput();
      // Only the points and normals are kept: appending keeps the arrays all inputs have.
      vtkNew<vtkPolyData> bare;
      bare->SetPoints(mesh->GetPoints());
      bare->SetPolys(mesh->GetPolys());
      if (auto* normals = mesh->GetPointData()->GetNormals()) {
        bare->GetPointData()->SetNormals(normals);
      }
      const auto lod = coarser(bare, turning_detail(kind), cache);
      DrawnItem item{info,       meshes_.size(),          points, mesh->GetNumberOfPoints(), cells,
                     lod_points, lod->GetNumberOfPoints()};
      lod_points += lod->GetNumberOfPoints();
      lod_append->AddInputData(lod);
      mesh->GetBounds(item.info.bounds);
      if (kind == "region" || kind == "coarse") {
        const double* b = item.info.bounds;
        item.info.where = {(b[0] + b[1]) / 2, (b[2] + b[3]) / 2, (b[4] + b[5]) / 2};
      }
      points += mesh->GetNumberOfPoints();
      cells += mesh->GetNumberOfCells();
      merged.items.push_back(items_.size());
      items_.push_back(std::move(item));
      append->AddInputData(bare);
    }
    append->Update();
    merged.mesh = append->GetOutput();
    lod_append->Update();
    merged.lod_mesh = lod_append->GetOutput();
    const auto coloured_actor = [&](vtkPolyData* mesh, vtkIdType count,
                                    vtkSmartPointer<vtkUnsignedCharArray>& colours) {
      colours = vtkSmartPointer<vtkUnsignedCharArray>::New();
      colours->SetNumberOfComponents(4);
      colours->SetNumberOfTuples(count);
      mesh->GetPointData()->SetScalars(colours);
      auto actor = mesh_actor(mesh, {1, 1, 1}, 1.0);
      if (kind == "node") actor->GetProperty()->SetSpecular(0.35);
      if (kind == "coarse") {
        actor->GetProperty()->SetOpacity(kCoarseTintOpacity);
        actor->GetProperty()->SetSpecular(0);
        actor->GetProperty()->BackfaceCullingOn();
      }
      auto* mapper = vtkPolyDataMapper::SafeDownCast(actor->GetMapper());
      mapper->ScalarVisibilityOn();
      mapper->SetScalarModeToUsePointData();
      mapper->SetColorModeToDirectScalars();
      renderer_->AddActor(actor);
      return actor;
    };
    merged.actor = coloured_actor(merged.mesh, points, merged.colours);
    merged.lod_actor = coloured_actor(merged.lod_mesh, lod_points, merged.lod_colours);
    merged.lod_actor->PickableOff();  // picks happen on the still picture
    meshes_.push_back(std::move(merged));
    for (const auto n : meshes_.back().items) paint(n, false);
  }

  /// Writes an item's colour into its mesh: its own, highlighted when hovered or selected,
  /// faint grey when another region is focused.
  void paint(std::size_t n, bool modified = true) {
    const DrawnItem& item = items_[n];
    Rgb c = item.info.colour;
    // The focused region keeps its own colour: it is what the reader looks for.
    const bool focused = focused_ && focused_->count(n);
    const double toward_yellow = focused ? 0.0 : selected_ == n ? 0.6 : hovered_ == n ? 0.45 : 0.0;
    c = {c.r + (1 - c.r) * toward_yellow, c.g + (0.9 - c.g) * toward_yellow,
         c.b * (1 - toward_yellow)};
    double alpha = 1.0;
    if (focused_ && !focused && toward_yellow == 0) {
      const double keep = 0.35;  // of the own colour, the rest a light grey
      c = {0.8 + (c.r - 0.8) * keep, 0.8 + (c.g - 0.8) * keep, 0.8 + (c.b - 0.8) * keep};
      alpha = 0.08;
    }
    const unsigned char rgba[4] = {
        static_cast<unsigned char>(std::lround(255 * std::clamp(c.r, 0.0, 1.0))),
        static_cast<unsigned char>(std::lround(255 * std::clamp(c.g, 0.0, 1.0))),
        static_cast<unsigned char>(std::lround(255 * std::clamp(c.b, 0.0, 1.0))),
        static_cast<unsigned char>(std::lround(255 * alpha))};
    auto* colours = meshes_[item.mesh].colours.Get();
    for (vtkIdType p = item.first_point; p < item.first_point + item.points; ++p) {
      colours->SetTypedTuple(p, rgba);
    }
    auto* lod_colours = meshes_[item.mesh].lod_colours.Get();
    for (vtkIdType p = item.lod_first_point; p < item.lod_first_point + item.lod_points; ++p) {
      lod_colours->SetTypedTuple(p, rgba);
    }
    if (modified) colours->Modified(), lod_colours->Modified();
  }

  void repaint_all() {
    for (std::size_t n = 0; n < items_.size(); ++n) paint(n, false);
    for (auto& m : meshes_) m.colours->Modified(), m.lod_colours->Modified();
  }

 public:
  /// While the camera turns, the coarse meshes stand in for the full ones.
  void set_turning(bool turning) {
    turning_ = turning;
    set_turning_pixels(turning_pixels_);
    renderer_->SetPass(turning ? turning_pass_.Get() : nullptr);
    window_->set_turning(turning);
    show_view_side();
  }

 private:
  void set_turning_pixels(double pixels) {
    const int* size = window_->GetSize();
    const double window_pixels = std::max(1, size[0] * size[1]);
    turning_pixels_ = std::clamp(pixels, std::min(kTurningPixelsLeast, window_pixels), window_pixels);
    turning_pass_->set_scale(std::sqrt(turning_pixels_ / window_pixels));
  }

  void frame_started() { frame_start_ = std::chrono::steady_clock::now(); }

  /// After a turning frame: fewer pixels for the next when it took too long, more when it
  /// was quick (a dead band between, so the picture does not flicker between sizes).
  void frame_ended() {
    if (!turning_) return;
    const double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() -
                                                                frame_start_)
                          .count();
    if (ms > kTurningFrameMs * 1.1 || ms < kTurningFrameMs * 0.7) {
      set_turning_pixels(turning_pixels_ * std::clamp(kTurningFrameMs / ms, 0.5, 1.5));
    }
  }

  std::optional<std::size_t> pick(int x, int y) {
    if (!picker_->Pick(x, y, 0, renderer_)) return std::nullopt;
    auto* actor = picker_->GetActor();
    const vtkIdType cell = picker_->GetCellId();
    for (const auto& m : meshes_) {
      if (m.actor.Get() != actor || cell < 0) continue;
      // The last item whose first cell is at or before the picked one.
      const auto it =
          std::upper_bound(m.items.begin(), m.items.end(), cell,
                           [&](vtkIdType c, std::size_t n) { return c < items_[n].first_cell; });
      if (it == m.items.begin()) return std::nullopt;
      return *std::prev(it);
    }
    return std::nullopt;
  }

  std::string describe_short(const Pickable& p) const {
    if (p.kind == "region") {
      // A lobe or a hemisphere covers dozens of labels: the first few and how many more, so
      // the line fits the window and its name (given first) is never cut off.
      constexpr std::size_t kLabelsShown = 3;
      std::set<std::int32_t> shown;
      for (const auto label : p.labels) {
        if (shown.size() == kLabelsShown) break;
        shown.insert(label);
      }
      std::string labels = request_.content->label_names(p.atlas, shown);
      if (p.labels.size() > shown.size()) {
        labels += " +" + std::to_string(p.labels.size() - shown.size()) + " more";
      }
      return request_.content->region_names(p.region_ids) + "  (" + p.atlas + ": " + labels + ")";
    }
    return p.kind + (p.name.empty() ? "" : ": " + p.name) + "  (" +
           std::to_string(p.sources.size()) + " finding" + (p.sources.size() == 1 ? "" : "s") + ")";
  }

  json pick_json(const Pickable& p) const {
    json j = {{"kind", p.kind}, {"findings", request_.content->findings_json(p.sources)}};
    if (p.kind == "region") {
      j["atlas"] = p.atlas;
      j["labels"] = request_.content->label_details(p.atlas, p.labels);
      j["regions"] = p.region_ids;
      j["names"] = request_.content->region_names(p.region_ids);
    } else {
      j["mni"] = {p.where.x, p.where.y, p.where.z};
      if (!p.name.empty()) j["name"] = p.name;
    }
    return j;
  }

  std::string info_text(const Pickable& p) const {
    return describe_short(p) + "\n" + request_.content->findings_text(p.sources);
  }

  void select(std::optional<std::size_t> p, json event) {
    const auto before = selected_;
    selected_ = p;
    if (before) paint(*before);
    if (p) {
      paint(*p);
      set_info(info_text(items_[*p].info));
      event["picked"] = pick_json(items_[*p].info);
    } else {
      set_info("");
      event["picked"] = nullptr;
    }
    *request_.out << event.dump() << std::endl;
  }

  /// Turns the camera to the focused region (from the side where it lies nearest the
  /// surface), centres it, and dims everything else.
  void focus(const std::string& region, std::optional<Hemisphere> side) {
    std::set<std::size_t> matches;
    for (std::size_t n = 0; n < items_.size(); ++n) {
      const Pickable& p = items_[n].info;
      if (p.kind != "region") continue;
      const bool named =
          std::find(p.region_ids.begin(), p.region_ids.end(), region) != p.region_ids.end();
      if (!named) continue;
      if (side && p.side && *p.side != *side) continue;
      matches.insert(n);
    }
    if (matches.empty()) {
      select(std::nullopt, json{{"event", "focus"},
                                {"region", region},
                                {"note", "the region has no finding in the current view"}});
      return;
    }
    // Every drawn piece that carries the name (a region can be drawn in pieces, one per
    // colour) together.
    double bounds[6] = {1e9, -1e9, 1e9, -1e9, 1e9, -1e9};
    for (const auto n : matches) {
      const double* b = items_[n].info.bounds;
      for (int a = 0; a < 3; ++a) {
        bounds[2 * a] = std::min(bounds[2 * a], b[2 * a]);
        bounds[2 * a + 1] = std::max(bounds[2 * a + 1], b[2 * a + 1]);
      }
    }
    focused_ = matches;
    const View view = best_view_of(bounds, brain_bounds_);
    set_view(view);
    auto* camera = renderer_->GetActiveCamera();
    // Slide the camera, focal point and position together, so the view keeps its direction
    // and the region comes to the middle; zoom in a little, keeping the brain around it.
    const double centre[3] = {(bounds[0] + bounds[1]) / 2, (bounds[2] + bounds[3]) / 2,
                              (bounds[4] + bounds[5]) / 2};
    double focal[3], position[3];
    camera->GetFocalPoint(focal);
    camera->GetPosition(position);
    camera->SetFocalPoint(centre);
    camera->SetPosition(position[0] + centre[0] - focal[0], position[1] + centre[1] - focal[1],
                        position[2] + centre[2] - focal[2]);
    camera->SetParallelScale(camera->GetParallelScale() * 0.8);
    repaint_all();
    const std::size_t first = *matches.begin();
    select(first, json{{"event", "focus"}, {"region", region}, {"view", to_string(view)}});
  }

  void set_view(View view) {
    view_ = view;
    fit_camera(renderer_->GetActiveCamera(), view, brain_bounds_,
               static_cast<double>(request_.width) / request_.height);
    show_view_side();
  }

  /// A medial view shows one hemisphere's findings and a lateral view the near hemisphere's
  /// regions, nodes and the edges between them, as in a figure.
  void show_view_side() {
    const auto side = view_side(view_);
    const auto near = regions_side(view_);
    for (auto& m : meshes_) {
      const bool shown = side   ? m.sides.side < 0 || m.sides.side == static_cast<int>(*side)
                         : near ? m.sides.lateral < 0 || m.sides.lateral == static_cast<int>(*near)
                                : true;
      m.actor->SetVisibility(shown && !turning_);
      m.lod_actor->SetVisibility(shown && turning_);
    }
    if (brain_lod_) {
      brain_->SetVisibility(!turning_);
      brain_lod_->SetVisibility(turning_);
    }
  }

  /// Frames turning the camera a full circle as a drag does (the coarse meshes), then a few
  /// still frames (the full ones): the wall-clock and CPU time of each (CPU time of the whole
  /// process, the software renderer's threads included: what a frame costs, whatever else
  /// the machine is doing).
  void benchmark(int frames) {
    const auto measure = [&](int count, bool turning) {
      set_turning(turning);
      const auto start = std::chrono::steady_clock::now();
      const std::clock_t cpu_start = std::clock();
      for (int n = 0; n < count; ++n) {
        renderer_->GetActiveCamera()->Azimuth(360.0 / count);
        window_->Render();
      }
      const double ms =
          std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
              .count();
      const double cpu_ms = 1000.0 * static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
      return std::make_pair(ms / count, cpu_ms / count);
    };
    const auto [turning_ms, turning_cpu_ms] = measure(frames, true);
    const auto [still_ms, still_cpu_ms] = measure(std::max(2, frames / 10), false);
    vtkIdType triangles = 0, turning_triangles = 0;
    for (const auto& m : meshes_) {
      triangles += m.mesh->GetNumberOfCells();
      turning_triangles += m.lod_mesh->GetNumberOfCells();
    }
    *request_.out << json{{"event", "benchmark"},
                          {"frames", frames},
                          {"mean_frame_ms", turning_ms},
                          {"cpu_ms_per_frame", turning_cpu_ms},
                          {"still_frame_ms", still_ms},
                          {"still_cpu_ms_per_frame", still_cpu_ms},
                          {"items", items_.size()},
                          {"meshes", meshes_.size()},
                          {"triangles", triangles},
                          {"turning_triangles", turning_triangles},
                          {"turning_scene_size",
                           {std::lround(request_.width * turning_pass_->scale()),
                            std::lround(request_.height * turning_pass_->scale())}},
                          {"size", {request_.width, request_.height}}}
                         .dump()
                  << std::endl;
  }

  void screenshot() {
    int n = 1;
    std::string path;
    do {
      path = "foci-inspect-" + std::to_string(n++) + ".png";
    } while (std::filesystem::exists(path));
    // The still picture, sharp, even while a drag turns the camera (a turning frame is drawn
    // for the screen only, not where a grab reads).
    const bool was_turning = turning_;
    if (was_turning) set_turning(false);
    window_->Render();
    write_file_atomically(path, window_png(window_, false, 96), false);
    if (was_turning) {
      set_turning(true);
      window_->Render();  // the screen back to what the drag draws
    }
    *request_.out
        << json{{"event", "screenshot"}, {"path", std::filesystem::absolute(path).string()}}.dump()
        << std::endl;
  }

  const InspectRequest& request_;
  vtkNew<TurningWindow> window_;
  vtkNew<vtkRenderer> renderer_;
  vtkNew<vtkRenderWindowInteractor> interactor_;
  vtkNew<InspectStyle> style_;
  vtkNew<vtkCellPicker> picker_;
  vtkNew<ReducedResolutionPass> turning_pass_;  ///< draws the scene while the camera turns
  double turning_pixels_ = kTurningPixelsFirst;
  std::chrono::steady_clock::time_point frame_start_;
  vtkSmartPointer<vtkActor> brain_, brain_lod_;
  std::vector<SceneOverlay> overlays_;
  std::vector<vtkSmartPointer<vtkActor>> blobs_;
  vtkSmartPointer<vtkTextActor> status_, info_, help_;
  vtkSmartPointer<vtkActor2D> info_box_, info_frame_;
  vtkSmartPointer<vtkPoints> info_corners_;
  double info_x0_ = 0, info_y0_ = 0, info_width_ = 0, info_height_ = 0;
  std::vector<std::string> info_lines_;
  int info_top_ = 0;
  std::vector<MergedMesh> meshes_;
  std::vector<DrawnItem> items_;
  std::optional<std::size_t> hovered_, selected_;
  std::optional<std::set<std::size_t>> focused_;
  double brain_bounds_[6] = {-90, 90, -126, 90, -72, 108};
  std::size_t measure_ = 0;
  BrainStyle style_kind_ = BrainStyle::glass;
  bool labels_ = false;
  bool turning_ = false;
  bool searching_ = false;
  std::string search_;
  View view_ = View::dorsal;

  friend class InspectStyle;
};

void InspectStyle::OnKeyPress() {
  const char* sym = Interactor->GetKeySym();
  inspector->key(sym ? sym : "");
}
void InspectStyle::OnMouseMove() {
  vtkInteractorStyleTrackballCamera::OnMouseMove();
  if (State == VTKIS_NONE) {
    inspector->hover(Interactor->GetEventPosition()[0], Interactor->GetEventPosition()[1]);
  }
}
void InspectStyle::OnLeftButtonDown() {
  down_x = Interactor->GetEventPosition()[0];
  down_y = Interactor->GetEventPosition()[1];
  vtkInteractorStyleTrackballCamera::OnLeftButtonDown();
}
void InspectStyle::OnLeftButtonUp() {
  vtkInteractorStyleTrackballCamera::OnLeftButtonUp();
  const int x = Interactor->GetEventPosition()[0], y = Interactor->GetEventPosition()[1];
  // A press and release in one place is a click; anything else was a rotation.
  if (std::abs(x - down_x) <= 3 && std::abs(y - down_y) <= 3) inspector->click(x, y);
}
void InspectStyle::StartState(int state) {
  vtkInteractorStyleTrackballCamera::StartState(state);
  inspector->set_turning(true);
}
void InspectStyle::StopState() {
  inspector->set_turning(false);
  vtkInteractorStyleTrackballCamera::StopState();  // renders the still picture
}
void InspectStyle::OnMouseWheelForward() {
  const int* at = Interactor->GetEventPosition();
  if (!inspector->wheel_on_info(at[0], at[1], -3)) {
    vtkInteractorStyleTrackballCamera::OnMouseWheelForward();
  }
}
void InspectStyle::OnMouseWheelBackward() {
  const int* at = Interactor->GetEventPosition();
  if (!inspector->wheel_on_info(at[0], at[1], 3)) {
    vtkInteractorStyleTrackballCamera::OnMouseWheelBackward();
  }
}

}  // namespace

void run_inspector(const InspectRequest& request) {
  const char* display = std::getenv("DISPLAY");
  if (!display || !*display) throw usage_error("foci inspect needs a display; $DISPLAY is unset");
  if (!request.content || !request.brain) {
    throw Error(ExitCode::internal, "run_inspector needs content and the brain template");
  }
  Inspector inspector(request);
  inspector.run();
}

}  // namespace foci
