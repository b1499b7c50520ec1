#include "app/figure_overlays.hpp"

#include <algorithm>

#include "core/text.hpp"

namespace foci {

namespace {

bool same_source(const OverlayMap& map, const OverlaySource& source) {
  return map.path == source.path && map.volume == source.volume;
}

Rgb to_rgb(const Rgba8& c) { return {c[0] / 255.0, c[1] / 255.0, c[2] / 255.0}; }

}  // namespace

ColourScale overlay_colour_bar(const OverlayColours& colours) {
  ColourScale bar;
  bar.minimum = colours.bar_minimum;
  bar.maximum = colours.bar_maximum;
  constexpr int kStops = 129;
  const Rgb clear{0.92, 0.92, 0.92};
  for (int n = 0; n < kStops; ++n) {
    const double value = bar.minimum + (bar.maximum - bar.minimum) * n / (kStops - 1.0);
    const Rgba8 c = colours.colour_of(value);
    bar.stops.push_back(c[3] == 0 ? clear : to_rgb(c));
  }
  bar.title = colours.title;
  if (colours.threshold > 0) {
    bar.title += " (threshold " + format_short_number(colours.threshold) + ")";
    if (colours.kind != OverlayKind::negative) bar.marks.push_back(colours.threshold);
    if (colours.kind != OverlayKind::positive) bar.marks.push_back(-colours.threshold);
  }
  return bar;
}

std::vector<OverlayMap> load_overlays(const OverlayOptions& options,
                                      const std::vector<PanelRequest>& panels) {
  std::vector<OverlayMap> maps;
  OverlayLoadOptions load;
  load.space_ok = options.space_ok;
  load.title = options.title;
  std::vector<OverlaySource> sources = options.maps;
  for (const auto& panel : panels) {
    sources.insert(sources.end(), panel.overlays.begin(), panel.overlays.end());
  }
  for (const auto& source : sources) {
    const bool loaded = std::any_of(maps.begin(), maps.end(),
                                    [&](const OverlayMap& m) { return same_source(m, source); });
    if (loaded) continue;
    maps.push_back(load_overlay(source, load));
    apply_threshold(maps.back(), options.threshold, options.cluster_min);
  }
  return maps;
}

std::vector<SceneOverlay> overlays_of_panel(const std::vector<SceneOverlay>& overlays,
                                            const PanelRequest& request) {
  std::vector<SceneOverlay> out;
  if (request.overlays.empty()) {
    for (const auto& o : overlays) {
      if (o.figure_wide) out.push_back(o);
    }
    return out;
  }
  for (const auto& source : request.overlays) {
    for (const auto& o : overlays) {
      if (o.map && same_source(*o.map, source)) out.push_back(o);
    }
  }
  return out;
}

std::vector<SceneOverlay> scene_overlays(const std::vector<OverlayMap>& maps,
                                         const OverlayOptions& options) {
  std::vector<SceneOverlay> out;
  for (const auto& map : maps) {
    SceneOverlay overlay;
    overlay.map = &map;
    overlay.colours = overlay_colours(map, options.colormap, options.threshold, options.vmax);
    overlay.projection = options.projection;
    overlay.style = options.style;
    overlay.figure_wide = std::any_of(options.maps.begin(), options.maps.end(),
                                      [&](const OverlaySource& s) { return same_source(map, s); });
    out.push_back(std::move(overlay));
  }
  return out;
}

std::vector<std::string> add_overlays_to_panel(Panel& panel,
                                               const std::vector<SceneOverlay>& overlays) {
  std::vector<std::string> warnings;
  for (const auto& overlay : overlays) {
    panel.overlays.push_back(overlay);
    const OverlayColours& colours = overlay.colours;
    if (colours.nothing_above_threshold) {
      const std::string what = colours.title + ": no value reaches the threshold " +
                               format_short_number(colours.threshold) + " (largest magnitude " +
                               format_short_number(colours.largest_magnitude) + ")";
      panel.note = panel.note.empty() ? what : panel.note + "; " + what;
      warnings.push_back("overlay " + what + "; nothing of it is drawn");
      continue;
    }
    if (colours.kind != OverlayKind::labels) {
      panel.overlay_bars.push_back(overlay_colour_bar(colours));
      continue;
    }
    // Every name; the legend draws those that fit and counts the rest.
    for (const auto& label : colours.labels) {
      panel.legend.push_back({to_rgb(label.colour), label.name});
    }
  }
  return warnings;
}

}  // namespace foci
