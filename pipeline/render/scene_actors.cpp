// The pieces of a VTK scene that figures and the inspector window share: view geometry and
// camera fit, the brain's look, text, mesh actors, and which actors a view shows.
#include "render/scene_actors.hpp"

#include <vtkAppendPolyData.h>
#include <vtkCamera.h>
#include <vtkCellArray.h>
#include <vtkConeSource.h>
#include <vtkFlyingEdges2D.h>
#include <vtkIdList.h>
#include <vtkImageData.h>
#include <vtkImageGaussianSmooth.h>
#include <vtkLineSource.h>
#include <vtkNew.h>
#include <vtkPolyDataMapper.h>
#include <vtkPolyDataNormals.h>
#include <vtkProperty.h>
#include <vtkSphereSource.h>
#include <vtkStripper.h>
#include <vtkTextProperty.h>
#include <vtkTubeFilter.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <filesystem>

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
    actors.edge_ends_x.emplace_back(e.from.x, e.to.x);
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
  const auto near = regions_side(view);
  std::vector<vtkActor*> shown;
  if (layer != ActorLayer::coarse) {
    for (const auto& blob : actors.blobs) shown.push_back(blob);
    for (const auto& [where, actor] : actors.nodes) {
      if (on_view_side(near, where.x)) shown.push_back(actor);
    }
    for (std::size_t n = 0; n < actors.edges.size(); ++n) {
      const auto& [mean_x, actor] = actors.edges[n];
      // Medial views keep an edge by its middle; a lateral view only one whose ends are both
      // near, so no tube runs off towards a node the view leaves out.
      const bool in_view =
          side ? on_view_side(side, mean_x)
               : on_view_side(near, actors.edge_ends_x[n].first) &&
                     on_view_side(near, actors.edge_ends_x[n].second);
      if (in_view) shown.push_back(actor);
    }
  }
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

vtkSmartPointer<vtkActor> outline_actor(vtkPolyData* mesh, View view, Rgb colour, double width_px,
                                        const double bounds[6]) {
  double direction[3], up[3];
  view_geometry(view, direction, up);
  // The image plane's axes: up, and across = direction x up (parallel projection, so a
  // point's place in the picture is its position along these two).
  const double across[3] = {direction[1] * up[2] - direction[2] * up[1],
                            direction[2] * up[0] - direction[0] * up[2],
                            direction[0] * up[1] - direction[1] * up[0]};
  const auto dot = [](const double a[3], const double b[3]) {
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
  };
  const vtkIdType points = mesh->GetNumberOfPoints();
  if (points == 0) return mesh_actor(vtkNew<vtkPolyData>(), colour, 1.0);
  std::vector<std::array<double, 2>> flat(static_cast<std::size_t>(points));
  double lo[2] = {1e300, 1e300}, hi[2] = {-1e300, -1e300};
  for (vtkIdType i = 0; i < points; ++i) {
    double p[3];
    mesh->GetPoint(i, p);
    flat[i] = {dot(p, across), dot(p, up)};
    for (int a = 0; a < 2; ++a) lo[a] = std::min(lo[a], flat[i][a]), hi[a] = std::max(hi[a], flat[i][a]);
  }
  // The region's shadow on the image plane, on a grid of kOutlineGridMm: every triangle
  // filled, whichever way it faces, so folds and their creases vanish into one area.
  const double step = kOutlineGridMm, pad = 4 * kOutlineGridMm + 3 * kOutlineSmoothingMm;
  const int nx = static_cast<int>(std::ceil((hi[0] - lo[0] + 2 * pad) / step)) + 1;
  const int ny = static_cast<int>(std::ceil((hi[1] - lo[1] + 2 * pad) / step)) + 1;
  const double origin[2] = {lo[0] - pad, lo[1] - pad};
  vtkNew<vtkImageData> shadow;
  shadow->SetDimensions(nx, ny, 1);
  shadow->SetOrigin(origin[0], origin[1], 0);
  shadow->SetSpacing(step, step, 1);
  shadow->AllocateScalars(VTK_FLOAT, 1);
  auto* cells = static_cast<float*>(shadow->GetScalarPointer());
  std::fill(cells, cells + static_cast<std::size_t>(nx) * ny, 0.0f);
  vtkNew<vtkIdList> ids;
  for (vtkIdType c = 0; c < mesh->GetNumberOfCells(); ++c) {
    mesh->GetCellPoints(c, ids);
    if (ids->GetNumberOfIds() != 3) continue;
    const auto& a = flat[ids->GetId(0)];
    const auto& b = flat[ids->GetId(1)];
    const auto& t = flat[ids->GetId(2)];
    const double area = (b[0] - a[0]) * (t[1] - a[1]) - (b[1] - a[1]) * (t[0] - a[0]);
    if (std::abs(area) < 1e-12) continue;
    const int x0 = static_cast<int>(std::floor((std::min({a[0], b[0], t[0]}) - origin[0]) / step));
    const int x1 = static_cast<int>(std::ceil((std::max({a[0], b[0], t[0]}) - origin[0]) / step));
    const int y0 = static_cast<int>(std::floor((std::min({a[1], b[1], t[1]}) - origin[1]) / step));
    const int y1 = static_cast<int>(std::ceil((std::max({a[1], b[1], t[1]}) - origin[1]) / step));
    for (int y = std::max(0, y0); y <= std::min(ny - 1, y1); ++y) {
      for (int x = std::max(0, x0); x <= std::min(nx - 1, x1); ++x) {
        const double px = origin[0] + x * step, py = origin[1] + y * step;
        // Barycentric weights, each with the triangle's orientation: all >= 0 inside.
        const double w0 = ((b[0] - px) * (t[1] - py) - (b[1] - py) * (t[0] - px)) / area;
        const double w1 = ((t[0] - px) * (a[1] - py) - (t[1] - py) * (a[0] - px)) / area;
        const double w2 = 1 - w0 - w1;
        if (w0 >= -1e-9 && w1 >= -1e-9 && w2 >= -1e-9) cells[static_cast<std::size_t>(y) * nx + x] = 1;
      }
    }
  }
  // Smoothed before it is traced, so the line is round where the voxels' steps were and
  // narrow gaps between gyri close.
  vtkNew<vtkImageGaussianSmooth> smooth;
  smooth->SetInputData(shadow);
  smooth->SetDimensionality(2);
  smooth->SetStandardDeviations(kOutlineSmoothingMm / step, kOutlineSmoothingMm / step, 0);
  smooth->SetRadiusFactors(3, 3, 0);
  vtkNew<vtkFlyingEdges2D> trace;
  trace->SetInputConnection(smooth->GetOutputPort());
  trace->SetValue(0, 0.5);
  vtkNew<vtkStripper> lines;
  lines->SetInputConnection(trace->GetOutputPort());
  lines->Update();
  // Back into the world, in front of the whole brain: drawn over the glass, not through it.
  double front = -1e300;
  for (int corner = 0; corner < 8; ++corner) {
    const double p[3] = {bounds[corner & 1], bounds[2 + ((corner >> 1) & 1)],
                         bounds[4 + ((corner >> 2) & 1)]};
    front = std::max(front, dot(p, direction));
  }
  front += 2;
  vtkPolyData* traced = lines->GetOutput();
  vtkNew<vtkPoints> placed;
  placed->SetNumberOfPoints(traced->GetNumberOfPoints());
  for (vtkIdType i = 0; i < traced->GetNumberOfPoints(); ++i) {
    double q[3];
    traced->GetPoint(i, q);
    placed->SetPoint(i, q[0] * across[0] + q[1] * up[0] + front * direction[0],
                     q[0] * across[1] + q[1] * up[1] + front * direction[1],
                     q[0] * across[2] + q[1] * up[2] + front * direction[2]);
  }
  vtkNew<vtkPolyData> outline;
  outline->SetPoints(placed);
  outline->SetLines(traced->GetLines());
  auto actor = mesh_actor(outline, colour, 1.0);
  actor->GetProperty()->SetLineWidth(static_cast<float>(width_px));
  actor->GetProperty()->LightingOff();
  return actor;
}

}  // namespace foci::scene_parts
