#include "app/figure_options.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/error.hpp"
#include "core/text.hpp"

namespace foci {

namespace {

constexpr int kMinimumSide = 64, kMaximumSide = 8192;
constexpr int kMinimumDpi = 30, kMaximumDpi = 2400;

/// One of `words`, or a usage error that lists them and suggests the nearest.
std::string one_of(const std::string& text, const std::vector<std::string>& words) {
  if (std::find(words.begin(), words.end(), text) != words.end()) return text;
  std::string message = "expected " + join(words, ", ") + "; got '" + text + "'";
  const auto near = closest_matches(text, words, 1);
  if (!near.empty()) message += "; did you mean '" + near.front() + "'?";
  throw usage_error(message);
}

std::vector<std::string> style_words() {
  const std::vector<std::string> words{"glass", "opaque"};
  return words;
}
std::vector<std::string> region_words() {
  const std::vector<std::string> words{"surface", "node"};
  return words;
}
std::vector<std::string> coarse_words() {
  const std::vector<std::string> words{"tint", "outline", "omit"};
  return words;
}
std::vector<std::string> overlay_style_words() {
  const std::vector<std::string> words{"surface", "blobs"};
  return words;
}
std::vector<std::string> colormap_words() {
  std::vector<std::string> words{"auto"};
  for (auto& name : overlay_colormap_names()) words.push_back(std::move(name));
  return words;
}
constexpr int kMaximumClusterMin = 1000000;

/// A finite number, or a usage error saying what `key` expects.
double number_of(const std::string& text, const std::string& expected) {
  const auto value = parse_finite_double(text);
  if (!value) {
    throw usage_error("expected " + expected + "; got '" + text + "'");
  }
  return *value;
}

std::vector<std::string> colour_words() {
  const std::vector<std::string> words{"direction", "measure", "value"};
  return words;
}

std::vector<std::string> format_words() {
  const std::vector<std::string> words{"png", "tiff", "pdf", "svg", "html"};
  return words;
}

std::string views_text(const std::vector<View>& views) {
  std::vector<std::string> names;
  for (const View v : views) names.push_back(to_string(v));
  return join(names, ",");
}

}  // namespace

std::vector<std::string> default_atlases() { return {"aal", "jhu-wm"}; }

std::vector<View> default_views() {
  return {View::left, View::dorsal, View::right, View::anterior, View::posterior, View::ventral};
}

std::vector<std::string> figure_option_keys() {
  return {"size",       "dpi",           "style",         "regions",     "colour_by", "labels",
          "views",      "overlay",       "threshold",     "cluster_min", "colormap",  "vmax",
          "projection", "overlay_style", "overlay_title", "space_ok",   "formats",   "coarse"};
}

std::string figure_option_help(const std::string& key) {
  if (key == "size") {
    return "WIDTHxHEIGHT pixels of the whole image, each from " + std::to_string(kMinimumSide) +
           " to " + std::to_string(kMaximumSide);
  }
  if (key == "dpi") {
    return "resolution recorded in the PNG, " + std::to_string(kMinimumDpi) + " to " +
           std::to_string(kMaximumDpi);
  }
  if (key == "style") return "brain: glass (translucent) or opaque";
  if (key == "regions") return "named regions as atlas surfaces, or as nodes at their placement";
  if (key == "colour_by") {
    return "colour by direction (rises red, falls blue), measure (one colour each), or value "
           "(value, else t, z or r, through a colour scale with a colour bar)";
  }
  if (key == "labels") return "label nodes (true or false)";
  if (key == "coarse") {
    return "findings on a lobe or a hemisphere: tint or outline beneath the specific regions, "
           "or omit (named in a caption line)";
  }
  if (key == "views") return "views, comma-separated: " + join(view_names(), ", ");
  if (key == "overlay") {
    return "a NIfTI map drawn on the brain, MAP.nii.gz or MAP.nii.gz:INDEX (a volume of a 4-D "
           "file, from 0); repeat for several";
  }
  if (key == "threshold") return "overlay values of magnitude below this are not drawn (>= 0)";
  if (key == "cluster_min") {
    return "overlay clusters (26-connected, per sign) of fewer voxels are not drawn (0 to " +
           std::to_string(kMaximumClusterMin) + ")";
  }
  if (key == "colormap") return "overlay colours: " + join(colormap_words(), ", ");
  if (key == "vmax") return "overlay value at the top of the colour scale (> 0)";
  if (key == "projection") {
    return "overlay onto the surface, over 0-6 mm below it: " +
           join(overlay_projection_names(), ", ");
  }
  if (key == "overlay_style") {
    return "overlay projected on the brain surface, or drawn as blobs (isosurfaces) inside it";
  }
  if (key == "overlay_title") return "colour bar title of the overlay";
  if (key == "space_ok") return "draw a map whose header says Talairach (true or false)";
  if (key == "formats") {
    return "what a batch writes, comma-separated: png, tiff, pdf, svg (the figure, as foci "
           "render -o NAME.EXT writes it), html (the page foci web writes)";
  }
  return "";
}

std::string figure_option_default(const std::string& key) {
  const FigureOptions defaults;
  if (key == "size") {
    return std::to_string(defaults.width) + "x" + std::to_string(defaults.height);
  }
  if (key == "dpi") return std::to_string(defaults.dpi);
  if (key == "style") return style_words()[defaults.style == BrainStyle::glass ? 0 : 1];
  if (key == "regions") return region_words()[static_cast<int>(defaults.scene.regions)];
  if (key == "colour_by") return colour_words()[static_cast<int>(defaults.scene.colour_by)];
  if (key == "labels") return defaults.scene.labels ? "true" : "false";
  if (key == "coarse") return coarse_words()[static_cast<int>(defaults.scene.coarse)];
  if (key == "views") return views_text(defaults.views);
  if (key == "overlay") return "none";
  if (key == "threshold") return "0";
  if (key == "cluster_min") return std::to_string(defaults.overlay.cluster_min);
  if (key == "colormap") return defaults.overlay.colormap;
  if (key == "vmax") return "the largest magnitude drawn";
  if (key == "projection") return to_string(defaults.overlay.projection);
  if (key == "overlay_style") {
    return overlay_style_words()[static_cast<int>(defaults.overlay.style)];
  }
  if (key == "overlay_title") return "the map's file name";
  if (key == "space_ok") return defaults.overlay.space_ok ? "true" : "false";
  if (key == "formats") return join(defaults.formats, ",");
  return "";
}

std::vector<View> parse_view_list(const std::string& text) {
  std::string spaced = text;
  std::replace(spaced.begin(), spaced.end(), ',', ' ');
  std::vector<View> views;
  for (const auto& word : split_whitespace(spaced)) {
    const auto v = parse_view(word);
    if (!v) {
      std::string message = "unknown view '" + word + "'";
      const auto near = closest_matches(word, view_names(), 1);
      if (!near.empty()) message += "; did you mean '" + near.front() + "'?";
      throw usage_error(message + " (views: " + join(view_names(), ", ") + ")");
    }
    views.push_back(*v);
  }
  if (views.empty()) throw usage_error("names no view (views: " + join(view_names(), ", ") + ")");
  return views;
}

void set_figure_option(FigureOptions& options, const std::string& key, const std::string& text) {
  if (key == "size") {
    const auto x = text.find('x');
    const auto w = x == std::string::npos ? std::nullopt : parse_integer(text.substr(0, x));
    const auto h = x == std::string::npos ? std::nullopt : parse_integer(text.substr(x + 1));
    if (!w || !h || *w < kMinimumSide || *h < kMinimumSide || *w > kMaximumSide ||
        *h > kMaximumSide) {
      throw usage_error("expected " + figure_option_help("size") + "; got '" + text + "'");
    }
    options.width = static_cast<int>(*w);
    options.height = static_cast<int>(*h);
  } else if (key == "dpi") {
    const auto dpi = parse_integer(text);
    if (!dpi || *dpi < kMinimumDpi || *dpi > kMaximumDpi) {
      throw usage_error("expected a whole number from " + std::to_string(kMinimumDpi) + " to " +
                        std::to_string(kMaximumDpi) + "; got '" + text + "'");
    }
    options.dpi = static_cast<int>(*dpi);
  } else if (key == "style") {
    options.style =
        one_of(text, style_words()) == "opaque" ? BrainStyle::opaque : BrainStyle::glass;
  } else if (key == "regions") {
    options.scene.regions =
        one_of(text, region_words()) == "node" ? RegionStyle::node : RegionStyle::surface;
  } else if (key == "colour_by") {
    const std::string c = one_of(text, colour_words());
    options.scene.colour_by = c == "measure" ? ColourBy::measure
                              : c == "value" ? ColourBy::value
                                             : ColourBy::direction;
  } else if (key == "labels") {
    options.scene.labels = one_of(text, {"true", "false"}) == "true";
  } else if (key == "coarse") {
    const std::string c = one_of(text, coarse_words());
    options.scene.coarse = c == "outline" ? CoarseStyle::outline
                           : c == "omit"  ? CoarseStyle::omit
                                          : CoarseStyle::tint;
  } else if (key == "views") {
    options.views = parse_view_list(text);
  } else if (key == "overlay") {
    if (text.empty()) throw usage_error("expected a NIfTI map; got ''");
    options.overlay.maps.push_back(parse_overlay_source(text));
  } else if (key == "threshold") {
    const double t = number_of(text, "a number >= 0");
    if (t < 0) throw usage_error("expected a number >= 0; got '" + text + "'");
    options.overlay.threshold = t;
  } else if (key == "cluster_min") {
    const auto n = parse_integer(text);
    if (!n || *n < 0 || *n > kMaximumClusterMin) {
      throw usage_error("expected a whole number from 0 to " + std::to_string(kMaximumClusterMin) +
                        "; got '" + text + "'");
    }
    options.overlay.cluster_min = static_cast<int>(*n);
  } else if (key == "colormap") {
    options.overlay.colormap = one_of(text, colormap_words());
  } else if (key == "vmax") {
    const double v = number_of(text, "a number > 0");
    if (!(v > 0)) throw usage_error("expected a number > 0; got '" + text + "'");
    options.overlay.vmax = v;
  } else if (key == "projection") {
    const std::string p = one_of(text, overlay_projection_names());
    for (const auto candidate : {OverlayProjection::extremum, OverlayProjection::nearest,
                                 OverlayProjection::average, OverlayProjection::trilinear}) {
      if (to_string(candidate) == p) options.overlay.projection = candidate;
    }
  } else if (key == "overlay_style") {
    options.overlay.style = one_of(text, overlay_style_words()) == "blobs" ? OverlayStyle::blobs
                                                                           : OverlayStyle::surface;
  } else if (key == "overlay_title") {
    options.overlay.title = text;
  } else if (key == "space_ok") {
    options.overlay.space_ok = one_of(text, {"true", "false"}) == "true";
  } else if (key == "formats") {
    std::string spaced = text;
    std::replace(spaced.begin(), spaced.end(), ',', ' ');
    std::set<std::string> chosen;
    for (const auto& word : split_whitespace(spaced)) chosen.insert(one_of(word, format_words()));
    if (chosen.empty()) throw usage_error("names no format (formats: " + join(format_words(), ", ") + ")");
    // In a fixed order, so the same formats in any order mean the same figure.
    options.formats.clear();
    for (const auto& word : format_words()) {
      if (chosen.count(word)) options.formats.push_back(word);
    }
  } else {
    throw usage_error("unknown figure option '" + key +
                      "' (options: " + join(figure_option_keys(), ", ") + ")");
  }
}

Figure empty_figure(const FigureOptions& options, const std::string& title) {
  Figure figure;
  figure.width = options.width;
  figure.height = options.height;
  figure.dpi = options.dpi;
  figure.style = options.style;
  figure.transparent_background = options.transparent_background;
  figure.title = title;
  return figure;
}

}  // namespace foci
