// The pieces of a VTK scene that figures and the inspector window share: view geometry and
// camera fit, the brain's look, text, mesh actors, and which actors a view shows.
#include "render/scene_actors.hpp"

#include <vtkAppendPolyData.h>
#include <vtkCamera.h>
#include <vtkCellArray.h>
#include <vtkConeSource.h>
#include <vtkIdList.h>
#include <vtkLineSource.h>
#include <vtkNew.h>
#include <vtkPolyDataMapper.h>
#include <vtkPolyDataNormals.h>
#include <vtkProperty.h>
#include <vtkSphereSource.h>
#include <vtkTextProperty.h>
#include <vtkTubeFilter.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>

#include "render/overlay_actors.hpp"

namespace foci::scene_parts {

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

void set_text_style(vtkTextProperty* p, const std::string& content, double size_px, Rgb colour,
                    bool bold) {
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
}

vtkSmartPointer<vtkTextActor> text(const std::string& content, double size_px, Rgb colour,
                                   bool bold, double x, double y, int justification, int vertical) {
  auto actor = vtkSmartPointer<vtkTextActor>::New();
  actor->SetInput(content.c_str());
  auto* p = actor->GetTextProperty();
  set_text_style(p, content, size_px, colour, bold);
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

namespace {

vtkSmartPointer<vtkPolyData> tube_between(const Vec3& from, const Vec3& to, double radius) {
  vtkNew<vtkLineSource> line;
  line->SetPoint1(from.x, from.y, from.z);
  line->SetPoint2(to.x, to.y, to.z);
  vtkNew<vtkTubeFilter> tube;
  tube->SetInputConnection(line->GetOutputPort());
  tube->SetRadius(radius);
  tube->SetNumberOfSides(12);
  tube->CappingOn();
  tube->Update();
  return tube->GetOutput();
}

}  // namespace

vtkSmartPointer<vtkPolyData> edge_mesh(const SceneEdge& e) {
  const double dx = e.to.x - e.from.x, dy = e.to.y - e.from.y, dz = e.to.z - e.from.z;
  const double length = std::sqrt(dx * dx + dy * dy + dz * dz);
  const double head_length = kArrowLengthPerRadius * e.radius_mm;
  // An arrow needs room for its head outside the target node; a shorter edge stays a tube.
  if (!e.directed || length <= e.target_radius_mm + head_length * 1.5) {
    return tube_between(e.from, e.to, e.radius_mm);
  }
  vtkNew<vtkAppendPolyData> parts;
  const double ux = dx / length, uy = dy / length, uz = dz / length;
  const double tip = length - e.target_radius_mm, base = tip - head_length;
  vtkNew<vtkConeSource> cone;
  cone->SetDirection(ux, uy, uz);  // from the base to the tip
  const double middle = (tip + base) / 2;
  cone->SetCenter(e.from.x + ux * middle, e.from.y + uy * middle, e.from.z + uz * middle);
  cone->SetHeight(head_length);
  cone->SetRadius(kArrowWidthPerRadius * e.radius_mm);
  cone->SetResolution(24);
  cone->CappingOn();
  parts->AddInputConnection(cone->GetOutputPort());
  // The tube ends inside the cone's base, so no gap shows between them.
  const double tube_end = base + head_length * 0.1;
  const Vec3 end{e.from.x + ux * tube_end, e.from.y + uy * tube_end, e.from.z + uz * tube_end};
  parts->AddInputData(tube_between(e.from, end, e.radius_mm));
  // Normals for both parts alike (the cone comes without any), so the cone is lit like the
  // tube.
  vtkNew<vtkPolyDataNormals> normals;
  normals->SetInputConnection(parts->GetOutputPort());
  normals->SetFeatureAngle(60);
  normals->Update();
  return normals->GetOutput();
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
    actors.edges.emplace_back((e.from.x + e.to.x) / 2, mesh_actor(edge_mesh(e), e.colour, 1));
  }
  for (const auto& r : panel.regions) {
    auto mesh = region_surface(r, cache);
    vtkSmartPointer<vtkActor> actor;
    if (mesh->GetNumberOfPoints() > 0) {
      actor = mesh_actor(mesh, r.colour, r.coarse ? kCoarseTintOpacity : 1.0);
      // A tint must not shine over the specific regions it holds, and only its surfaces
      // facing the viewer tint: the inner faces of a cortical ribbon would stack into red.
      if (r.coarse) {
        actor->GetProperty()->SetSpecular(0);
        actor->GetProperty()->BackfaceCullingOn();
      }
    }
    actors.regions.emplace_back(r.side, actor);
    actors.coarse.push_back(r.coarse);
  }
  actors.coarse_style = panel.coarse_style;
  actors.blobs = blob_actors(panel.overlays);
  return actors;
}

bool on_view_side(std::optional<Hemisphere> view, double x) {
  if (!view) return true;
  return *view == Hemisphere::left ? x <= 0 : x >= 0;
}

SurfaceLook brain_look(BrainStyle style) {
  return style == BrainStyle::glass ? SurfaceLook{{0.62, 0.64, 0.68}, 0.16}
                                    : SurfaceLook{{0.9, 0.88, 0.85}, 1.0};
}

void fit_camera(vtkCamera* camera, View view, const double bounds[6], double aspect) {
  const double centre[3] = {(bounds[0] + bounds[1]) / 2, (bounds[2] + bounds[3]) / 2,
                            (bounds[4] + bounds[5]) / 2};
  const double extent[3] = {bounds[1] - bounds[0], bounds[3] - bounds[2], bounds[5] - bounds[4]};
  double direction[3] = {0, 0, 1}, up[3] = {0, 1, 0};
  view_geometry(view, direction, up);
  camera->SetFocalPoint(centre);
  camera->SetPosition(centre[0] + 500 * direction[0], centre[1] + 500 * direction[1],
                      centre[2] + 500 * direction[2]);
  camera->SetViewUp(up);
  camera->ParallelProjectionOn();
  // Fit the brain's projected extent into the viewport with a margin.
  double across = 0, along = 0;  // image-horizontal and image-vertical extents, mm
  for (int a = 0; a < 3; ++a) {
    if (std::abs(up[a]) > 0.5) {
      along = extent[a];
    } else if (std::abs(direction[a]) < 0.5) {
      across = extent[a];
    }
  }
  camera->SetParallelScale(0.54 * std::max(along, across / aspect));
  camera->SetClippingRange(1, 2000);
}

std::optional<Hemisphere> regions_side(View view) {
  if (view == View::left) return Hemisphere::left;
  if (view == View::right) return Hemisphere::right;
  return view_side(view);
}

std::vector<vtkActor*> actors_in_view(const PanelActors& actors, View view, ActorLayer layer) {
  const auto side = view_side(view);
  std::vector<vtkActor*> shown;
  if (layer != ActorLayer::coarse) {
    for (const auto& blob : actors.blobs) shown.push_back(blob);
    for (const auto& [where, actor] : actors.nodes) {
      if (on_view_side(side, where.x)) shown.push_back(actor);
    }
    for (const auto& [mean_x, actor] : actors.edges) {
      if (on_view_side(side, mean_x)) shown.push_back(actor);
    }
  }
  const auto near = regions_side(view);
  for (std::size_t n = 0; n < actors.regions.size(); ++n) {
    const auto& [region_side, actor] = actors.regions[n];
    const bool coarse = n < actors.coarse.size() && actors.coarse[n];
    if (!actor || (layer == ActorLayer::findings && coarse) ||
        (layer == ActorLayer::coarse && !coarse)) {
      continue;
    }
    // A region of both sides (a midline label) shows in every view.
    const bool one_side = region_side == Hemisphere::left || region_side == Hemisphere::right;
    if (!near || !one_side || *region_side == *near) shown.push_back(actor);
  }
  return shown;
}

vtkSmartPointer<vtkActor> outline_actor(vtkPolyData* mesh, View view, Rgb colour,
                                        double width_px) {
  double direction[3], up[3];
  view_geometry(view, direction, up);
  // Parallel projection: a triangle faces the camera when its normal points along the view
  // direction (towards the camera), whatever its position.
  const vtkIdType cells = mesh->GetNumberOfCells();
  std::vector<signed char> facing(static_cast<std::size_t>(cells), 0);
  std::map<std::pair<vtkIdType, vtkIdType>, std::pair<int, int>> edges;  // front, back counts
  vtkNew<vtkIdList> ids;
  for (vtkIdType c = 0; c < cells; ++c) {
    mesh->GetCellPoints(c, ids);
    if (ids->GetNumberOfIds() != 3) continue;
    double p[3][3];
    for (int k = 0; k < 3; ++k) mesh->GetPoint(ids->GetId(k), p[k]);
    const double a[3] = {p[1][0] - p[0][0], p[1][1] - p[0][1], p[1][2] - p[0][2]};
    const double b[3] = {p[2][0] - p[0][0], p[2][1] - p[0][1], p[2][2] - p[0][2]};
    const double normal[3] = {a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2],
                              a[0] * b[1] - a[1] * b[0]};
    const bool front =
        normal[0] * direction[0] + normal[1] * direction[1] + normal[2] * direction[2] > 0;
    for (int k = 0; k < 3; ++k) {
      vtkIdType u = ids->GetId(k), v = ids->GetId((k + 1) % 3);
      if (u > v) std::swap(u, v);
      auto& count = edges[{u, v}];
      (front ? count.first : count.second)++;
    }
  }
  vtkNew<vtkCellArray> lines;
  for (const auto& [edge, count] : edges) {
    // Between a front and a back face, or on an open border seen from the front.
    if ((count.first > 0 && count.second > 0) || (count.first == 1 && count.second == 0)) {
      const vtkIdType line[2] = {edge.first, edge.second};
      lines->InsertNextCell(2, line);
    }
  }
  vtkNew<vtkPolyData> outline;
  outline->SetPoints(mesh->GetPoints());
  outline->SetLines(lines);
  auto actor = mesh_actor(outline, colour, 1.0);
  actor->GetProperty()->SetLineWidth(static_cast<float>(width_px));
  actor->GetProperty()->LightingOff();
  return actor;
}

}  // namespace foci::scene_parts
