#pragma once
// Drawing figures with VTK. The interface is plain: a Figure (scene.hpp), the template brain
// volume, and where to write. VTK stays inside render/*.cpp.
#include <memory>
#include <ostream>
#include <string>

#include "atlas/label_volume.hpp"
#include "render/scene.hpp"

namespace foci {

struct RenderSettings {
  const LabelVolume* brain = nullptr;  ///< the Colin27 brain (ch2bet), intensities
  std::string brain_key;               ///< content hash of the brain file, for the cache
  std::string cache_directory;         ///< where meshes are kept between runs
  std::ostream* log = nullptr;         ///< warnings (e.g. the cache cannot be written); may be null
  bool verbose = false;                ///< also say how long building and drawing took
};

class BrainMeshAhead;

/// Renders the figure and writes it to `path` in the format its extension names
/// (figure_files.hpp: PNG or TIFF with the DPI recorded, PDF or SVG with the text as text),
/// through a TemporaryFile; over an existing file only with `overwrite`. Throws Error (usage)
/// for an extension that names no format, Error (output) when the file cannot be written,
/// Error (internal) when VTK reports an error.
/// With `ahead`, the whole brain's mesh is taken from it (waiting for it) instead of being
/// built here.
void render_figure(const Figure& figure, const RenderSettings& settings, const std::string& path,
                   bool overwrite = true, BrainMeshAhead* ahead = nullptr);

/// The whole brain's mesh, made on a worker thread from the moment this is made when the mesh
/// cache lacks it, so that what the caller does until render_figure (reading overlays,
/// building the figure, starting the display) overlaps it: a cold figure's largest cost.
/// Until then the caller must not use VTK (the worker's filters share VTK's output window).
/// The mesh, and so the figure, is the same whatever the timing; it is cached by render_figure.
class BrainMeshAhead {
 public:
  explicit BrainMeshAhead(const RenderSettings& settings);
  ~BrainMeshAhead();  ///< waits for the worker
  BrainMeshAhead(const BrainMeshAhead&) = delete;
  BrainMeshAhead& operator=(const BrainMeshAhead&) = delete;

 private:
  friend void render_figure(const Figure&, const RenderSettings&, const std::string&, bool,
                            BrainMeshAhead*);
  struct Work;
  std::unique_ptr<Work> work_;
};

/// Builds and caches every mesh the figure needs (brain, hemispheres, regions) without
/// opening a window, so worker processes forked afterwards find them all in the cache.
void prepare_meshes(const Figure& figure, const RenderSettings& settings);

/// "VTK 9.1.0": what draws the figures, for records of how they were made.
std::string renderer_version();

}  // namespace foci
