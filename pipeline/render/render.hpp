#pragma once
// Drawing figures with VTK. The interface is plain: a Figure (scene.hpp), the template brain
// volume, and where to write. VTK stays inside render/*.cpp.
#include <ostream>
#include <string>

#include "atlas/label_volume.hpp"
#include "render/scene.hpp"

namespace foci {

struct RenderSettings {
  VolumeSource brain;                  ///< the Colin27 brain (ch2bet), intensities
  std::string brain_key;               ///< content hash of the brain file, for the cache
  std::string cache_directory;         ///< where meshes are kept between runs
  std::ostream* log = nullptr;         ///< warnings (e.g. the cache cannot be written); may be null
  bool verbose = false;                ///< also say how long building and drawing took
  /// The process draws only this figure (`foci render`): the window's buffers are faulted in
  /// while the scene is built (render/frame_memory.hpp), which sets how the C library serves
  /// large blocks for the rest of the process, and the next view is sorted into tiles while
  /// the one before it is drawn (a batch's worker waits for each view, which holds less).
  bool one_figure_process = false;
};

/// Renders the figure and writes it to `path` in the format its extension names
/// (figure_files.hpp: PNG or TIFF with the DPI recorded, PDF or SVG with the text as text),
/// through a TemporaryFile; over an existing file only with `overwrite`. Throws Error (usage)
/// for an extension that names no format, Error (output) when the file cannot be written,
/// Error (internal) when VTK reports an error.
void render_figure(const Figure& figure, const RenderSettings& settings, const std::string& path,
                   bool overwrite = true);

/// Builds and caches every mesh the figure needs (brain, hemispheres, regions) without
/// opening a window, so worker processes forked afterwards find them all in the cache.
void prepare_meshes(const Figure& figure, const RenderSettings& settings);

/// "VTK 9.1.0": what draws the figures, for records of how they were made.
std::string renderer_version();

}  // namespace foci
