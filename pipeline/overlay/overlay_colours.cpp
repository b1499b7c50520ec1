// Colours of overlay values. Diverging colormaps colour each sign on its own ramp starting at
// the threshold, as FSL and BrainNet Viewer do, so the weakest value shown is still clearly
// red or blue rather than the near-black middle of a continuous diverging map.
#include <algorithm>
#include <cmath>

#include "core/error.hpp"
#include "core/text.hpp"
#include "overlay/overlay_map.hpp"

namespace foci {

namespace {

using Rgb8 = std::array<std::uint8_t, 3>;

struct NamedColormap {
  const char* name;
  bool diverging;
  std::vector<Rgb8> positive;  ///< diverging: positive values; sequential: the whole ramp
  std::vector<Rgb8> negative;  ///< diverging only
};

std::vector<NamedColormap> colormaps() {
  return {
      {"cold_hot",
       true,
       {{200, 0, 0}, {255, 110, 0}, {255, 230, 40}},
       {{0, 40, 220}, {0, 140, 255}, {60, 230, 255}}},
      {"red_blue",
       true,
       {{230, 120, 110}, {200, 30, 30}, {120, 0, 0}},
       {{110, 150, 230}, {30, 70, 200}, {0, 20, 110}}},
      {"hot", false, {{160, 0, 0}, {230, 40, 0}, {255, 150, 0}, {255, 240, 60}}, {}},
      {"cold", false, {{0, 30, 160}, {0, 100, 240}, {40, 190, 255}, {150, 250, 255}}, {}},
      {"viridis",
       false,
       {{68, 1, 84}, {59, 82, 139}, {33, 145, 140}, {94, 201, 98}, {253, 231, 37}},
       {}},
  };
}

/// Evenly spaced stops, linear in between; `t` clamped to 0..1.
Rgb8 along(const std::vector<Rgb8>& ramp, double t) {
  t = std::clamp(t, 0.0, 1.0);
  const double at = t * static_cast<double>(ramp.size() - 1);
  const std::size_t low = std::min(static_cast<std::size_t>(at), ramp.size() - 2);
  const double f = at - static_cast<double>(low);
  Rgb8 out;
  for (int c = 0; c < 3; ++c) {
    out[c] = static_cast<std::uint8_t>(std::lround(ramp[low][c] * (1 - f) + ramp[low + 1][c] * f));
  }
  return out;
}

/// Distinct colours for labels, in order of value; they repeat after the last.
std::vector<Rgb8> label_palette() {
  return {{230, 25, 75},   {60, 180, 75},   {0, 130, 200},  {245, 130, 48},  {145, 30, 180},
          {70, 240, 240},  {240, 50, 230},  {210, 245, 60}, {250, 190, 212}, {0, 128, 128},
          {220, 190, 255}, {170, 110, 40},  {255, 225, 25}, {128, 0, 0},     {170, 255, 195},
          {128, 128, 0},   {255, 215, 180}, {0, 0, 128},    {128, 128, 128}, {90, 60, 200}};
}

}  // namespace

std::vector<std::string> overlay_colormap_names() {
  std::vector<std::string> names;
  for (const auto& c : colormaps()) names.emplace_back(c.name);
  return names;
}

OverlayColours overlay_colours(const OverlayMap& map, const std::string& colormap, double threshold,
                               std::optional<double> vmax) {
  OverlayColours out;
  out.kind = map.kind;
  out.title = map.title;
  out.threshold = std::max(0.0, threshold);
  double largest = 0, largest_kept = 0;
  for (float v : map.values) {
    if (!std::isfinite(v)) continue;
    largest = std::max(largest, static_cast<double>(std::abs(v)));
    if (std::abs(v) >= out.threshold && v != 0) {
      largest_kept = std::max(largest_kept, static_cast<double>(std::abs(v)));
    }
  }
  out.largest_magnitude = std::max({largest, std::abs(static_cast<double>(map.min_value)),
                                    std::abs(static_cast<double>(map.max_value))});
  out.nothing_above_threshold = largest_kept == 0;

  if (map.kind == OverlayKind::labels) {
    out.colormap = "labels";
    out.threshold = 0;
    out.nothing_above_threshold = map.label_names.empty();
    const auto palette = label_palette();
    std::size_t n = 0;
    for (const auto& [value, name] : map.label_names) {
      const Rgb8& c = palette[n++ % palette.size()];
      out.labels.push_back({value, name, {c[0], c[1], c[2], 255}});
    }
    return out;
  }

  if (vmax && !(*vmax > 0)) throw usage_error("--vmax must be above 0");
  out.vmax = vmax ? *vmax : (largest_kept > 0 ? largest_kept : std::max(out.threshold, 1.0));
  std::string name = colormap;
  if (name.empty() || name == "auto") {
    name = map.kind == OverlayKind::signed_values ? "cold_hot"
           : map.kind == OverlayKind::positive    ? "hot"
                                                  : "cold";
  }
  const auto all = colormaps();
  const auto found =
      std::find_if(all.begin(), all.end(), [&](const NamedColormap& c) { return name == c.name; });
  if (found == all.end()) {
    throw usage_error("unknown colormap '" + name + "'; use auto or one of " +
                      join(overlay_colormap_names(), ", "));
  }
  out.colormap = name;
  out.diverging = found->diverging;
  out.positive_ramp = found->positive;
  out.negative_ramp = found->negative;
  switch (map.kind) {
    case OverlayKind::positive:
      out.bar_minimum = out.threshold;
      out.bar_maximum = out.vmax;
      break;
    case OverlayKind::negative:
      out.bar_minimum = -out.vmax;
      out.bar_maximum = -out.threshold;
      break;
    default:
      out.bar_minimum = -out.vmax;
      out.bar_maximum = out.vmax;
  }
  return out;
}

Rgba8 OverlayColours::colour_of(double value) const {
  constexpr Rgba8 kNone{0, 0, 0, 0};
  if (!std::isfinite(value) || value == 0) return kNone;
  if (kind == OverlayKind::labels) {
    const int label = static_cast<int>(std::lround(value));
    const auto it =
        std::lower_bound(labels.begin(), labels.end(), label,
                         [](const OverlayLabelColour& l, int v) { return l.value < v; });
    return it != labels.end() && it->value == label ? it->colour : kNone;
  }
  const double magnitude = std::abs(value);
  if (magnitude < threshold || positive_ramp.empty()) return kNone;
  Rgb8 rgb;
  if (diverging) {
    // From the threshold (ramp start) to vmax (ramp end), each sign on its own ramp.
    const double span = vmax - threshold;
    const double t = span > 0 ? (magnitude - threshold) / span : 1.0;
    rgb = along(value > 0 ? positive_ramp : negative_ramp, t);
  } else if (kind == OverlayKind::signed_values) {
    rgb = along(positive_ramp, (value + vmax) / (2 * vmax));
  } else {
    const double span = vmax - threshold;
    const double t = span > 0 ? (magnitude - threshold) / span : 1.0;
    rgb = along(positive_ramp, t);  // by magnitude, for negative maps too
  }
  return {rgb[0], rgb[1], rgb[2], 255};
}

}  // namespace foci
