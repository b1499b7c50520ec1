#include "slices/slice_geometry.hpp"

#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/text.hpp"

namespace foci {

std::string to_string(SliceAxis axis) {
  switch (axis) {
    case SliceAxis::sagittal:
      return "sagittal";
    case SliceAxis::coronal:
      return "coronal";
    case SliceAxis::axial:
      return "axial";
  }
  return "axial";
}

std::string axis_letter(SliceAxis axis) {
  return axis == SliceAxis::sagittal ? "x" : axis == SliceAxis::coronal ? "y" : "z";
}

namespace {

/// The world axes (0 x, 1 y, 2 z) a view shows horizontally and vertically.
std::array<int, 2> in_plane_axes(SliceAxis axis) {
  switch (axis) {
    case SliceAxis::sagittal:
      return {1, 2};
    case SliceAxis::coronal:
      return {0, 2};
    case SliceAxis::axial:
      return {0, 1};
  }
  return {0, 1};
}

int depth_axis(SliceAxis axis) {
  return axis == SliceAxis::sagittal ? 0 : axis == SliceAxis::coronal ? 1 : 2;
}

double& component(Vec3& v, int axis) { return axis == 0 ? v.x : axis == 1 ? v.y : v.z; }
double component(const Vec3& v, int axis) { return axis == 0 ? v.x : axis == 1 ? v.y : v.z; }

}  // namespace

WorldBox world_box_of_voxels(const Affine& voxel_to_world, const std::array<int, 3>& lo,
                             const std::array<int, 3>& hi) {
  WorldBox box{{1e9, 1e9, 1e9}, {-1e9, -1e9, -1e9}};
  for (int c = 0; c < 8; ++c) {
    const Vec3 w = voxel_to_world.apply({(c & 1) ? hi[0] + 0.5 : lo[0] - 0.5,
                                         (c & 2) ? hi[1] + 0.5 : lo[1] - 0.5,
                                         (c & 4) ? hi[2] + 0.5 : lo[2] - 0.5});
    box.min = {std::min(box.min.x, w.x), std::min(box.min.y, w.y), std::min(box.min.z, w.z)};
    box.max = {std::max(box.max.x, w.x), std::max(box.max.y, w.y), std::max(box.max.z, w.z)};
  }
  return box;
}

double view_width_mm(SliceAxis axis, const WorldBox& box) {
  const int h = in_plane_axes(axis)[0];
  return component(box.max, h) - component(box.min, h);
}

double view_height_mm(SliceAxis axis, const WorldBox& box) {
  const int v = in_plane_axes(axis)[1];
  return component(box.max, v) - component(box.min, v);
}

namespace {

bool flips(const SliceView& view) { return view.radiological && view.axis != SliceAxis::sagittal; }

}  // namespace

double SliceView::scale() const { return box.width / view_width_mm(axis, extent); }

Vec3 SliceView::world_at(double x, double y) const {
  const auto [h, v] = in_plane_axes(axis);
  const double s = scale();
  Vec3 world;
  const double across = (x - box.x) / s;
  component(world, h) =
      flips(*this) ? component(extent.max, h) - across : component(extent.min, h) + across;
  component(world, v) = component(extent.max, v) - (y - box.y) / s;
  component(world, depth_axis(axis)) = position;
  return world;
}

std::array<double, 2> SliceView::pixel_of(Vec3 world) const {
  const auto [h, v] = in_plane_axes(axis);
  const double s = scale();
  const double across = flips(*this) ? component(extent.max, h) - component(world, h)
                                     : component(world, h) - component(extent.min, h);
  return {box.x + across * s, box.y + (component(extent.max, v) - component(world, v)) * s};
}

std::string SliceView::left_mark() const {
  if (axis == SliceAxis::sagittal) return "";
  return flips(*this) ? "R" : "L";
}

std::string SliceView::right_mark() const {
  if (axis == SliceAxis::sagittal) return "";
  return flips(*this) ? "L" : "R";
}

std::vector<double> MosaicSpec::positions() const {
  std::vector<double> out;
  const auto n = static_cast<long>(std::floor((to - from) / step + 1e-9)) + 1;
  for (long k = 0; k < n; ++k) out.push_back(from + step * static_cast<double>(k));
  return out;
}

namespace {

std::vector<std::string> split_at(const std::string& text, char separator) {
  std::vector<std::string> parts(1);
  for (const char c : text) {
    if (c == separator) {
      parts.emplace_back();
    } else {
      parts.back() += c;
    }
  }
  return parts;
}

double parse_mm(const std::string& word, const std::string& what, const std::string& whole) {
  const std::string w(trim(word));
  std::size_t used = 0;
  double value = 0;
  try {
    value = std::stod(w, &used);
  } catch (const std::exception&) {
    used = 0;
  }
  if (w.empty() || used != w.size() || !std::isfinite(value) || std::abs(value) > 1000) {
    throw usage_error("'" + whole + "': " + what +
                      " must be a number of mm from -1000 to 1000, got '" + w + "'");
  }
  return value;
}

}  // namespace

MosaicSpec parse_mosaic_spec(const std::string& text) {
  const auto parts = split_at(text, ':');
  if (parts.size() != 4) {
    throw usage_error("'" + text +
                      "': expected AXIS:FROM:TO:STEP, e.g. axial:-40:60:10 (AXIS: axial, "
                      "coronal or sagittal)");
  }
  MosaicSpec spec;
  const std::string axis = to_lower(std::string(trim(parts[0])));
  if (axis == "axial" || axis == "z") {
    spec.axis = SliceAxis::axial;
  } else if (axis == "coronal" || axis == "y") {
    spec.axis = SliceAxis::coronal;
  } else if (axis == "sagittal" || axis == "x") {
    spec.axis = SliceAxis::sagittal;
  } else {
    throw usage_error("'" + text + "': the axis must be axial, coronal or sagittal, got '" +
                      parts[0] + "'");
  }
  spec.from = parse_mm(parts[1], "FROM", text);
  spec.to = parse_mm(parts[2], "TO", text);
  spec.step = parse_mm(parts[3], "STEP", text);
  if (spec.step <= 0) throw usage_error("'" + text + "': STEP must be above 0 mm");
  if (spec.to < spec.from) throw usage_error("'" + text + "': TO must not be below FROM");
  if ((spec.to - spec.from) / spec.step + 1 > kMaxMosaicSlices) {
    throw usage_error("'" + text + "': more than " + std::to_string(kMaxMosaicSlices) +
                      " slices; take a larger STEP");
  }
  return spec;
}

Vec3 parse_cut_coords(const std::string& text) {
  const auto parts = split_at(text, ',');
  if (parts.size() != 3) throw usage_error("'" + text + "': expected X,Y,Z in mm, e.g. -40,-20,50");
  return {parse_mm(parts[0], "X", text), parse_mm(parts[1], "Y", text),
          parse_mm(parts[2], "Z", text)};
}

std::vector<PixelRect> row_of_views(const std::vector<SliceAxis>& axes, const WorldBox& extent,
                                    const PixelRect& area, double gap) {
  double total_mm = 0, tallest_mm = 0;
  for (const SliceAxis a : axes) {
    total_mm += view_width_mm(a, extent);
    tallest_mm = std::max(tallest_mm, view_height_mm(a, extent));
  }
  const double free_width = area.width - gap * (static_cast<double>(axes.size()) - 1);
  const double scale = std::max(0.0, std::min(free_width / total_mm, area.height / tallest_mm));
  std::vector<PixelRect> out;
  double x = area.x + (free_width - total_mm * scale) / 2;
  for (const SliceAxis a : axes) {
    const double w = view_width_mm(a, extent) * scale, h = view_height_mm(a, extent) * scale;
    out.push_back({x, area.y + (area.height - h) / 2, w, h});
    x += w + gap;
  }
  return out;
}

std::vector<PixelRect> grid_of_views(SliceAxis axis, std::size_t count, int columns,
                                     const WorldBox& extent, const PixelRect& area, double gap) {
  const int cols = std::max(1, columns);
  const int rows = static_cast<int>((count + cols - 1) / cols);
  const double w_mm = view_width_mm(axis, extent), h_mm = view_height_mm(axis, extent);
  const double scale = std::max(0.0, std::min((area.width - gap * (cols - 1)) / cols / w_mm,
                                              (area.height - gap * (rows - 1)) / rows / h_mm));
  const double w = w_mm * scale, h = h_mm * scale;
  const double x0 = area.x + (area.width - cols * w - gap * (cols - 1)) / 2;
  const double y0 = area.y + (area.height - rows * h - gap * (rows - 1)) / 2;
  std::vector<PixelRect> out;
  for (std::size_t n = 0; n < count; ++n) {
    const int r = static_cast<int>(n) / cols, c = static_cast<int>(n) % cols;
    out.push_back({x0 + c * (w + gap), y0 + r * (h + gap), w, h});
  }
  return out;
}

}  // namespace foci
