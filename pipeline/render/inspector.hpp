#pragma once
// The interactive window of `foci inspect`: the scene `foci render` draws, in one view, with
// hover, click and keys. Every click (and the --focus selection) prints one JSON line.
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "render/figure_inputs.hpp"
#include "render/scene.hpp"

namespace foci {

struct InspectRequest {
  const FigureInputs* inputs = nullptr;
  std::vector<PanelRequest> measure_panels;  ///< index 0: everything; then one per measure
  SceneOptions scene;
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
