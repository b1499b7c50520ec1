// The brain's decimation, checked on shapes whose answer is known: a sphere stays a closed,
// outward-facing sphere of the same radius with the asked-for share of its triangles.
#include <gtest/gtest.h>
#include <vtkCellArray.h>
#include <vtkFeatureEdges.h>
#include <vtkIdList.h>
#include <vtkNew.h>
#include <vtkPoints.h>
#include <vtkPolyDataConnectivityFilter.h>
#include <vtkSphereSource.h>

#include <cmath>

#include "render/mesh_decimation.hpp"

namespace foci {
namespace {

/// A sphere of radius 50 mm (a brain's size; the decimation's error bounds are in mm²) about
/// the origin, about 79 k triangles.
vtkSmartPointer<vtkPolyData> fine_sphere() {
  vtkNew<vtkSphereSource> sphere;
  sphere->SetRadius(50);
  sphere->SetThetaResolution(200);
  sphere->SetPhiResolution(200);
  sphere->Update();
  vtkSmartPointer<vtkPolyData> mesh = sphere->GetOutput();
  return mesh;
}

vtkIdType open_or_non_manifold_edges(vtkPolyData* mesh) {
  vtkNew<vtkFeatureEdges> edges;
  edges->SetInputData(mesh);
  edges->BoundaryEdgesOn();
  edges->NonManifoldEdgesOn();
  edges->FeatureEdgesOff();
  edges->ManifoldEdgesOff();
  edges->Update();
  return edges->GetOutput()->GetNumberOfCells();
}

TEST(MeshDecimation, ASphereKeepsItsShareOfTrianglesItsRadiusAndItsClosedOutwardSurface) {
  const auto sphere = fine_sphere();
  ASSERT_EQ(open_or_non_manifold_edges(sphere), 0);
  const auto mesh = decimate_by_quadric_rounds(sphere, 0.3);
  const double asked = 0.3 * static_cast<double>(sphere->GetNumberOfPolys());
  EXPECT_NEAR(static_cast<double>(mesh->GetNumberOfPolys()), asked, 2);

  vtkNew<vtkPolyDataConnectivityFilter> pieces;
  pieces->SetInputData(mesh);
  pieces->SetExtractionModeToAllRegions();
  pieces->Update();
  EXPECT_EQ(pieces->GetNumberOfExtractedRegions(), 1);
  EXPECT_EQ(open_or_non_manifold_edges(mesh), 0);

  for (vtkIdType n = 0; n < mesh->GetNumberOfPoints(); ++n) {
    double p[3];
    mesh->GetPoint(n, p);
    ASSERT_NEAR(std::sqrt(p[0] * p[0] + p[1] * p[1] + p[2] * p[2]), 50, 0.25) << "point " << n;
  }
  // No triangle turned over: each faces away from the centre, as the sphere's all do.
  vtkNew<vtkIdList> ids;
  for (vtkIdType c = 0; c < mesh->GetNumberOfCells(); ++c) {
    mesh->GetCellPoints(c, ids);
    double a[3], b[3], d[3];
    mesh->GetPoint(ids->GetId(0), a);
    mesh->GetPoint(ids->GetId(1), b);
    mesh->GetPoint(ids->GetId(2), d);
    const double u[3] = {b[0] - a[0], b[1] - a[1], b[2] - a[2]};
    const double v[3] = {d[0] - a[0], d[1] - a[1], d[2] - a[2]};
    const double normal[3] = {u[1] * v[2] - u[2] * v[1], u[2] * v[0] - u[0] * v[2],
                              u[0] * v[1] - u[1] * v[0]};
    ASSERT_GT(normal[0] * a[0] + normal[1] * a[1] + normal[2] * a[2], 0) << "triangle " << c;
  }
}

TEST(MeshDecimation, TheSameMeshGivesTheSamePointsAndTriangles) {
  const auto sphere = fine_sphere();
  const auto first = decimate_by_quadric_rounds(sphere, 0.45);
  const auto second = decimate_by_quadric_rounds(sphere, 0.45);
  ASSERT_EQ(first->GetNumberOfPoints(), second->GetNumberOfPoints());
  ASSERT_EQ(first->GetNumberOfPolys(), second->GetNumberOfPolys());
  for (vtkIdType n = 0; n < first->GetNumberOfPoints(); ++n) {
    double a[3], b[3];
    first->GetPoint(n, a);
    second->GetPoint(n, b);
    ASSERT_TRUE(a[0] == b[0] && a[1] == b[1] && a[2] == b[2]) << "point " << n;
  }
  vtkNew<vtkIdList> a, b;
  for (vtkIdType c = 0; c < first->GetNumberOfCells(); ++c) {
    first->GetCellPoints(c, a);
    second->GetCellPoints(c, b);
    for (vtkIdType k = 0; k < 3; ++k) ASSERT_EQ(a->GetId(k), b->GetId(k)) << "triangle " << c;
  }
}

TEST(MeshDecimation, KeepingEverythingChangesNothing) {
  const auto sphere = fine_sphere();
  const auto mesh = decimate_by_quadric_rounds(sphere, 1.0);
  EXPECT_EQ(mesh->GetNumberOfPolys(), sphere->GetNumberOfPolys());
  EXPECT_EQ(mesh->GetNumberOfPoints(), sphere->GetNumberOfPoints());
}

}  // namespace
}  // namespace foci
