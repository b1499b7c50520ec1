#pragma once
// Surface meshes of the brain and of atlas regions, in MNI mm, built once and kept in an
// on-disk cache keyed by the source volume's content. Internal to the render stage.
#include <vtkPolyData.h>
#include <vtkSmartPointer.h>

#include <optional>
#include <ostream>
#include <string>

#include "render/scene.hpp"

namespace foci {

class MeshCache {
 public:
  MeshCache(std::string directory, std::ostream* log);
  /// The mesh stored under `key`, or null.
  vtkSmartPointer<vtkPolyData> load(const std::string& key) const;
  /// Stores a mesh (written to a temporary file and renamed); a failure only costs a rebuild.
  void store(const std::string& key, vtkPolyData* mesh) const;

 private:
  std::string directory_;
  std::ostream* log_;
};

/// The outer surface of the brain from a T1 template of a skull-stripped brain: smoothed,
/// the largest connected piece only (no stray fragments), decimated for speed. With a side,
/// only that hemisphere, closed along the midline, for medial views.
vtkSmartPointer<vtkPolyData> brain_surface(const LabelVolume& brain, const std::string& key,
                                           std::optional<Hemisphere> side, const MeshCache& cache);

/// The smoothed surface of a region's voxels.
vtkSmartPointer<vtkPolyData> region_surface(const SceneRegion& region, const MeshCache& cache);

}  // namespace foci
