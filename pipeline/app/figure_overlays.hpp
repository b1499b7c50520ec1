#pragma once
// The volumetric maps of a figure: read and thresholded once, then handed to every panel
// with their colours, colour bars, label legends and notes. Shared by `foci render` and
// `foci batch`.
#include <string>
#include <vector>

#include "app/figure_inputs.hpp"
#include "app/figure_options.hpp"
#include "overlay/overlay_map.hpp"
#include "render/scene.hpp"

namespace foci {

/// Reads each map of `options.maps` and then of the panels' own, once each in order of
/// first mention, and applies the threshold and cluster size. Throws Error (input) naming a
/// map that cannot be drawn.
std::vector<OverlayMap> load_overlays(const OverlayOptions& options,
                                      const std::vector<PanelRequest>& panels = {});

/// How panels draw `maps` (which must outlive them); those of `options.maps` are figure-wide.
/// Throws Error (usage) for a bad colormap.
std::vector<SceneOverlay> scene_overlays(const std::vector<OverlayMap>& maps,
                                         const OverlayOptions& options);

/// The overlays a panel draws: the maps it names, else the figure-wide ones.
std::vector<SceneOverlay> overlays_of_panel(const std::vector<SceneOverlay>& overlays,
                                            const PanelRequest& request);

/// The colour bar of a map of values: its colours from bar_minimum to bar_maximum, the
/// band below the threshold pale grey, the threshold marked and named in the title.
ColourScale overlay_colour_bar(const OverlayColours& colours);

/// Adds the overlays to a panel: a colour bar for each map of values (titled with the map,
/// marking the threshold), the names of a label map's labels in the legend, and a note for a
/// map with nothing left to draw. Returns a warning line for each such map.
std::vector<std::string> add_overlays_to_panel(Panel& panel,
                                               const std::vector<SceneOverlay>& overlays);

}  // namespace foci
