#include "render/inspector.hpp"

#include <vtkCallbackCommand.h>
#include <vtkCamera.h>
#include <vtkCellPicker.h>
#include <vtkInteractorStyleTrackballCamera.h>
#include <vtkNew.h>
#include <vtkObjectFactory.h>
#include <vtkPNGWriter.h>
#include <vtkPropCollection.h>
#include <vtkProperty.h>
#include <vtkRenderWindow.h>
#include <vtkRenderWindowInteractor.h>
#include <vtkRenderer.h>
#include <vtkTextProperty.h>
#include <vtkWindowToImageFilter.h>

#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <sstream>

#include "core/error.hpp"
#include "findings/findings_json.hpp"
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
  explicit Inspector(const InspectRequest& request) : request_(request) {}

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
      glass_ = !glass_;
      brain_->GetProperty()->SetOpacity(glass_ ? 0.16 : 1.0);
    } else if (key == "m") {
      measure_ = (measure_ + 1) % request_.measure_panels.size();
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
    Panel panel;
    SceneOptions scene = request_.scene;
    scene.labels = labels_;
    scene.volume_keys = request_.inputs->volume_keys;
    fill_panel(panel, request_.inputs->mapped, request_.measure_panels[measure_].filter,
               request_.inputs->atlas_pointers(), request_.inputs->lexicon, scene);
    const MeshCache cache(request_.cache_directory, nullptr);
    if (!brain_) {
      brain_ = mesh_actor(
          brain_surface(request_.inputs->brain, request_.inputs->brain_key, std::nullopt, cache),
          {0.62, 0.64, 0.68}, glass_ ? 0.16 : 1.0);
      brain_->PickableOff();  // the surface must never swallow a pick meant for a region
      renderer_->AddActor(brain_);
    }
    const PanelActors actors = build_actors(panel, cache);
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
    const std::string& title = request_.measure_panels[measure_].title;
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

  std::string region_names(const Pickable& p) const {
    std::string out;
    for (const auto& id : p.region_ids) {
      for (const auto& r : request_.inputs->lexicon.regions()) {
        if (r.id != id) continue;
        out += (out.empty() ? "" : "; ") + r.en + (r.zh.empty() ? "" : " " + r.zh);
      }
    }
    return out;
  }

  std::string label_names(const Pickable& p) const {
    std::string out;
    for (const auto& a : request_.inputs->atlases) {
      if (a.name() != p.atlas) continue;
      for (const auto label : p.labels) out += (out.empty() ? "" : ", ") + a.label_name(label);
    }
    return out;
  }

  std::string describe_short(const Pickable& p) const {
    if (p.kind == "region") {
      return label_names(p) + " (" + p.atlas + ")  " + region_names(p);
    }
    return p.kind + (p.name.empty() ? "" : ": " + p.name) + "  (" +
           std::to_string(p.sources.size()) + " finding" + (p.sources.size() == 1 ? "" : "s") + ")";
  }

  json findings_json(const Pickable& p) const {
    json list = json::array();
    for (const auto s : p.sources) {
      const auto& m = request_.inputs->mapped.mapped[s];
      const Finding& f = *m.input.finding;
      json j = to_json(f);
      const Study* study = m.input.findings_file->find_study(f.study);
      if (study) j["study_citation"] = study->citation;
      j["file"] = m.input.file;
      list.push_back(j);
    }
    return list;
  }

  json pick_json(const Pickable& p) const {
    json j = {{"kind", p.kind}, {"findings", findings_json(p)}};
    if (p.kind == "region") {
      j["atlas"] = p.atlas;
      j["labels"] = json::array();
      for (const auto& a : request_.inputs->atlases) {
        if (a.name() != p.atlas) continue;
        for (const auto& stats : a.region_stats()) {
          if (!p.labels.count(stats.label)) continue;
          j["labels"].push_back(
              {{"label", stats.label},
               {"name", stats.name},
               {"side", to_string(stats.hemisphere)},
               {"centroid_mm", {stats.centroid.x, stats.centroid.y, stats.centroid.z}},
               {"volume_mm3", stats.volume_mm3}});
        }
      }
      j["regions"] = p.region_ids;
      j["names"] = region_names(p);
    } else {
      j["mni"] = {p.where.x, p.where.y, p.where.z};
      if (!p.name.empty()) j["name"] = p.name;
    }
    return j;
  }

  std::string info_text(const Pickable& p) const {
    std::ostringstream s;
    s << describe_short(p) << "\n";
    for (const auto src : p.sources) {
      const auto& m = request_.inputs->mapped.mapped[src];
      const Finding& f = *m.input.finding;
      const Study* study = m.input.findings_file->find_study(f.study);
      s << "- " << (study && study->reference ? *study->reference + " " : "") << f.study << ": "
        << f.measure.value_or("?") << " " << (f.direction ? to_string(*f.direction) : "") << "  ["
        << f.source_anchor << "]";
      for (const auto& a : f.associations) {
        s << "\n    with " << a.with << " (" << to_string(a.category)
          << (a.sign ? ", " + to_string(*a.sign) : "") << ")";
      }
      s << "\n";
    }
    return s.str();
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
      renderer_->GetActiveCamera()->SetFocalPoint(p.where.x, p.where.y, p.where.z);
      select(&p, json{{"event", "focus"}, {"region", *request_.focus_region}});
      return;
    }
    select(nullptr, json{{"event", "focus"},
                         {"region", *request_.focus_region},
                         {"note", "the region has no finding in the current view"}});
  }

  void set_view(View view) {
    view_ = view;
    double direction[3] = {0, 0, 1}, up[3] = {0, 1, 0};
    view_geometry(view, direction, up);
    auto* camera = renderer_->GetActiveCamera();
    camera->SetFocalPoint(0, -18, 10);
    camera->SetPosition(500 * direction[0], -18 + 500 * direction[1], 10 + 500 * direction[2]);
    camera->SetViewUp(up);
    camera->ParallelProjectionOn();
    camera->SetParallelScale(105);
    renderer_->ResetCameraClippingRange();
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
    vtkNew<vtkWindowToImageFilter> grab;
    grab->SetInput(window_);
    grab->SetInputBufferTypeToRGB();
    grab->ReadFrontBufferOff();
    grab->Update();
    vtkNew<vtkPNGWriter> writer;
    writer->SetFileName(path.c_str());
    writer->SetInputConnection(grab->GetOutputPort());
    writer->Write();
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
  std::size_t measure_ = 0;
  bool glass_ = true, labels_ = false;
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
  if (!display || !*display) {
    throw usage_error(
        "foci inspect needs a display and $DISPLAY is unset; run it on a desktop, with X "
        "forwarding (ssh -X), or under a virtual display: xvfb-run -a foci inspect ...");
  }
  Inspector inspector(request);
  inspector.run();
}

}  // namespace foci
