#include "slices/slices_figure.hpp"

#include <fmt/format.h>
#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "core/error.hpp"
#include "core/output_file.hpp"
#include "render/layout.hpp"
#include "slices/slice_text.hpp"

namespace foci {

std::string to_string(SlicesMode mode) {
  switch (mode) {
    case SlicesMode::ortho:
      return "ortho";
    case SlicesMode::mosaic:
      return "mosaic";
    case SlicesMode::glass:
      return "glass";
  }
  return "ortho";
}

namespace {

// Slices sit on black as MRI is shown; glass brains on white as nilearn draws them.
const Rgb kBlack{0, 0, 0}, kWhite{1, 1, 1};
const Rgb kInkOnBlack{0.95, 0.95, 0.95}, kInkOnWhite{0.1, 0.1, 0.1};
const Rgb kNoColour{0.5, 0.5, 0.5};  // the colour bar between -T and T, where maps show nothing
// Margins in text units.
constexpr double kMargin = 0.6, kTitleUnits = 2.2, kLineUnits = 1.6, kBarColumnUnits = 6.5,
                 kLegendColumnUnits = 13;
// A glass brain's outline and shading.
const Rgb kOutline{0.35, 0.35, 0.35};
constexpr double kMaxShade = 0.16;  // darkest fill where the brain is thickest

Rgb ink(const SlicesFigure& f) { return f.mode == SlicesMode::glass ? kInkOnWhite : kInkOnBlack; }
Rgb paper(const SlicesFigure& f) { return f.mode == SlicesMode::glass ? kWhite : kBlack; }

double unit_of(int width, int height) {
  return std::clamp(std::sqrt(static_cast<double>(width) * height) / 60.0, 10.0, 60.0);
}

/// Columns of a mosaic when the size is left to foci: about 8 for 24 slices, as wide as
/// it is tall for few.
int default_mosaic_columns(std::size_t n) {
  return static_cast<int>(
      std::min<double>(static_cast<double>(n), std::ceil(std::sqrt(n * 8.0 / 3.0))));
}

bool has_colour_bars(const SlicesFigure& f) {
  return std::any_of(f.overlays.begin(), f.overlays.end(),
                     [](const SliceOverlay& o) { return o.labels.empty(); });
}
bool has_label_legends(const SlicesFigure& f) {
  return std::any_of(f.overlays.begin(), f.overlays.end(),
                     [](const SliceOverlay& o) { return !o.labels.empty(); });
}

std::vector<std::string> footer_lines(const SlicesFigure& f) {
  std::vector<std::string> lines = f.notes;
  // Only views that show both hemispheres flip; a mosaic of sagittal slices has none.
  const bool flipped_views = f.mode != SlicesMode::mosaic || f.mosaic.axis != SliceAxis::sagittal;
  if (f.radiological && flipped_views) {
    lines.push_back("Radiological convention: the left hemisphere is on the right.");
  }
  return lines;
}

/// Bounds of the voxels of `volume` above `floor`, in world mm, widened by `margin`: the
/// corners of their box of voxel indices, so one pass over the volume does without affines.
WorldBox nonzero_box(const LabelVolume& volume, std::int32_t floor, double margin) {
  std::array<int, 3> lo{volume.size[0], volume.size[1], volume.size[2]}, hi{-1, -1, -1};
  std::size_t n = 0;
  for (int k = 0; k < volume.size[2]; ++k) {
    for (int j = 0; j < volume.size[1]; ++j) {
      for (int i = 0; i < volume.size[0]; ++i, ++n) {
        if (volume.labels[n] <= floor) continue;
        lo = {std::min(lo[0], i), std::min(lo[1], j), std::min(lo[2], k)};
        hi = {std::max(hi[0], i), std::max(hi[1], j), std::max(hi[2], k)};
      }
    }
  }
  if (hi[0] < 0) return {{-90, -126, -72}, {90, 90, 108}};  // MNI's usual box
  const WorldBox box = world_box_of_voxels(volume.voxel_to_world, lo, hi);
  return {{box.min.x - margin, box.min.y - margin, box.min.z - margin},
          {box.max.x + margin, box.max.y + margin, box.max.z + margin}};
}

/// The intensity that shows white: the 99.5th percentile of the non-zero voxels, so a few
/// bright vessels do not darken the whole brain.
double white_level(const LabelVolume& volume) {
  std::vector<std::int32_t> values;
  for (std::size_t n = 0; n < volume.labels.size(); n += 7) {
    if (volume.labels[n] > 0) values.push_back(volume.labels[n]);
  }
  if (values.empty()) return 1;
  const auto at = values.begin() + static_cast<long>(values.size() * 995 / 1000);
  std::nth_element(values.begin(), at, values.end());
  return std::max(1, *at);
}

/// Trilinear intensity of a volume at a world point; 0 outside.
double intensity_at(const LabelVolume& volume, Vec3 world) {
  const Vec3 c = volume.world_to_voxel.apply(world);
  if (!(c.x > -1 && c.y > -1 && c.z > -1 && c.x < volume.size[0] && c.y < volume.size[1] &&
        c.z < volume.size[2])) {
    return 0;
  }
  const int i = static_cast<int>(std::floor(c.x)), j = static_cast<int>(std::floor(c.y)),
            k = static_cast<int>(std::floor(c.z));
  const double fx = c.x - i, fy = c.y - j, fz = c.z - k;
  double sum = 0;
  for (int corner = 0; corner < 8; ++corner) {
    const int di = corner & 1, dj = (corner >> 1) & 1, dk = (corner >> 2) & 1;
    if (!volume.contains(i + di, j + dj, k + dk)) continue;
    const double w = (di ? fx : 1 - fx) * (dj ? fy : 1 - fy) * (dk ? fz : 1 - fz);
    sum += w * volume.at(i + di, j + dj, k + dk);
  }
  return sum;
}

std::string mm_text(double mm) {
  // "-0" reads as a typo: whole millimetres print as integers, and zero without a sign.
  const double rounded = std::round(mm * 10) / 10;
  if (std::abs(rounded) < 0.05) return "0";
  if (std::abs(rounded - std::round(rounded)) < 1e-9)
    return fmt::format("{}", std::lround(rounded));
  return fmt::format("{:.1f}", rounded);
}

std::string value_text(double v) {
  if (std::abs(v) < 1e-12) return "0";
  return fmt::format("{:.3g}", v);
}

/// The coordinate (mm) a slice of `axis` is cut at.
double depth_of(SliceAxis axis, Vec3 p) {
  return axis == SliceAxis::sagittal ? p.x : axis == SliceAxis::coronal ? p.y : p.z;
}

// ---- slices -------------------------------------------------------------------------------

/// The label values each overlay shows somewhere in the figure (for label maps only).
using ShownLabels = std::vector<std::set<int>>;

void note_label(ShownLabels& shown, const SlicesFigure& f, std::size_t overlay, float v) {
  if (!f.overlays[overlay].labels.empty()) shown[overlay].insert(static_cast<int>(std::lround(v)));
}

void draw_slice(RgbImage& image, const SlicesFigure& f, const SliceView& view, double white,
                ShownLabels& shown) {
  const int x0 = static_cast<int>(std::ceil(view.box.x - 0.5));
  const int y0 = static_cast<int>(std::ceil(view.box.y - 0.5));
  const int x1 = static_cast<int>(std::ceil(view.box.x + view.box.width - 0.5));
  const int y1 = static_cast<int>(std::ceil(view.box.y + view.box.height - 0.5));
  for (int y = std::max(0, y0); y < std::min(image.height, y1); ++y) {
    for (int x = std::max(0, x0); x < std::min(image.width, x1); ++x) {
      const Vec3 world = view.world_at(x + 0.5, y + 0.5);
      const double grey =
          f.anatomy ? std::clamp(intensity_at(*f.anatomy, world) / white, 0.0, 1.0) : 0;
      image.set(x, y, to_pixel_colour({grey, grey, grey}));
      for (std::size_t m = 0; m < f.overlays.size(); ++m) {
        const float v = f.overlays[m].value_at(world);
        if (std::isnan(v)) continue;
        const PixelColour c = f.overlays[m].colour_of(v);
        if (c.a == 0) continue;
        image.blend(x, y, c);
        note_label(shown, f, m, v);
      }
    }
  }
}

void draw_slice_marks(RgbImage& image, const SlicesFigure& f, const SliceView& view, double unit,
                      bool crosshair, bool side_marks) {
  const TextStyle label{unit * 0.9, ink(f), false}, mark{unit * 1.05, ink(f), true};
  const double pad = unit * 0.35;
  if (crosshair) {
    const auto at = view.pixel_of(f.cut);
    const PixelColour line = to_pixel_colour({0.85, 0.85, 0.85}, 0.8);
    const double width = std::max(1.0, unit / 12);
    draw_line(image, view.box.x, at[1], view.box.x + view.box.width, at[1], width, line);
    draw_line(image, at[0], view.box.y, at[0], view.box.y + view.box.height, width, line);
  }
  // Findings where they cross the slice: a disk as wide as their sphere's cross-section.
  const double s = view.scale();
  for (const auto& n : f.nodes) {
    const double d = std::abs(depth_of(view.axis, n.mni) - view.position);
    if (d >= n.radius_mm) continue;
    const auto at = view.pixel_of(n.mni);
    draw_disk(image, at[0], at[1], std::max(1.5, std::sqrt(n.radius_mm * n.radius_mm - d * d) * s),
              to_pixel_colour(n.colour), to_pixel_colour({0.95, 0.95, 0.95}),
              std::max(0.75, unit / 16));
  }
  // On a dark backing: the label may fall on bright scalp or neck.
  const std::string position = axis_letter(view.axis) + " = " + mm_text(view.position);
  const auto size = text_extent(position, label);
  const double bottom = view.box.y + view.box.height - pad;
  fill_box(image, view.box.x + pad * 0.4, bottom - size[1] - pad * 0.6,
           view.box.x + pad * 1.6 + size[0], bottom + pad * 0.6, to_pixel_colour(kBlack, 0.6));
  draw_text(image, position, view.box.x + pad, bottom, label, Align::start, Align::end);
  if (side_marks && !view.left_mark().empty()) {
    draw_text(image, view.left_mark(), view.box.x + pad, view.box.y + pad, mark);
    draw_text(image, view.right_mark(), view.box.x + view.box.width - pad, view.box.y + pad, mark,
              Align::end);
  }
}

// ---- glass brains -------------------------------------------------------------------------

/// A 2D field on a world grid across one view's plane: rows along the view's vertical axis.
struct Projection {
  int columns = 0, rows = 0;
  double step = 1;
  std::vector<float> values;  ///< columns fastest
  float at(int c, int r) const {
    c = std::clamp(c, 0, columns - 1), r = std::clamp(r, 0, rows - 1);
    return values[static_cast<std::size_t>(r) * columns + c];
  }
};

/// The point of the view's plane at grid cell (c, r), at depth `depth` mm.
Vec3 plane_point(const SliceView& view, double c, double r, double step, double depth) {
  const WorldBox& e = view.extent;
  const double h = c * step, v = r * step;
  switch (view.axis) {
    case SliceAxis::sagittal:
      return {depth, e.min.y + h, e.min.z + v};
    case SliceAxis::coronal:
      return {e.min.x + h, depth, e.min.z + v};
    case SliceAxis::axial:
      return {e.min.x + h, e.min.y + v, depth};
  }
  return {};
}

std::array<double, 2> depth_range(const SliceView& view) {
  const WorldBox& e = view.extent;
  switch (view.axis) {
    case SliceAxis::sagittal:
      return {e.min.x, e.max.x};
    case SliceAxis::coronal:
      return {e.min.y, e.max.y};
    case SliceAxis::axial:
      return {e.min.z, e.max.z};
  }
  return {0, 0};
}

/// Along each line of sight through the view: `reduce` over samples `step` mm apart.
template <typename Sample, typename Reduce>
Projection project(const SliceView& view, double step, Sample sample, Reduce reduce) {
  Projection p;
  p.step = step;
  p.columns = static_cast<int>(std::floor(view_width_mm(view.axis, view.extent) / step)) + 1;
  p.rows = static_cast<int>(std::floor(view_height_mm(view.axis, view.extent) / step)) + 1;
  p.values.assign(static_cast<std::size_t>(p.columns) * p.rows, 0.0f);
  const auto [near, far] = depth_range(view);
  for (int r = 0; r < p.rows; ++r) {
    for (int c = 0; c < p.columns; ++c) {
      float acc = 0;
      for (double d = near; d <= far; d += step)
        acc = reduce(acc, sample(plane_point(view, c, r, step, d)));
      p.values[static_cast<std::size_t>(r) * p.columns + c] = acc;
    }
  }
  return p;
}

/// The projection's grid position (continuous cells) of a world point of the view's plane.
std::array<double, 2> cell_of(const Projection& p, const SliceView& view, Vec3 world) {
  double h = 0, v = 0;
  switch (view.axis) {
    case SliceAxis::sagittal:
      h = world.y - view.extent.min.y, v = world.z - view.extent.min.z;
      break;
    case SliceAxis::coronal:
      h = world.x - view.extent.min.x, v = world.z - view.extent.min.z;
      break;
    case SliceAxis::axial:
      h = world.x - view.extent.min.x, v = world.y - view.extent.min.y;
      break;
  }
  return {h / p.step, v / p.step};
}

/// Bilinear value of a projection at a world point of the view's plane.
float projection_at(const Projection& p, const SliceView& view, Vec3 world) {
  const auto [c, r] = cell_of(p, view, world);
  const int c0 = static_cast<int>(std::floor(c)), r0 = static_cast<int>(std::floor(r));
  const double fc = c - c0, fr = r - r0;
  return static_cast<float>((1 - fr) * ((1 - fc) * p.at(c0, r0) + fc * p.at(c0 + 1, r0)) +
                            fr * ((1 - fc) * p.at(c0, r0 + 1) + fc * p.at(c0 + 1, r0 + 1)));
}

/// Signed value of the largest magnitude: a negative cluster behind a weaker positive one
/// still shows, as plot_glass_brain draws signed maps.
float larger_magnitude(float acc, float v) {
  return std::isnan(v) || std::abs(v) <= std::abs(acc) ? acc : v;
}

/// Where nodes lie towards the viewer: larger is nearer, so they are drawn last.
double nearness(const SliceView& view, Vec3 p) {
  switch (view.axis) {
    case SliceAxis::sagittal:
      return p.x;  // seen from the right, anterior on the right
    case SliceAxis::coronal:
      return view.radiological ? p.y : -p.y;  // from behind (neurological), else from the front
    case SliceAxis::axial:
      return view.radiological ? -p.z : p.z;  // from above (neurological), else from below
  }
  return 0;
}

void draw_glass_view(RgbImage& image, const SlicesFigure& f, const SliceView& view, double unit,
                     ShownLabels& shown) {
  const double step = 1.0;
  const Projection thickness = project(
      view, step, [&](Vec3 w) { return f.brain_mask->label_at(w) != 0 ? 1.0f : 0.0f; },
      [](float acc, float v) { return acc + v; });
  float deepest = 1;
  for (const float t : thickness.values) deepest = std::max(deepest, t);
  // Inside (1) or outside (0) the brain, smoothed over a 3 x 3 mm neighbourhood so the
  // outline follows the brain rather than the voxel staircase.
  Projection inside = thickness;
  for (int r = 0; r < inside.rows; ++r) {
    for (int c = 0; c < inside.columns; ++c) {
      float sum = 0;
      for (int dr = -1; dr <= 1; ++dr)
        for (int dc = -1; dc <= 1; ++dc) sum += thickness.at(c + dc, r + dr) > 0 ? 1.0f : 0.0f;
      inside.values[static_cast<std::size_t>(r) * inside.columns + c] = sum / 9;
    }
  }
  std::vector<Projection> maps;
  for (const auto& overlay : f.overlays) {
    const double s = std::clamp(overlay.projection_step_mm, 0.5, 1.0);
    maps.push_back(project(view, s,
                           overlay.voxel_value_at ? overlay.voxel_value_at : overlay.value_at,
                           larger_magnitude));
  }
  const double line_half = std::max(0.75, unit / 14);
  const PixelColour outline = to_pixel_colour(kOutline);
  const int x0 = std::max(0, static_cast<int>(std::ceil(view.box.x - 0.5)));
  const int y0 = std::max(0, static_cast<int>(std::ceil(view.box.y - 0.5)));
  const int x1 =
      std::min(image.width, static_cast<int>(std::ceil(view.box.x + view.box.width - 0.5)));
  const int y1 =
      std::min(image.height, static_cast<int>(std::ceil(view.box.y + view.box.height - 0.5)));
  const auto inside_at = [&](double x, double y) {
    return projection_at(inside, view, view.world_at(x, y));
  };
  for (int y = y0; y < y1; ++y) {
    for (int x = x0; x < x1; ++x) {
      const Vec3 world = view.world_at(x + 0.5, y + 0.5);
      const double t = projection_at(thickness, view, world) / deepest;
      const double shade = 1 - kMaxShade * std::clamp(t, 0.0, 1.0);
      image.set(x, y, to_pixel_colour({shade, shade, shade}));
      for (std::size_t m = 0; m < maps.size(); ++m) {
        // The nearest cell: interpolating a projection would invent values at a cluster's
        // edge (a red rim round a yellow peak) that no voxel holds.
        const auto cell = cell_of(maps[m], view, world);
        const float v = maps[m].at(static_cast<int>(std::lround(cell[0])),
                                   static_cast<int>(std::lround(cell[1])));
        if (v == 0 || std::isnan(v)) continue;
        const PixelColour c = f.overlays[m].colour_of(v);
        if (c.a == 0) continue;
        image.blend(x, y, c);
        note_label(shown, f, m, v);
      }
      // The outline on top of the map, so a map reaching the brain's edge does not hide
      // it: where `inside` crosses one half, its distance in pixels from there, by the
      // local gradient, gives an anti-aliased line of one width everywhere.
      const double s = inside_at(x + 0.5, y + 0.5);
      const double gx = (inside_at(x + 1.5, y + 0.5) - inside_at(x - 0.5, y + 0.5)) / 2;
      const double gy = (inside_at(x + 0.5, y + 1.5) - inside_at(x + 0.5, y - 0.5)) / 2;
      const double gradient = std::hypot(gx, gy);
      if (gradient > 1e-6) {
        const double distance = std::abs(s - 0.5) / gradient;
        image.blend(x, y, outline, std::clamp(line_half + 0.5 - distance, 0.0, 1.0));
      }
    }
  }
  // Findings: edges under nodes, the nearest drawn last.
  const double s = view.scale();
  for (const auto& e : f.edges) {
    const auto a = view.pixel_of(e.from), b = view.pixel_of(e.to);
    draw_line(image, a[0], a[1], b[0], b[1], std::max(1.0, 2 * e.radius_mm * s),
              to_pixel_colour(e.colour, 0.85));
  }
  std::vector<const SceneNode*> order;
  for (const auto& n : f.nodes) order.push_back(&n);
  std::stable_sort(order.begin(), order.end(), [&](const SceneNode* a, const SceneNode* b) {
    return nearness(view, a->mni) < nearness(view, b->mni);
  });
  for (const SceneNode* n : order) {
    const auto at = view.pixel_of(n->mni);
    draw_disk(image, at[0], at[1], std::max(1.5, n->radius_mm * s), to_pixel_colour(n->colour),
              to_pixel_colour({0.15, 0.15, 0.15}), std::max(0.75, unit / 16));
  }
}

// ---- colour bars and legends ----------------------------------------------------------------

/// Fits `text` into `width` px: a smaller size down to 70%, then cut with "...".
std::pair<std::string, TextStyle> fitted(std::string text, TextStyle style, double width) {
  const double smallest = style.size_px * 0.7;
  while (text_extent(text, style)[0] > width && style.size_px > smallest) style.size_px *= 0.92;
  while (text.size() > 4 && text_extent(text, style)[0] > width)
    text = text.substr(0, text.size() - 4) + "...";
  return {text, style};
}

/// `text` broken at spaces into at most `max_lines` lines of `width` px, at a size down to 70%;
/// a last line that still does not fit is cut with "...". The colour bar's column is narrow,
/// and a map's title cut after a few letters would not say which map it is.
std::pair<std::vector<std::string>, TextStyle> wrapped(const std::string& text, TextStyle style,
                                                       double width, std::size_t max_lines) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string word; in >> word;) words.push_back(word);
  const auto lines_at = [&](const TextStyle& s) {
    std::vector<std::string> lines;
    for (const auto& word : words) {
      if (!lines.empty() && text_extent(lines.back() + " " + word, s)[0] <= width) {
        lines.back() += " " + word;
      } else {
        lines.push_back(word);
      }
    }
    return lines;
  };
  const auto fits = [&](const std::vector<std::string>& lines, const TextStyle& s) {
    return lines.size() <= max_lines &&
           std::all_of(lines.begin(), lines.end(),
                       [&](const std::string& l) { return text_extent(l, s)[0] <= width; });
  };
  const double smallest = style.size_px * 0.7;
  auto lines = lines_at(style);
  while (!fits(lines, style) && style.size_px > smallest) {
    style.size_px *= 0.92;
    lines = lines_at(style);
  }
  if (lines.size() > max_lines) {
    std::string rest;
    for (std::size_t i = max_lines - 1; i < lines.size(); ++i) rest += (rest.empty() ? "" : " ") + lines[i];
    lines.resize(max_lines - 1);
    lines.push_back(rest);
  }
  if (!lines.empty()) lines.back() = fitted(lines.back(), style, width).first;
  return {lines, style};
}

void draw_colour_bar(RgbImage& image, const SlicesFigure& f, const SliceOverlay& o,
                     const PixelRect& area, double unit) {
  const TextStyle title{unit * 0.85, ink(f), true}, numbers{unit * 0.8, ink(f), false};
  const auto [name_lines, name_style] = wrapped(o.title, title, area.width, 3);
  double line_y = area.y;
  for (const auto& line : name_lines) {
    draw_text(image, line, area.x + area.width / 2, line_y, name_style, Align::centre);
    line_y += name_style.size_px * 1.25;
  }
  const double bar_x = area.x + unit * 0.6, bar_w = unit * 1.1;
  const double top = line_y + unit * 0.8, bottom = area.y + area.height - unit * 0.6;
  if (bottom - top < unit) return;
  const double range = o.maximum - o.minimum;
  const auto y_of = [&](double v) {
    return bottom - (v - o.minimum) / (range > 0 ? range : 1) * (bottom - top);
  };
  for (int y = static_cast<int>(std::ceil(top - 0.5));
       y < static_cast<int>(std::ceil(bottom - 0.5)); ++y) {
    const double v = o.maximum - (y + 0.5 - top) / (bottom - top) * range;
    PixelColour c = o.colour_of(v);
    if (c.a == 0) c = to_pixel_colour(kNoColour);
    c.a = 255;
    fill_box(image, bar_x, y, bar_x + bar_w, y + 1, c);
  }
  // Ticks: the ends, the threshold on each side it applies to, and zero for signed maps;
  // a tick too close to one already labelled keeps its line but not its number.
  std::vector<double> ticks{o.maximum, o.minimum};
  if (o.threshold > 0) {
    if (o.threshold < o.maximum && o.threshold > o.minimum) ticks.push_back(o.threshold);
    if (-o.threshold > o.minimum && -o.threshold < o.maximum) ticks.push_back(-o.threshold);
  } else if (o.minimum < 0 && o.maximum > 0) {
    ticks.push_back(0);
  }
  std::vector<double> labelled;
  const PixelColour tick = to_pixel_colour(ink(f));
  for (const double v : ticks) {
    const double y = y_of(v);
    draw_line(image, bar_x + bar_w, y, bar_x + bar_w + unit * 0.35, y, std::max(1.0, unit / 12),
              tick);
    if (std::any_of(labelled.begin(), labelled.end(),
                    [&](double l) { return std::abs(l - y) < unit * 0.95; }))
      continue;
    labelled.push_back(y);
    draw_text(image, value_text(v), bar_x + bar_w + unit * 0.5, y, numbers, Align::start,
              Align::centre);
  }
}

/// The names and colours of the labels the figure shows, in label order.
void draw_label_legend(RgbImage& image, const SlicesFigure& f, const SliceOverlay& o,
                       const std::set<int>& shown, const PixelRect& area, double unit) {
  const TextStyle title{unit * 0.85, ink(f), true}, names{unit * 0.8, ink(f), false};
  const auto [name, name_style] = fitted(o.title, title, area.width);
  draw_text(image, name, area.x, area.y, name_style);
  std::vector<const SliceLabel*> listed;
  for (const auto& label : o.labels) {
    if (shown.count(label.value)) listed.push_back(&label);
  }
  double y = area.y + unit * 1.6;
  for (std::size_t n = 0; n < listed.size(); ++n) {
    if (y + unit * 2.1 > area.y + area.height && n + 1 < listed.size()) {
      draw_text(image, fmt::format("and {} more", listed.size() - n), area.x, y, names);
      break;
    }
    fill_box(image, area.x, y, area.x + unit * 0.8, y + unit * 0.8,
             to_pixel_colour(listed[n]->colour));
    const auto [text, style] = fitted(listed[n]->name, names, area.width - unit * 1.2);
    draw_text(image, text, area.x + unit * 1.2, y + unit * 0.4, style, Align::start, Align::centre);
    y += unit * 1.1;
  }
}

void draw_footer(RgbImage& image, const SlicesFigure& f, const SlicesLayout& layout) {
  const double unit = layout.unit;
  double y = layout.footer.y + unit * 0.3;
  if (!f.legend.empty()) {
    double x = layout.footer.x;
    const TextStyle style{unit * 0.85, ink(f), false};
    for (const auto& entry : f.legend) {
      draw_disk(image, x + unit * 0.4, y + unit * 0.5, unit * 0.4, to_pixel_colour(entry.colour),
                to_pixel_colour({0.15, 0.15, 0.15}), std::max(0.75, unit / 16));
      draw_text(image, entry.text, x + unit * 1.1, y + unit * 0.5, style, Align::start,
                Align::centre);
      x += unit * 2 + text_extent(entry.text, style)[0];
    }
    y += unit * kLineUnits;
  }
  for (const auto& line : footer_lines(f)) {
    draw_text(image, line, layout.footer.x, y, {unit * 0.85, ink(f), false});
    y += unit * kLineUnits;
  }
}

}  // namespace

std::array<int, 2> default_figure_size(const SlicesFigure& figure) {
  if (figure.mode != SlicesMode::mosaic) return {1500, 560};
  const std::size_t n = std::max<std::size_t>(1, figure.mosaic.positions().size());
  const int columns = default_mosaic_columns(n);
  const int rows = static_cast<int>((n + columns - 1) / columns);
  const WorldBox extent = figure_extent(figure);
  const double cell_w = 300, cell_h = cell_w * view_height_mm(figure.mosaic.axis, extent) /
                                      view_width_mm(figure.mosaic.axis, extent);
  // The views, plus room for the colour bar, a title and a line of notes at the unit the
  // result will have (about 1/60 of the image's geometric mean size).
  const double views_w = columns * cell_w, views_h = rows * cell_h;
  const double unit = unit_of(static_cast<int>(views_w), static_cast<int>(views_h));
  const double w = views_w + unit * (2 * kMargin + (figure.overlays.empty() ? 0 : kBarColumnUnits));
  const double h = views_h + unit * (2 * kMargin + kTitleUnits + 2 * kLineUnits);
  return {std::min(8192, static_cast<int>(std::lround(w))),
          std::min(8192, static_cast<int>(std::lround(h)))};
}

WorldBox figure_extent(const SlicesFigure& figure) {
  if (figure.mode == SlicesMode::glass) {
    if (!figure.brain_mask) throw Error(ExitCode::internal, "a glass figure needs the brain mask");
    WorldBox box = nonzero_box(*figure.brain_mask, 0, 4);
    for (const auto& overlay : figure.overlays) {
      if (!overlay.extent) continue;
      const WorldBox& e = *overlay.extent;
      box = {{std::min(box.min.x, e.min.x - 2), std::min(box.min.y, e.min.y - 2),
              std::min(box.min.z, e.min.z - 2)},
             {std::max(box.max.x, e.max.x + 2), std::max(box.max.y, e.max.y + 2),
              std::max(box.max.z, e.max.z + 2)}};
    }
    return box;
  }
  if (!figure.anatomy) throw Error(ExitCode::internal, "a slice figure needs the template");
  // The head without the empty border of the template's grid.
  return nonzero_box(*figure.anatomy,
                     static_cast<std::int32_t>(white_level(*figure.anatomy) * 0.05), 2);
}

SlicesLayout lay_out_slices(const SlicesFigure& figure) {
  SlicesLayout layout;
  const auto size = figure.width > 0 ? std::array<int, 2>{figure.width, figure.height}
                                     : default_figure_size(figure);
  layout.width = size[0];
  layout.height = size[1];
  const double u = layout.unit = unit_of(size[0], size[1]);
  const double W = size[0], H = size[1], m = u * kMargin;
  double top = m, bottom = H - m, right = W - m;
  if (!figure.title.empty()) {
    layout.title = {m, m, W - 2 * m, u * kTitleUnits};
    top += u * kTitleUnits;
  }
  const std::size_t lines = footer_lines(figure).size() + (figure.legend.empty() ? 0 : 1);
  if (lines > 0) {
    bottom -= u * kLineUnits * static_cast<double>(lines);
    layout.footer = {m, bottom, W - 2 * m, H - m - bottom};
  }
  const double column = (has_colour_bars(figure) ? u * kBarColumnUnits : 0) +
                        (has_label_legends(figure) ? u * kLegendColumnUnits : 0);
  if (column > 0) {
    right -= column;
    layout.colour_bars = {right + m, top, column - m, bottom - top};
  }
  const PixelRect area{m, top, std::max(1.0, right - m), std::max(1.0, bottom - top)};
  const WorldBox extent = figure_extent(figure);
  std::vector<SliceAxis> axes;
  std::vector<double> positions;
  std::vector<PixelRect> boxes;
  if (figure.mode == SlicesMode::mosaic) {
    positions = figure.mosaic.positions();
    axes.assign(positions.size(), figure.mosaic.axis);
    const double aspect =
        view_width_mm(figure.mosaic.axis, extent) / view_height_mm(figure.mosaic.axis, extent);
    const int columns = figure.width > 0 ? best_columns(static_cast<int>(positions.size()),
                                                        area.width, area.height, aspect)
                                         : default_mosaic_columns(positions.size());
    boxes = grid_of_views(figure.mosaic.axis, positions.size(), columns, extent, area, u * 0.3);
  } else {
    axes = {SliceAxis::sagittal, SliceAxis::coronal, SliceAxis::axial};
    positions = {figure.cut.x, figure.cut.y, figure.cut.z};
    boxes = row_of_views(axes, extent, area, u * 0.6);
  }
  for (std::size_t n = 0; n < axes.size(); ++n) {
    layout.views.push_back({axes[n], positions[n], boxes[n], extent, figure.radiological});
  }
  return layout;
}

RgbImage draw_slices(const SlicesFigure& figure) {
  const SlicesLayout layout = lay_out_slices(figure);
  if (layout.width < 64 || layout.height < 64 || layout.width > 8192 || layout.height > 8192) {
    throw usage_error("figure size must be from 64x64 to 8192x8192 pixels");
  }
  RgbImage image(layout.width, layout.height, paper(figure));
  const double u = layout.unit;
  if (!figure.title.empty()) {
    const auto [title, style] =
        fitted(figure.title, {u * 1.4, ink(figure), true}, layout.title.width);
    draw_text(image, title, layout.width / 2.0, layout.title.y, style, Align::centre);
  }
  ShownLabels shown(figure.overlays.size());
  if (figure.mode == SlicesMode::glass) {
    for (const auto& view : layout.views) {
      draw_glass_view(image, figure, view, u, shown);
      const std::string left = view.left_mark(), right = view.right_mark();
      const TextStyle mark{u * 1.05, ink(figure), true};
      if (!left.empty()) {
        draw_text(image, left, view.box.x + u * 0.2, view.box.y + u * 0.2, mark);
        draw_text(image, right, view.box.x + view.box.width - u * 0.2, view.box.y + u * 0.2, mark,
                  Align::end);
      }
    }
  } else {
    const double white = white_level(*figure.anatomy);
    for (std::size_t n = 0; n < layout.views.size(); ++n) {
      const SliceView& view = layout.views[n];
      draw_slice(image, figure, view, white, shown);
      // Mosaics mark sides on the first slice only: the rest follow it.
      draw_slice_marks(image, figure, view, u, figure.mode == SlicesMode::ortho,
                       figure.mode == SlicesMode::ortho || n == 0);
    }
  }
  if (layout.colour_bars.width > 0) {
    const std::size_t count = figure.overlays.size();
    const double h = layout.colour_bars.height / static_cast<double>(count);
    for (std::size_t n = 0; n < count; ++n) {
      const PixelRect area{layout.colour_bars.x, layout.colour_bars.y + h * n,
                           layout.colour_bars.width, h - u * 0.5};
      if (figure.overlays[n].labels.empty()) {
        draw_colour_bar(image, figure, figure.overlays[n], area, u);
      } else {
        draw_label_legend(image, figure, figure.overlays[n], shown[n], area, u);
      }
    }
  }
  draw_footer(image, figure, layout);
  return image;
}

void write_slices_figure(const SlicesFigure& figure, const std::string& png_path, bool overwrite) {
  check_can_write(png_path, overwrite);
  const RgbImage image = draw_slices(figure);
  write_file_atomically(png_path, image_png(image, figure.dpi), overwrite);
}

}  // namespace foci
