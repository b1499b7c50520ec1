#include "render/overlay_actors.hpp"

#include <vtkDataArray.h>
#include <vtkFloatArray.h>
#include <vtkFlyingEdges3D.h>
#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkPolyDataMapper.h>
#include <vtkProperty.h>
#include <vtkUnsignedCharArray.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "overlay/projection.hpp"
#include "render/meshes.hpp"
#include "render/scene_actors.hpp"

namespace foci::scene_parts {

namespace {

std::uint8_t to_byte(double unit) {
  return static_cast<std::uint8_t>(std::lround(std::clamp(unit, 0.0, 1.0) * 255));
}

Rgb to_rgb(const Rgba8& c) { return {c[0] / 255.0, c[1] / 255.0, c[2] / 255.0}; }

/// The surface where `magnitude(value)` crosses `level` (NaN counts as 0), in MNI mm with
/// outward normals; null when there is none.
template <typename Magnitude>
vtkSmartPointer<vtkPolyData> isosurface(const OverlayMap& map, Magnitude magnitude, double level) {
  vtkNew<vtkImageData> image;
  image->SetDimensions(map.size[0], map.size[1], map.size[2]);
  vtkNew<vtkFloatArray> scalars;
  scalars->SetNumberOfValues(static_cast<vtkIdType>(map.values.size()));
  for (std::size_t n = 0; n < map.values.size(); ++n) {
    const float v = map.values[n];
    scalars->SetValue(static_cast<vtkIdType>(n), std::isfinite(v) ? magnitude(v) : 0.0f);
  }
  image->GetPointData()->SetScalars(scalars);
  vtkNew<vtkFlyingEdges3D> contour;
  contour->SetInputData(image);
  contour->SetValue(0, level);
  contour->ComputeNormalsOff();
  contour->ComputeScalarsOff();
  contour->Update();
  if (contour->GetOutput()->GetNumberOfPoints() == 0) return nullptr;
  return place_in_world(contour->GetOutputPort(), map.voxel_to_mni);
}

vtkSmartPointer<vtkActor> blob_actor(vtkPolyData* mesh, Rgb colour) {
  auto actor = mesh_actor(mesh, colour, 1.0);
  actor->GetProperty()->SetSpecular(0.3);
  return actor;
}

}  // namespace

std::vector<float> overlay_vertex_values(vtkPolyData* brain, const SceneOverlay& overlay) {
  const vtkIdType count = brain->GetNumberOfPoints();
  vtkDataArray* normals = brain->GetPointData()->GetNormals();
  if (!normals || !overlay.map) {
    return std::vector<float>(static_cast<std::size_t>(count),
                              std::numeric_limits<float>::quiet_NaN());
  }
  std::vector<Vec3> points(static_cast<std::size_t>(count)), outward(points.size());
  for (vtkIdType v = 0; v < count; ++v) {
    double p[3], n[3];
    brain->GetPoint(v, p);
    normals->GetTuple(v, n);
    points[static_cast<std::size_t>(v)] = {p[0], p[1], p[2]};
    outward[static_cast<std::size_t>(v)] = {n[0], n[1], n[2]};
  }
  return project_to_surface(*overlay.map, points, outward, overlay.projection);
}

std::vector<Rgba8> overlay_vertex_colours(vtkPolyData* brain,
                                          const std::vector<SceneOverlay>& overlays, Rgba8 base,
                                          std::vector<bool>* coloured) {
  std::vector<Rgba8> colours(static_cast<std::size_t>(brain->GetNumberOfPoints()), base);
  if (!brain->GetPointData()->GetNormals()) return colours;
  for (std::size_t o = 0; o < overlays.size(); ++o) {
    const SceneOverlay& overlay = overlays[o];
    if (overlay.style != OverlayStyle::surface || !overlay.map) continue;
    const auto values = overlay_vertex_values(brain, overlay);
    for (std::size_t v = 0; v < values.size(); ++v) {
      const Rgba8 c = overlay.colours.colour_of(values[v]);
      if (c[3] == 0) continue;
      colours[v] = c;
      if (coloured) (*coloured)[o] = true;
    }
  }
  return colours;
}

bool paints_brain(const std::vector<SceneOverlay>& overlays) {
  return std::any_of(overlays.begin(), overlays.end(), [](const SceneOverlay& o) {
    return o.style == OverlayStyle::surface && o.map;
  });
}

vtkSmartPointer<vtkActor> brain_actor(vtkPolyData* brain, BrainStyle style,
                                      const std::vector<SceneOverlay>& overlays,
                                      std::vector<bool>* coloured) {
  const SurfaceLook look = brain_look(style);
  if (!paints_brain(overlays)) return mesh_actor(brain, look.colour, look.opacity);
  const Rgba8 base{to_byte(look.colour.r), to_byte(look.colour.g), to_byte(look.colour.b),
                   to_byte(look.opacity)};
  const auto colours = overlay_vertex_colours(brain, overlays, base, coloured);
  vtkNew<vtkUnsignedCharArray> scalars;
  scalars->SetName("overlay");
  scalars->SetNumberOfComponents(4);
  scalars->SetNumberOfTuples(static_cast<vtkIdType>(colours.size()));
  for (std::size_t v = 0; v < colours.size(); ++v) {
    for (int c = 0; c < 4; ++c) scalars->SetValue(static_cast<vtkIdType>(4 * v + c), colours[v][c]);
  }
  // A copy that shares the mesh's points and cells: the cached brain is drawn by other views
  // and panels without these colours.
  vtkNew<vtkPolyData> painted;
  painted->ShallowCopy(brain);
  painted->GetPointData()->SetScalars(scalars);
  auto actor = mesh_actor(painted, look.colour, 1.0);
  auto* mapper = vtkPolyDataMapper::SafeDownCast(actor->GetMapper());
  mapper->ScalarVisibilityOn();
  mapper->SetScalarModeToUsePointData();
  mapper->SetColorModeToDirectScalars();
  // Through a glass brain the far side's colours would show, mirrored, in every view (a left
  // cluster seen in the right view); only surfaces that face the camera are drawn.
  if (style == BrainStyle::glass) actor->GetProperty()->BackfaceCullingOn();
  return actor;
}

std::string unreached_overlays_note(const std::vector<SceneOverlay>& overlays,
                                    const std::vector<bool>& coloured) {
  std::string note;
  for (std::size_t o = 0; o < overlays.size() && o < coloured.size(); ++o) {
    const SceneOverlay& overlay = overlays[o];
    if (overlay.style != OverlayStyle::surface || coloured[o] ||
        overlay.colours.nothing_above_threshold) {
      continue;
    }
    if (!note.empty()) note += "; ";
    note += overlay.colours.title +
            ": no value within 6 mm below the surface (deep or white matter); blobs show it";
  }
  return note;
}

std::vector<BlobSurface> blob_surfaces(const SceneOverlay& overlay) {
  std::vector<BlobSurface> surfaces;
  if (overlay.style != OverlayStyle::blobs || !overlay.map) return surfaces;
  const OverlayMap& map = *overlay.map;
  const OverlayColours& colours = overlay.colours;
  if (map.kind == OverlayKind::labels) {
    for (const auto& label : colours.labels) {
      const float value = static_cast<float>(label.value);
      auto mesh = isosurface(
          map, [value](float v) { return v == value ? 1.0f : 0.0f; }, 0.5);
      if (mesh) surfaces.push_back({mesh, label.colour, 0});
    }
    return surfaces;
  }
  // The smallest magnitude drawn: the threshold, else half the smallest non-zero value.
  double level = colours.threshold;
  if (level <= 0) {
    double smallest = std::numeric_limits<double>::infinity();
    for (float v : map.values) {
      if (std::isfinite(v) && v != 0) smallest = std::min(smallest, std::abs(double(v)));
    }
    level = std::isfinite(smallest) ? smallest / 2 : 0.5;
  }
  // Each sign in the colour of the middle of its ramp.
  const double middle =
      std::max(level, colours.threshold + 0.5 * (colours.vmax - colours.threshold));
  for (const int sign : {1, -1}) {
    const Rgba8 c = colours.colour_of(sign * middle);
    if (c[3] == 0) continue;
    const float s = static_cast<float>(sign);
    auto mesh = isosurface(
        map, [s](float v) { return std::max(0.0f, s * v); }, level);
    if (mesh) surfaces.push_back({mesh, c, sign});
  }
  return surfaces;
}

std::vector<vtkSmartPointer<vtkActor>> blob_actors(const std::vector<SceneOverlay>& overlays) {
  std::vector<vtkSmartPointer<vtkActor>> actors;
  for (const auto& overlay : overlays) {
    for (const auto& surface : blob_surfaces(overlay)) {
      actors.push_back(blob_actor(surface.mesh, to_rgb(surface.colour)));
    }
  }
  return actors;
}

}  // namespace foci::scene_parts
