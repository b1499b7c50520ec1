#pragma once
// Where slices go: which world plane a view shows, how its pixels map to MNI mm, and the
// grids of ortho, mosaic and glass figures. Plain arithmetic, tested without drawing.
#include <optional>
#include <string>
#include <vector>

#include "core/geometry.hpp"

namespace foci {

enum class SliceAxis { sagittal, coronal, axial };
std::string to_string(SliceAxis axis);
/// "x", "y" or "z": the world axis a slice of this kind is cut across.
std::string axis_letter(SliceAxis axis);

/// A box of world mm, MNI RAS.
struct WorldBox {
  Vec3 min, max;
};

/// A rectangle in pixels, origin at the image's top-left.
struct PixelRect {
  double x = 0, y = 0, width = 0, height = 0;
};

/// One view of a slice figure: a slice across `axis` at `position` mm (or, in a glass
/// figure, a projection along it) drawn in `box`, `mm_per_pixel` the same in both directions.
/// Neurological: sagittal views put anterior on the right, coronal and axial views left on
/// the left; `radiological` flips coronal and axial views left-right.
struct SliceView {
  SliceAxis axis = SliceAxis::axial;
  double position = 0;  ///< mm along the axis
  PixelRect box;
  WorldBox extent;  ///< the world box the view shows
  bool radiological = false;

  /// The world point at pixel (x, y) (top-left origin; pixel centres at +0.5).
  Vec3 world_at(double x, double y) const;
  /// The pixel where a world point appears (its depth along the axis ignored).
  std::array<double, 2> pixel_of(Vec3 world) const;
  /// Pixels per mm.
  double scale() const;
  /// Which side of the brain is on the image's left, for views that show both ("L"/"R");
  /// empty for sagittal views.
  std::string left_mark() const;
  std::string right_mark() const;
};

/// The world box (MNI mm) of the voxels from index `lo` to `hi` (inclusive, to their outer
/// corners) under `voxel_to_world`.
WorldBox world_box_of_voxels(const Affine& voxel_to_world, const std::array<int, 3>& lo,
                             const std::array<int, 3>& hi);

/// In-plane horizontal and vertical extents (mm) of a view of `axis` over `box`.
double view_width_mm(SliceAxis axis, const WorldBox& box);
double view_height_mm(SliceAxis axis, const WorldBox& box);

/// Slices from FROM to TO (mm, inclusive, STEP apart) across one axis:
/// "axial:-40:60:10" (also "coronal", "sagittal"; "z", "y", "x" mean the same).
struct MosaicSpec {
  SliceAxis axis = SliceAxis::axial;
  double from = -40, to = 60, step = 10;
  std::vector<double> positions() const;
};
/// Most slices one mosaic draws.
constexpr int kMaxMosaicSlices = 200;
/// Throws Error (usage) naming what is wrong with `text`.
MosaicSpec parse_mosaic_spec(const std::string& text);
/// "X,Y,Z" in mm. Throws Error (usage).
Vec3 parse_cut_coords(const std::string& text);

/// Lays views of one height scale side by side in `area`, each as wide as its extent,
/// `gap` px apart, centred; returns their boxes (in order).
std::vector<PixelRect> row_of_views(const std::vector<SliceAxis>& axes, const WorldBox& extent,
                                    const PixelRect& area, double gap);

/// `columns` x rows of equal cells for views of `axis` in `area`, `gap` px apart, centred.
std::vector<PixelRect> grid_of_views(SliceAxis axis, std::size_t count, int columns,
                                     const WorldBox& extent, const PixelRect& area, double gap);

}  // namespace foci
