#pragma once
// Surface meshes of the brain and of atlas regions, in MNI mm, built once and kept in an
// on-disk cache keyed by the source volume's content. Internal to the render stage.
#include <vtkAlgorithmOutput.h>
#include <vtkPolyData.h>
#include <vtkSmartPointer.h>

#include <map>
#include <optional>
#include <ostream>
#include <string>

#include "render/render.hpp"
#include "render/scene.hpp"

namespace foci {

class MeshCache {
 public:
  MeshCache(std::string directory, std::ostream* log);
  /// The mesh stored under `key`, or null when there is none or it is damaged (cut short,
  /// zeroed, or not what was stored: its length and content hash are checked before VTK reads
  /// it). A damaged file is removed without a word, and the mesh rebuilt.
  vtkSmartPointer<vtkPolyData> load(const std::string& key) const;
  /// Stores a mesh through a TemporaryFile: a cache file is whole or absent. A failure (a full
  /// disk, a folder that cannot be written) is never fatal: it is reported once per process
  /// on the log, and meshes are no longer stored in this process.
  void store(const std::string& key, vtkPolyData* mesh) const;

 private:
  std::string directory_;
  std::ostream* log_;
  /// Meshes this cache has read or stored, handed out again: the panels of one figure share
  /// a region's mesh (and the renderer its buffers) instead of each holding a copy. Callers
  /// colour copies, never these.
  mutable std::map<std::string, vtkSmartPointer<vtkPolyData>> held_;
};

/// The outer surface of the brain from a T1 template of a skull-stripped brain: smoothed,
/// the largest connected piece only (no stray fragments), decimated for speed. With a side,
/// only that hemisphere, closed along the midline, for medial views. `brain` is asked for its
/// voxels only when the cache lacks the mesh.
vtkSmartPointer<vtkPolyData> brain_surface(const VolumeSource& brain, const std::string& key,
                                           std::optional<Hemisphere> side, const MeshCache& cache);
vtkSmartPointer<vtkPolyData> brain_surface(const LabelVolume& brain, const std::string& key,
                                           std::optional<Hemisphere> side, const MeshCache& cache);

/// A mesh in voxel index space (`voxel_mesh`, an algorithm's output) placed in MNI mm by
/// `voxel_to_world`, with point normals turned outwards: a left-handed voxel grid (LAS)
/// reverses its triangles, which would otherwise face inwards and stay unlit.
vtkSmartPointer<vtkPolyData> place_in_world(vtkAlgorithmOutput* voxel_mesh,
                                            const Affine& voxel_to_world);

/// The smoothed surface of a region's voxels.
vtkSmartPointer<vtkPolyData> region_surface(const SceneRegion& region, const MeshCache& cache);

}  // namespace foci
