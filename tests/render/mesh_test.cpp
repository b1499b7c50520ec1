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

/// Edges used by one triangle only (holes) or by more than two (non-manifold).
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

TEST_F(BrainMesh, TheWholeBrainAndEachHemisphereAreOneClosedPiece) {
  for (const auto side : {std::optional<Hemisphere>(), std::optional(Hemisphere::left),
                          std::optional(Hemisphere::right)}) {
    const auto mesh = surface(side);
    const std::string what = side ? to_string(*side) : "whole brain";
    ASSERT_GT(mesh->GetNumberOfPoints(), 1000) << what;
    EXPECT_EQ(pieces(mesh), 1) << what;
    EXPECT_EQ(open_or_non_manifold_edges(mesh), 0) << what << ": a hole or a non-manifold edge";
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
    // medial wall's sulci and its curve towards the callosum spread them over several.
    EXPECT_GT(high - low, 3.0) << to_string(side) << ": medial points from " << low << " to "
                               << high << " mm off the midline";
    EXPECT_GT(low, 0.5) << to_string(side) << ": the surface stays on its own side";
  }
}

}  // namespace
}  // namespace foci
