#pragma once
// What a figure shows, as plain values: the render stage turns these into a VTK scene.
// Nothing here includes VTK, so mapping, batch and tests can build scenes without it.
#include <array>
#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "atlas/label_volume.hpp"
#include "core/hemisphere.hpp"
#include "overlay/overlay_map.hpp"
#include "overlay/projection.hpp"

namespace foci {

struct Rgb {
  double r = 0, g = 0, b = 0;  ///< 0..1
};

/// The eight standard views. Dorsal and ventral follow the neurological convention (left on
/// the left of the image); lateral views put anterior towards the face (left of a `left`
/// view); medial views show one hemisphere from the midline.
enum class View { left, right, dorsal, ventral, anterior, posterior, medial_left, medial_right };
std::string to_string(View v);
std::optional<View> parse_view(const std::string& word);
std::vector<std::string> view_names();
/// Whether the view shows both hemispheres side by side, and so carries L/R marks.
bool shows_both_sides(View v);

enum class BrainStyle { glass, opaque };

/// How findings on a lobe or a whole hemisphere (coarse findings: the lexicon's `extent`) are
/// drawn, so they never hide the specific regions: as a light tint beneath them, as an
/// outline (the region's silhouette), or not at all, named in a caption line instead.
enum class CoarseStyle { tint, outline, omit };

struct SceneNode {
  Vec3 mni;
  double radius_mm = 4;
  Rgb colour;
  std::string label;
  std::vector<std::size_t> sources;  ///< the mapped findings drawn here (MappingResult index)
};

/// An arrowhead's length and base radius, in tube radii: long and wide enough to read at a
/// figure's scale, where a tube is a few pixels across. The figure and the web page alike.
constexpr double kArrowLengthPerRadius = 4.5;
constexpr double kArrowWidthPerRadius = 2.5;

struct SceneEdge {
  Vec3 from, to;
  double radius_mm = 1;
  Rgb colour;
  std::vector<std::size_t> sources;
  /// A connection with a direction (effective connectivity: seed -> target) is drawn with
  /// an arrowhead at `to`; an undirected one as a plain tube.
  bool directed = false;
  /// Radius of the node drawn at `to`, mm: the arrowhead's tip stops on its surface.
  double target_radius_mm = 0;
};

/// A volume read when it is first asked for: the brain template or an atlas, whose voxels are
/// needed only to build a mesh the cache lacks.
using VolumeSource = std::function<const LabelVolume&()>;

/// A region drawn as a surface: the voxels of `labels` in `volume`, on `side` (left: x < 0,
/// right: x > 0, otherwise both).
struct SceneRegion {
  VolumeSource volume;
  std::string volume_key;  ///< identifies the volume's content, for the mesh cache
  std::set<std::int32_t> labels;
  std::optional<Hemisphere> side;
  Rgb colour;
  std::string name;
  std::string atlas;                    ///< the atlas whose labels these are
  std::vector<std::string> region_ids;  ///< lexicon regions drawn with these labels
  std::vector<std::size_t> sources;
  /// A finding on a lobe or a hemisphere: drawn beneath the specific regions, as the
  /// panel's coarse_style says.
  bool coarse = false;
};

struct LegendEntry {
  Rgb colour;
  std::string text;
  bool ring = false;  ///< an outline's entry: its swatch is a ring, as the outline is a line
};

/// A continuous colour scale shown as a colour bar: value -> colour by linear interpolation
/// between evenly spaced stops from `minimum` to `maximum`.
struct ColourScale {
  double minimum = 0, maximum = 1;
  std::vector<Rgb> stops;
  std::string title;
  /// Values marked on the bar (an overlay's threshold, +-T for a signed map).
  std::vector<double> marks;
  Rgb colour_of(double value) const;
};

/// How an overlay is drawn: coloured onto the brain surface (sampled below each vertex), or
/// as isosurfaces of the thresholded map inside the brain.
enum class OverlayStyle { surface, blobs };

/// A volumetric map over the brain: its values (already thresholded), their colours and
/// how they reach the picture.
struct SceneOverlay {
  const OverlayMap* map = nullptr;
  OverlayColours colours;
  OverlayProjection projection = OverlayProjection::extremum;
  OverlayStyle style = OverlayStyle::surface;
  bool figure_wide = true;  ///< drawn in every panel without maps of its own
};

/// One panel of a figure: a title, a letter, views laid out in a grid, and what to draw.
struct Panel {
  std::string title;
  std::string letter;  ///< "a", "b", ... ; empty for none
  std::vector<View> views;
  std::vector<SceneNode> nodes;
  std::vector<SceneEdge> edges;
  std::vector<SceneRegion> regions;
  std::vector<SceneOverlay> overlays;  ///< drawn under the findings, first one lowest
  std::vector<LegendEntry> legend;
  std::string size_legend;                ///< e.g. "node size: cluster volume"; empty for none
  std::optional<ColourScale> colour_bar;  ///< drawn when colours come from values
  std::vector<ColourScale> overlay_bars;  ///< one per overlay with a colour scale, above it
  bool show_labels = false;               ///< node labels, placed so they do not overlap
  std::string note;  ///< a line under the panel, e.g. "no finding matches the filter"
  CoarseStyle coarse_style = CoarseStyle::tint;  ///< how regions marked coarse are drawn
  /// A line at the foot of the panel naming what is not drawn ("Not drawn (cover a lobe or
  /// more): ..."); empty for none.
  std::string caption;
};

struct Figure {
  int width = 1600, height = 1200;  ///< pixels of the whole image
  int dpi = 300;                    ///< recorded in the PNG
  BrainStyle style = BrainStyle::glass;
  bool transparent_background = false;
  std::string title;
  std::vector<Panel> panels;  ///< stacked top to bottom
};

/// Colours of directions, as in the MECT review's Fig. 2: rises red, falls blue.
Rgb increase_colour();
Rgb decrease_colour();
Rgb mixed_colour();    ///< a region with both rises and falls
Rgb neutral_colour();  ///< normalised, no change, not reported
/// How a coarse region's colour looks as a tint over the glass brain: a light version of it,
/// for its legend swatch.
Rgb coarse_tint(Rgb colour);
/// Opacity of a coarse region drawn as a tint.
constexpr double kCoarseTintOpacity = 0.3;

}  // namespace foci
