// The `foci inspect` window. Its view geometry, camera fit, brain look, actors and PNG
// writing are the figures' own (scene_actors.hpp, png_output.hpp), so the window shows what
// `foci render` draws.
#include "render/inspector.hpp"

#include <vtkCallbackCommand.h>
#include <vtkCamera.h>
#include <vtkCellPicker.h>
#include <vtkInteractorStyleTrackballCamera.h>
#include <vtkNew.h>
#include <vtkObjectFactory.h>
#include <vtkPropCollection.h>
#include <vtkProperty.h>
#include <vtkRenderWindow.h>
#include <vtkRenderWindowInteractor.h>
#include <vtkRenderer.h>
#include <vtkTextProperty.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>

#include "core/error.hpp"
#include "core/output_file.hpp"
#include "render/png_output.hpp"
#include "render/scene_actors.hpp"

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
};

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
  Inspector* inspector = nullptr;
  int down_x = 0, down_y = 0;
};
vtkStandardNewMacro(InspectStyle);

class Inspector {
 public:
  explicit Inspector(const InspectRequest& request)
      : request_(request), style_kind_(request.style) {}

  void run() {
    window_->SetSize(request_.width, request_.height);
    window_->SetWindowName("foci inspect");
    window_->SetMultiSamples(0);
    window_->AddRenderer(renderer_);
    renderer_->SetBackground(1, 1, 1);
    renderer_->UseFXAAOff();  // costs a third of a frame on a software renderer
    interactor_->SetRenderWindow(window_);
    style_->inspector = this;
    interactor_->SetInteractorStyle(style_);
    picker_->SetTolerance(0.002);
    interactor_->SetPicker(picker_);
    status_ = text("", 15, {0.2, 0.2, 0.2}, false, 10, 10, 0, 0);
    info_ = text("", 14, {0.1, 0.1, 0.1}, false, 10, request_.height - 10, 0, 2);
    info_->GetTextProperty()->SetBackgroundColor(1, 1, 1);
    info_->GetTextProperty()->SetBackgroundOpacity(0.85);
    help_ = text(help_text(), 15, {0.1, 0.1, 0.1}, false, request_.width / 2.0,
                 request_.height / 2.0, 1, 1);
    help_->GetTextProperty()->SetBackgroundColor(1, 1, 0.9);
    help_->GetTextProperty()->SetBackgroundOpacity(0.95);
    help_->SetVisibility(false);
    renderer_->AddActor2D(status_);
    renderer_->AddActor2D(info_);
    renderer_->AddActor2D(help_);
    build_scene();
    set_view(View::dorsal);
    if (request_.focus_region) focus();
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
    if (key.size() == 1 && key[0] >= '1' && key[0] <= '8') {
      set_view(static_cast<View>(key[0] - '1'));
    } else if (key == "g") {
      style_kind_ = style_kind_ == BrainStyle::glass ? BrainStyle::opaque : BrainStyle::glass;
      const SurfaceLook look = brain_look(style_kind_);
      brain_->GetProperty()->SetColor(look.colour.r, look.colour.g, look.colour.b);
      brain_->GetProperty()->SetOpacity(look.opacity);
    } else if (key == "m") {
      measure_ = (measure_ + 1) % request_.content->scene_count();
      build_scene();
    } else if (key == "l") {
      labels_ = !labels_;
      build_scene();
    } else if (key == "s") {
      screenshot();
    } else if (key == "r") {
      set_view(view_);
    } else if (key == "h") {
      help_->SetVisibility(!help_->GetVisibility());
    } else if (key == "q" || key == "Escape") {
      interactor_->TerminateApp();
      window_->Finalize();
      return;
    }
    window_->Render();
  }

  void hover(int x, int y) {
    const Pickable* p = pick(x, y);
    if (p == hovered_) return;
    if (hovered_ && hovered_ != selected_) restore(hovered_);
    hovered_ = p;
    if (p && p != selected_) highlight(p, 0.45);
    status_->SetInput(p ? describe_short(*p).c_str() : "");
    window_->Render();
  }

  void click(int x, int y) {
    const Pickable* p = pick(x, y);
    select(p, json{{"event", "click"}, {"x", x}, {"y", y}});
    window_->Render();
  }

 private:
  std::string help_text() const {
    return "1-8  views: left, right, dorsal, ventral, anterior, posterior, medial-left, "
           "medial-right\ng  glass / opaque brain\nm  next measure\nl  labels on/off\ns  "
           "screenshot (PNG in this folder)\nr  reset the camera\nh  this help\nq  quit\n"
           "mouse: drag to rotate, wheel to zoom, shift-drag to pan; click a region, node or "
           "edge";
  }

  void build_scene() {
    for (auto& [actor, info] : actors_) renderer_->RemoveActor(actor);
    actors_.clear();
    hovered_ = selected_ = nullptr;
    info_->SetInput("");
    const Panel panel = request_.content->scene(measure_, labels_);
    const MeshCache cache(request_.cache_directory, nullptr);
    if (!brain_) {
      const auto mesh = brain_surface(*request_.brain, request_.brain_key, std::nullopt, cache);
      mesh->GetBounds(brain_bounds_);
      const SurfaceLook look = brain_look(style_kind_);
      brain_ = mesh_actor(mesh, look.colour, look.opacity);
      brain_->PickableOff();  // the surface must never swallow a pick meant for a region
      renderer_->AddActor(brain_);
    }
    actors_by_view_ = build_actors(panel, cache);
    const PanelActors& actors = actors_by_view_;
    for (std::size_t n = 0; n < panel.regions.size(); ++n) {
      if (!actors.regions[n].second) continue;
      const auto& r = panel.regions[n];
      Pickable p{"region", r.name, r.atlas,   r.region_ids, r.labels,
                 r.side,   {},     r.sources, r.colour};
      double b[6];
      actors.regions[n].second->GetBounds(b);
      p.where = {(b[0] + b[1]) / 2, (b[2] + b[3]) / 2, (b[4] + b[5]) / 2};
      add(actors.regions[n].second, p);
    }
    for (std::size_t n = 0; n < panel.nodes.size(); ++n) {
      const auto& node = panel.nodes[n];
      add(actors.nodes[n].second,
          {"node", node.label, "", {}, {}, std::nullopt, node.mni, node.sources, node.colour});
    }
    for (std::size_t n = 0; n < panel.edges.size(); ++n) {
      const auto& e = panel.edges[n];
      add(actors.edges[n].second,
          {"edge",
           "",
           "",
           {},
           {},
           std::nullopt,
           {(e.from.x + e.to.x) / 2, (e.from.y + e.to.y) / 2, (e.from.z + e.to.z) / 2},
           e.sources,
           e.colour});
    }
    show_view_side();
    const std::string title = request_.content->scene_title(measure_);
    window_->SetWindowName(("foci inspect: " + title).c_str());
    status_->SetInput(("showing " + title + "; h for help").c_str());
  }

  void add(vtkActor* actor, Pickable p) {
    renderer_->AddActor(actor);
    actors_[actor] = std::move(p);
  }

  const Pickable* pick(int x, int y) {
    if (!picker_->Pick(x, y, 0, renderer_)) return nullptr;
    auto* actor = picker_->GetActor();
    const auto it = actors_.find(actor);
    return it == actors_.end() ? nullptr : &it->second;
  }

  vtkActor* actor_of(const Pickable* p) {
    for (auto& [actor, info] : actors_) {
      if (&info == p) return actor;
    }
    return nullptr;
  }
  void highlight(const Pickable* p, double toward_yellow) {
    if (auto* a = actor_of(p)) {
      const Rgb c = p->colour;
      a->GetProperty()->SetColor(c.r + (1 - c.r) * toward_yellow, c.g + (0.9 - c.g) * toward_yellow,
                                 c.b * (1 - toward_yellow));
    }
  }
  void restore(const Pickable* p) {
    if (auto* a = actor_of(p)) a->GetProperty()->SetColor(p->colour.r, p->colour.g, p->colour.b);
  }

  std::string describe_short(const Pickable& p) const {
    if (p.kind == "region") {
      return request_.content->label_names(p.atlas, p.labels) + " (" + p.atlas + ")  " +
             request_.content->region_names(p.region_ids);
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

  void select(const Pickable* p, json event) {
    if (selected_) restore(selected_);
    selected_ = p;
    if (p) {
      highlight(p, 0.6);
      info_->SetInput(info_text(*p).c_str());
      event["picked"] = pick_json(*p);
    } else {
      info_->SetInput("");
      event["picked"] = nullptr;
    }
    *request_.out << event.dump() << std::endl;
  }

  void focus() {
    for (auto& [actor, p] : actors_) {
      if (p.kind != "region") continue;
      bool match = false;
      for (const auto& id : p.region_ids) match = match || id == *request_.focus_region;
      if (!match) continue;
      if (request_.focus_side && p.side && *p.side != *request_.focus_side) continue;
      // Slide the camera, focal point and position together, so the view keeps its
      // direction (a dorsal view stays dorsal) and the region comes to the middle.
      auto* camera = renderer_->GetActiveCamera();
      double focal[3], position[3];
      camera->GetFocalPoint(focal);
      camera->GetPosition(position);
      const double shift[3] = {p.where.x - focal[0], p.where.y - focal[1], p.where.z - focal[2]};
      camera->SetFocalPoint(p.where.x, p.where.y, p.where.z);
      camera->SetPosition(position[0] + shift[0], position[1] + shift[1], position[2] + shift[2]);
      select(&p, json{{"event", "focus"}, {"region", *request_.focus_region}});
      return;
    }
    select(nullptr, json{{"event", "focus"},
                         {"region", *request_.focus_region},
                         {"note", "the region has no finding in the current view"}});
  }

  void set_view(View view) {
    view_ = view;
    fit_camera(renderer_->GetActiveCamera(), view, brain_bounds_,
               static_cast<double>(request_.width) / request_.height);
    show_view_side();
  }

  /// A medial view shows one hemisphere's findings, as in a figure.
  void show_view_side() {
    for (auto& [actor, info] : actors_) actor->SetVisibility(false);
    for (vtkActor* actor : actors_in_view(actors_by_view_, view_)) {
      actor->SetVisibility(true);
    }
  }

  void benchmark(int frames) {
    const auto start = std::chrono::steady_clock::now();
    for (int n = 0; n < frames; ++n) {
      renderer_->GetActiveCamera()->Azimuth(360.0 / frames);
      window_->Render();
    }
    const double ms =
        std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    *request_.out << json{{"event", "benchmark"},
                          {"frames", frames},
                          {"mean_frame_ms", ms / frames},
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
    window_->Render();
    write_file_atomically(path, window_png(window_, false, 96), false);
    *request_.out
        << json{{"event", "screenshot"}, {"path", std::filesystem::absolute(path).string()}}.dump()
        << std::endl;
  }

  const InspectRequest& request_;
  vtkNew<vtkRenderWindow> window_;
  vtkNew<vtkRenderer> renderer_;
  vtkNew<vtkRenderWindowInteractor> interactor_;
  vtkNew<InspectStyle> style_;
  vtkNew<vtkCellPicker> picker_;
  vtkSmartPointer<vtkActor> brain_;
  vtkSmartPointer<vtkTextActor> status_, info_, help_;
  std::map<vtkActor*, Pickable> actors_;
  const Pickable* hovered_ = nullptr;
  const Pickable* selected_ = nullptr;
  PanelActors actors_by_view_;
  double brain_bounds_[6] = {-90, 90, -126, 90, -72, 108};
  std::size_t measure_ = 0;
  BrainStyle style_kind_ = BrainStyle::glass;
  bool labels_ = false;
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
