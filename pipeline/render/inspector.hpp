#pragma once
// The interactive window of `foci inspect`: the scene `foci render` draws, in one view, with
// hover, click and keys. Every click (and the --focus selection) prints one JSON line. The
// window draws scenes and asks an InspectContent what they stand for; it reads no file.
#include <nlohmann/json_fwd.hpp>

#include <cstdint>
#include <optional>
#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "atlas/label_volume.hpp"
#include "render/scene.hpp"

namespace foci {

/// What the window shows and what its parts mean: the app stage answers from the mapped
/// findings, the atlases and the lexicon.
class InspectContent {
 public:
  virtual ~InspectContent() = default;
  /// Scenes the `m` key steps through: 0 is everything, then one per measure.
  virtual std::size_t scene_count() const = 0;
  virtual std::string scene_title(std::size_t n) const = 0;
  virtual Panel scene(std::size_t n, bool labels) const = 0;
  /// "Hippocampus 海马; ..." for lexicon region ids.
  virtual std::string region_names(const std::vector<std::string>& region_ids) const = 0;
  /// "Hippocampus_L, ..." for labels of an atlas.
  virtual std::string label_names(const std::string& atlas,
                                  const std::set<std::int32_t>& labels) const = 0;
  /// Each label with its name, side, centroid (mm) and volume (mm³).
  virtual nlohmann::json label_details(const std::string& atlas,
                                       const std::set<std::int32_t>& labels) const = 0;
  /// The findings behind a drawn thing (indices of the scene's `sources`), as JSON objects
  /// with their study citation and file, and as lines for the info panel.
  virtual nlohmann::json findings_json(const std::vector<std::size_t>& sources) const = 0;
  virtual std::string findings_text(const std::vector<std::size_t>& sources) const = 0;
  /// A region name as a reader types it in the window's search ("left hippocampus",
  /// "海马"): its lexicon id and the side the name states; nullopt when it names none.
  struct FoundRegion {
    std::string id;
    std::optional<Hemisphere> side;
  };
  virtual std::optional<FoundRegion> find_region(const std::string& name) const = 0;
};

struct InspectRequest {
  const InspectContent* content = nullptr;
  const LabelVolume* brain = nullptr;  ///< the Colin27 brain (ch2bet)
  std::string brain_key;               ///< its mesh cache key
  BrainStyle style = BrainStyle::glass;
  int width = 1200, height = 900;
  std::optional<std::string> focus_region;  ///< lexicon region id to select at start
  std::optional<Hemisphere> focus_side;
  std::string cache_directory;
  /// A benchmark instead of a session: this many frames, turning the camera a full circle,
  /// then one JSON line with the mean frame time, and exit.
  int benchmark_frames = 0;
  std::ostream* out = nullptr;  ///< JSON lines
  std::ostream* log = nullptr;
};

/// Opens the window and runs until `q` or the window closes. Throws Error (usage) when there
/// is no display.
void run_inspector(const InspectRequest& request);

}  // namespace foci
