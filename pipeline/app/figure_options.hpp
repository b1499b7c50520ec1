#pragma once
// The options of a figure — size, resolution, brain style, how regions and colours are
// drawn, labels, views, atlases — parsed in one place, from the words a user writes on the
// `foci render` command line or in a figure spec, with one set of defaults.
#include <optional>
#include <string>
#include <vector>

#include "overlay/overlay_map.hpp"
#include "overlay/projection.hpp"
#include "render/scene.hpp"
#include "render/scene_from_mapping.hpp"

namespace foci {

/// Atlases that place named regions when none are given.
std::vector<std::string> default_atlases();
/// Views of a figure when none are given: the six outer views.
std::vector<View> default_views();

/// Volumetric maps drawn over the brain of every panel, and how.
struct OverlayOptions {
  std::vector<OverlaySource> maps;
  double threshold = 0;  ///< |value| below this is not drawn
  int cluster_min = 0;   ///< clusters of fewer voxels are not drawn
  std::string colormap = "auto";
  std::optional<double> vmax;  ///< top of the colour scale; unset: the largest |value| drawn
  OverlayProjection projection = OverlayProjection::extremum;
  OverlayStyle style = OverlayStyle::surface;
  std::string title;  ///< colour bar title; empty: the map's file name
  bool space_ok = false;
};

struct FigureOptions {
  int width = 1600, height = 1200;  ///< pixels of the whole image
  int dpi = 300;                    ///< recorded in the PNG
  BrainStyle style = BrainStyle::glass;
  bool transparent_background = false;
  SceneOptions scene;  ///< regions, colour_by, labels
  std::vector<View> views = default_views();
  OverlayOptions overlay;
  /// What a batch writes of the figure: "png" (render) and/or "html" (web), in this order.
  std::vector<std::string> formats{"png"};
};

/// The keys set_figure_option takes, with the words each accepts, for help texts:
/// size, dpi, style, regions, colour_by, labels, views, the overlay keys (overlay,
/// threshold, cluster_min, colormap, vmax, projection, overlay_style, overlay_title, space_ok),
/// formats and coarse.
std::vector<std::string> figure_option_keys();
/// One line describing what `key` accepts ("WIDTHxHEIGHT pixels, each from 64 to 8192").
std::string figure_option_help(const std::string& key);
/// The default of `key` as a user would write it ("1600x1200").
std::string figure_option_default(const std::string& key);

/// Sets one option from its text: size "1600x1200", dpi "300", style "glass|opaque", regions
/// "surface|node", colour_by "direction|measure|value", labels "true|false", views
/// "left,dorsal,..." (commas or spaces); overlay "MAP.nii.gz[:INDEX]" (each call adds one
/// map), threshold and vmax numbers, cluster_min a whole number, colormap "auto" or a name,
/// projection "extremum|nearest|average|trilinear", overlay_style "surface|blobs",
/// overlay_title text, space_ok "true|false", formats "png,html" (commas or spaces), coarse
/// "tint|outline|omit".
/// Throws Error (usage) saying what the key expects
/// and what it got (with "did you mean" for a misspelt word); the caller adds where the text
/// came from (an option name, a JSON pointer).
void set_figure_option(FigureOptions& options, const std::string& key, const std::string& text);

/// A list of views from "left,dorsal" (commas or spaces). Throws Error (usage).
std::vector<View> parse_view_list(const std::string& text);

/// A Figure with the options' size, dpi, style and background; no panels yet.
Figure empty_figure(const FigureOptions& options, const std::string& title);

}  // namespace foci
