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

}  // namespace
}  // namespace foci
