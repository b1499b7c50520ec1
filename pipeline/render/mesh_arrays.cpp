#include "render/mesh_arrays.hpp"

#include <vtkCellArray.h>
#include <vtkIdList.h>
#include <vtkNew.h>
#include <vtkPoints.h>
#include <vtkPolyData.h>
#include <vtkTriangleFilter.h>

#include "render/meshes.hpp"
#include "render/overlay_actors.hpp"

namespace foci {

namespace {

MeshArrays arrays_of(vtkPolyData* mesh) {
  MeshArrays out;
  if (!mesh || mesh->GetNumberOfPoints() == 0) return out;
  // Contours are triangles already; the filter only guards against strips or polygons.
  vtkNew<vtkTriangleFilter> triangles;
  triangles->SetInputData(mesh);
  triangles->Update();
  vtkPolyData* t = triangles->GetOutput();
  out.points.reserve(static_cast<std::size_t>(t->GetNumberOfPoints()) * 3);
  for (vtkIdType n = 0; n < t->GetNumberOfPoints(); ++n) {
    double p[3];
    t->GetPoint(n, p);
    for (const double c : p) out.points.push_back(static_cast<float>(c));
  }
  vtkCellArray* polys = t->GetPolys();
  out.triangles.reserve(static_cast<std::size_t>(polys->GetNumberOfCells()) * 3);
  vtkNew<vtkIdList> ids;
  for (polys->InitTraversal(); polys->GetNextCell(ids);) {
    if (ids->GetNumberOfIds() != 3) continue;
    for (vtkIdType k = 0; k < 3; ++k) {
      out.triangles.push_back(static_cast<std::uint32_t>(ids->GetId(k)));
    }
  }
  return out;
}

}  // namespace

MeshArrays brain_mesh_arrays(const RenderSettings& settings, std::optional<Hemisphere> side) {
  const MeshCache cache(settings.cache_directory, settings.log);
  return arrays_of(brain_surface(settings.brain, settings.brain_key, side, cache));
}

MeshArrays region_mesh_arrays(const SceneRegion& region, const RenderSettings& settings) {
  const MeshCache cache(settings.cache_directory, settings.log);
  return arrays_of(region_surface(region, cache));
}

std::vector<float> brain_overlay_values(const RenderSettings& settings,
                                        std::optional<Hemisphere> side,
                                        const SceneOverlay& overlay) {
  const MeshCache cache(settings.cache_directory, settings.log);
  return scene_parts::overlay_vertex_values(
      brain_surface(settings.brain, settings.brain_key, side, cache), overlay);
}

std::vector<OverlayBlobArrays> overlay_blob_arrays(const SceneOverlay& overlay) {
  std::vector<OverlayBlobArrays> out;
  for (const auto& surface : scene_parts::blob_surfaces(overlay)) {
    out.push_back({arrays_of(surface.mesh), surface.colour, surface.sign});
  }
  return out;
}

}  // namespace foci
