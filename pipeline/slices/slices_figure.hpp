#pragma once
// 2D figures of volumetric maps: ortho slices through a point (as nilearn's plot_stat_map),
// mosaics of slices (as MRIcroGL's), and glass-brain projections with findings on them (as
// plot_glass_brain with plot_connectome). The stage draws what it is handed as plain values
// and reads no file: the command loads the template, the maps and the findings.
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "atlas/label_volume.hpp"
#include "render/scene.hpp"
#include "slices/raster.hpp"
#include "slices/slice_geometry.hpp"

namespace foci {

enum class SlicesMode { ortho, mosaic, glass };
std::string to_string(SlicesMode mode);

/// A label of a label map: its value, colour and name.
struct SliceLabel {
  int value = 0;
  Rgb colour;
  std::string name;
};

/// One map as a slice figure draws it.
struct SliceOverlay {
  std::string title;  ///< names the map on its colour bar
  /// The map's value at a world point (MNI RAS mm), already resampled as the map asks
  /// (trilinear, nearest for labels); NaN outside its grid.
  std::function<float(Vec3)> value_at;
  /// The value of the voxel nearest a world point, for glass projections: a projection of
  /// interpolated values would ring each cluster with values no voxel holds.
  std::function<float(Vec3)> voxel_value_at;
  /// A value's colour; alpha 0 where nothing shows (below the threshold, NaN).
  std::function<PixelColour(double)> colour_of;
  double minimum = 0, maximum = 1;  ///< the colour bar's range
  double threshold = 0;             ///< marked on the colour bar when above 0
  /// Label maps: a legend of names and colours instead of a colour bar, of the labels the
  /// figure shows.
  std::vector<SliceLabel> labels;
  /// Where the map has values (MNI mm): glass views widen to show all of it, since a map's
  /// regions may reach past the brain mask's outline. Unset: the brain's box.
  std::optional<WorldBox> extent;
  /// World step (mm) of the glass projections: the map's voxel size, at most 1 mm.
  double projection_step_mm = 1;
};

struct SlicesFigure {
  SlicesMode mode = SlicesMode::ortho;
  int width = 0, height = 0;  ///< pixels; 0 x 0: default_figure_size
  int dpi = 300;              ///< recorded in the PNG
  std::string title;
  bool radiological = false;                ///< coronal and axial views flipped: left on the right
  Vec3 cut;                                 ///< ortho: the point the three slices go through (mm)
  MosaicSpec mosaic;                        ///< mosaic: which slices
  const LabelVolume* anatomy = nullptr;     ///< T1 intensities drawn under slices
  const LabelVolume* brain_mask = nullptr;  ///< non-zero inside the brain: glass outlines
  std::vector<SliceOverlay> overlays;       ///< drawn in order, the last on top
  std::vector<SceneNode> nodes;             ///< glass: findings' nodes (colours, sizes in mm)
  std::vector<SceneEdge> edges;
  std::vector<LegendEntry> legend;  ///< glass: what the findings' colours mean
  std::vector<std::string> notes;   ///< lines under the views (e.g. nothing above threshold)
};

/// Where everything goes.
struct SlicesLayout {
  int width = 0, height = 0;
  double unit = 12;  ///< base text size, px
  std::vector<SliceView> views;
  PixelRect title, colour_bars, footer;
};

/// The size a figure gets when none is asked for: three views in a row for ortho and glass;
/// for a mosaic about 8 columns of 300 px for 24 slices (fewer for fewer slices).
std::array<int, 2> default_figure_size(const SlicesFigure& figure);
/// The world box views show: the brain mask's extent with a margin for glass figures,
/// the anatomy's head for slices. Throws Error (internal) when the volume it needs is missing.
WorldBox figure_extent(const SlicesFigure& figure);
SlicesLayout lay_out_slices(const SlicesFigure& figure);

/// Draws the figure.
RgbImage draw_slices(const SlicesFigure& figure);

/// Draws the figure and writes it as PNG (size and DPI recorded) to `png_path` through a
/// TemporaryFile; over an existing file only with `overwrite`.
void write_slices_figure(const SlicesFigure& figure, const std::string& png_path, bool overwrite);

}  // namespace foci
