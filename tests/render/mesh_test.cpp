// The glass brain's surfaces, checked as meshes: one closed piece each, and hemispheres whose
// medial surface has the brain's shape instead of a flat cut at the midline.
#include <gtest/gtest.h>
#include <vtkFeatureEdges.h>
#include <vtkIdList.h>
#include <vtkNew.h>
#include <vtkPointData.h>
#include <vtkPolyDataConnectivityFilter.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <vector>

#include "atlas/label_volume.hpp"
#include "atlas/manifest.hpp"
#include "atlas/nifti_io.hpp"
#include "nifti_fixture.hpp"
#include "render/meshes.hpp"

namespace foci {
namespace {

namespace fs = std::filesystem;

class BrainMesh : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (!fs::exists("/usr/share/mricron/templates/ch2bet.nii.gz")) return;
    const auto manifest = find_atlas_manifest("ch2bet");
    brain_ = new LabelVolume(read_label_volume(locate_atlas_file(manifest, manifest.volume_file)));
  }
  static void TearDownTestSuite() { delete brain_; }
  void SetUp() override {
    if (!brain_) GTEST_SKIP() << "mricron-data is not installed";
  }
  vtkSmartPointer<vtkPolyData> surface(std::optional<Hemisphere> side) {
    const MeshCache cache(dir_.path("cache"), nullptr);
    return brain_surface(*brain_, "mesh-test", side, cache);
  }
  static LabelVolume* brain_;
  testing::TempDir dir_;
};
LabelVolume* BrainMesh::brain_ = nullptr;

int pieces(vtkPolyData* mesh) {
  vtkNew<vtkPolyDataConnectivityFilter> connectivity;
  connectivity->SetInputData(mesh);
  connectivity->SetExtractionModeToAllRegions();
  connectivity->Update();
  return connectivity->GetNumberOfExtractedRegions();
}

/// Edges used by one triangle only (the rims of holes), or by more than two (non-manifold).
vtkIdType edges_of_kind(vtkPolyData* mesh, bool boundary) {
  vtkNew<vtkFeatureEdges> edges;
  edges->SetInputData(mesh);
  edges->SetBoundaryEdges(boundary);
  edges->SetNonManifoldEdges(!boundary);
  edges->FeatureEdgesOff();
  edges->ManifoldEdgesOff();
  edges->Update();
  return edges->GetOutput()->GetNumberOfCells();
}

TEST_F(BrainMesh, TheWholeBrainAndEachHemisphereAreOneClosedPieceWithoutVisibleHoles) {
  for (const auto side : {std::optional<Hemisphere>(), std::optional(Hemisphere::left),
                          std::optional(Hemisphere::right)}) {
    const auto mesh = surface(side);
    const std::string what = side ? to_string(*side) : "whole brain";
    ASSERT_GT(mesh->GetNumberOfPoints(), 1000) << what;
    EXPECT_EQ(pieces(mesh), 1) << what;
    // Decimation can leave a stray edge or two on the rim of a triangle-sized gap or shared
    // by four triangles, too small to see at any figure size; a hole a pixel across, a seam
    // or a tear would be hundreds (a 1 cm hole alone is about 30).
    const vtkIdType edges = mesh->GetNumberOfCells() * 3 / 2;
    EXPECT_LE(edges_of_kind(mesh, true) + edges_of_kind(mesh, false), edges / 10000 + 1)
        << what << ": rims of holes or non-manifold edges";
  }
}

TEST_F(BrainMesh, TheMedialSurfaceOfAHemisphereIsNotAFlatWall) {
  for (const auto side : {Hemisphere::left, Hemisphere::right}) {
    const auto mesh = surface(side);
    auto* normals = mesh->GetPointData()->GetNormals();
    ASSERT_NE(normals, nullptr);
    // The points whose surface faces the midline, within 15 mm of it: the medial surface.
    const double towards_midline = side == Hemisphere::left ? 1 : -1;
    std::vector<double> depth;
    for (vtkIdType n = 0; n < mesh->GetNumberOfPoints(); ++n) {
      double p[3], normal[3];
      mesh->GetPoint(n, p);
      normals->GetTuple(n, normal);
      if (normal[0] * towards_midline > 0.7 && std::abs(p[0]) < 15) depth.push_back(std::abs(p[0]));
    }
    ASSERT_GT(depth.size(), 500u) << to_string(side) << ": a medial surface";
    std::sort(depth.begin(), depth.end());
    const double low = depth[depth.size() / 10], high = depth[depth.size() * 9 / 10];
    // A flat cut puts nine in ten of these points within a millimetre of one plane; the
    // medial wall's gyri and sulci spread them over more.
    EXPECT_GT(high - low, 1.5) << to_string(side) << ": medial points from " << low << " to "
                               << high << " mm off the midline";
    EXPECT_GT(low, 0.5) << to_string(side) << ": the surface stays on its own side";
  }
}

/// A 40^3 volume, 1 mm voxels centred on the origin, holding a 6-voxel cube of `label` with
/// its lowest corner at voxel `corner`, for each (label, corner).
LabelVolume boxes(const std::vector<std::pair<std::int32_t, std::array<int, 3>>>& cubes) {
  LabelVolume v;
  v.size = {40, 40, 40};
  v.labels.assign(v.voxel_count(), 0);
  set_voxel_to_world(v, Affine::from_rows({{{1, 0, 0, -20}, {0, 1, 0, -20}, {0, 0, 1, -20}}}));
  for (const auto& [label, c] : cubes)
    for (int k = c[2]; k < c[2] + 6; ++k)
      for (int j = c[1]; j < c[1] + 6; ++j)
        for (int i = c[0]; i < c[0] + 6; ++i) v.labels[v.offset(i, j, k)] = label;
  return v;
}

TEST(RegionMesh, LabelsNearAndFarApartAreFoundAlike) {
  // Labels within a range of a million are looked up in a table, labels further apart in the
  // set: both must find the same voxels. Cube 7 sits at x -15 to -10 mm, the other at +5 to +10.
  for (const std::int32_t other : {9, 50'000'000}) {
    const LabelVolume v = boxes({{7, {5, 5, 5}}, {other, {25, 25, 25}}});
    testing::TempDir dir;
    const MeshCache cache(dir.path("cache"), nullptr);
    SceneRegion both;
    both.volume = [&v]() -> const LabelVolume& { return v; };
    both.volume_key = "boxes-" + std::to_string(other);
    both.labels = {7, other};
    double bounds[6];
    region_surface(both, cache)->GetBounds(bounds);
    EXPECT_LT(bounds[0], -12) << other << ": cube 7 is drawn";
    EXPECT_GT(bounds[1], 7) << other << ": cube " << other << " is drawn";
    SceneRegion one = both;
    one.labels = {other};
    region_surface(one, cache)->GetBounds(bounds);
    EXPECT_GT(bounds[0], 0) << other << ": cube 7 is not drawn with label " << other << " alone";
    SceneRegion absent = both;
    absent.labels = {other + 1};
    EXPECT_EQ(region_surface(absent, cache)->GetNumberOfPoints(), 0) << other;
  }
}

}  // namespace
}  // namespace foci
