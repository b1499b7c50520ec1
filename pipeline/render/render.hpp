#pragma once
// Drawing figures with VTK. The interface is plain: a Figure (scene.hpp), the template brain
// volume, and where to write. VTK stays inside render/*.cpp.
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

/// Renders the figure and writes it as PNG (size and DPI recorded) to `png_path`, through a
/// temporary file. Throws Error (output) when the file cannot be written, Error (internal)
/// when VTK reports an error.
void render_figure(const Figure& figure, const RenderSettings& settings,
                   const std::string& png_path);

/// Builds and caches every mesh the figure needs (brain, hemispheres, regions) without
/// opening a window, so worker processes forked afterwards find them all in the cache.
void prepare_meshes(const Figure& figure, const RenderSettings& settings);

/// "VTK 9.1.0": what draws the figures, for records of how they were made.
std::string renderer_version();

/// Where meshes are cached: $FOCI_CACHE_DIR, else $XDG_CACHE_HOME/foci, else ~/.cache/foci.
std::string default_cache_directory();

/// A display for VTK: the current $DISPLAY, or a private Xvfb started here and stopped when
/// this object goes. Throws Error (usage) when there is neither.
class HeadlessDisplay {
 public:
  explicit HeadlessDisplay(std::ostream* log);
  ~HeadlessDisplay();
  HeadlessDisplay(const HeadlessDisplay&) = delete;
  HeadlessDisplay& operator=(const HeadlessDisplay&) = delete;
  bool started_xvfb() const { return pid_ > 0; }

 private:
  int pid_ = -1;
};

/// 64-bit FNV-1a hash of a file's bytes, as hex.
std::string file_content_key(const std::string& path);
/// The cache key of meshes built from a volume: its file's content and the voxel-to-world
/// map it was read with (a manifest correction changes the second, not the first).
std::string volume_cache_key(const std::string& path, const LabelVolume& volume);

}  // namespace foci
