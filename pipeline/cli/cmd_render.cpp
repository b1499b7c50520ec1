// foci render: a publication figure of findings on a 3D brain, several views in one PNG.
#include <chrono>
#include <filesystem>

#include "atlas/atlas.hpp"
#include "atlas/lexicon.hpp"
#include "atlas/nifti_io.hpp"
#include "cli/commands.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "findings/findings_json.hpp"
#include "mapping/mapping.hpp"
#include "render/figure_inputs.hpp"
#include "render/render.hpp"
#include "render/scene_from_mapping.hpp"

namespace foci {

namespace {

const char* const kDefaultViews = "left,dorsal,right,anterior,posterior,ventral";
const char* const kDefaultSize = "1600x1200";

struct RenderOptions {
  std::vector<std::string> files;
  std::string out;
  std::vector<std::string> atlases{"aal", "jhu-wm"};
  std::string views = kDefaultViews;
  std::string size = kDefaultSize;
  std::string style = "glass";
  std::string regions = "surface";
  std::string colour_by = "direction";
  bool labels = false;
  std::vector<std::string> filters;
  std::vector<std::string> panels;
  std::string title;
  std::string figure_title;
  int dpi = 300;
  bool transparent = false;
};

std::pair<int, int> parse_size(const std::string& text) {
  const auto x = text.find('x');
  const auto w = x == std::string::npos ? std::nullopt : parse_integer(text.substr(0, x));
  const auto h = x == std::string::npos ? std::nullopt : parse_integer(text.substr(x + 1));
  if (!w || !h || *w < 64 || *h < 64 || *w > 8192 || *h > 8192) {
    throw usage_error("--size must be WIDTHxHEIGHT in pixels, each from 64 to 8192; got '" + text +
                      "'");
  }
  return {static_cast<int>(*w), static_cast<int>(*h)};
}

std::vector<View> parse_views(const std::string& text) {
  std::vector<View> views;
  for (const auto& word : split_whitespace([&] {
         std::string t = text;
         for (char& c : t) {
           if (c == ',') c = ' ';
         }
         return t;
       }())) {
    const auto v = parse_view(word);
    if (!v) {
      std::string message = "unknown view '" + word + "'";
      const auto near = closest_matches(word, view_names(), 1);
      if (!near.empty()) message += "; did you mean '" + near.front() + "'?";
      std::string all;
      for (const auto& n : view_names()) all += (all.empty() ? "" : ", ") + n;
      throw usage_error(message + " (views: " + all + ")");
    }
    views.push_back(*v);
  }
  if (views.empty()) throw usage_error("--views names no view");
  return views;
}

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void run_render(const RenderOptions& options, CommandContext& context) {
  const auto start = std::chrono::steady_clock::now();
  Figure figure;
  std::tie(figure.width, figure.height) = parse_size(options.size);
  figure.style = options.style == "opaque" ? BrainStyle::opaque : BrainStyle::glass;
  figure.dpi = options.dpi;
  figure.transparent_background = options.transparent;
  const std::vector<View> views = parse_views(options.views);
  FindingFilter filter;
  for (const auto& f : options.filters) add_filter_conditions(filter, f);
  // Panels: "TITLE|CONDITIONS" each, lettered a, b, c ...; without any, one panel.

  std::vector<PanelRequest> panel_requests;
  for (const auto& text : options.panels) {
    const auto bar = text.find('|');
    PanelRequest request{text.substr(0, bar), filter, {}};
    if (bar != std::string::npos) add_filter_conditions(request.filter, text.substr(bar + 1));
    panel_requests.push_back(std::move(request));
  }
  if (panel_requests.empty()) panel_requests.push_back({options.title, filter, {}});
  figure.title = options.figure_title;

  const auto inputs = load_figure_inputs(options.files, options.atlases);
  if (context.verbose) {
    *context.log << "foci: inputs read and mapped in " << seconds_since(start) << " s\n";
  }
  SceneOptions scene;
  scene.regions = options.regions == "node" ? RegionStyle::node : RegionStyle::surface;
  scene.colour_by = options.colour_by == "measure" ? ColourBy::measure
                    : options.colour_by == "value" ? ColourBy::value
                                                   : ColourBy::direction;
  scene.labels = options.labels;
  for (auto& request : panel_requests) request.views = views;
  for (const auto& warning : add_panels(figure, *inputs, panel_requests, scene)) {
    *context.log << "foci: [WARNING] " << warning << "\n";
  }
  for (const auto& u : inputs->mapped.unmapped) {
    *context.log << "foci: [WARNING] not drawn: " << u.input.file << ": " << u.input.finding->id
                 << ": " << u.reason << "\n";
  }

  HeadlessDisplay display(context.verbose ? context.log : nullptr);
  RenderSettings settings;
  settings.brain = &inputs->brain;
  settings.brain_key = inputs->brain_key;
  settings.cache_directory = default_cache_directory();
  settings.log = context.log;
  settings.verbose = context.verbose;
  render_figure(figure, settings, options.out);
  if (context.verbose) {
    *context.log << "foci: wrote " << options.out << " after " << seconds_since(start) << " s\n";
  }
}

}  // namespace

void add_render_command(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<RenderOptions>();
  CLI::App* cmd = app.add_subcommand(
      "render",
      "Draw findings on a 3D brain (Colin27) in one PNG: rises red, falls blue; reported\n"
      "coordinates as spheres sized by cluster volume, named regions as atlas surfaces,\n"
      "connections as tubes. Renders without a display through a private Xvfb.");
  cmd->add_option("FILE", options->files, "Findings JSON files")->required();
  cmd->add_option("-o,--out", options->out, "PNG to write")->required();
  cmd->add_option("--atlas", options->atlases, "Atlases that place named regions, in order")
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_option("--views", options->views,
                  "Views, comma-separated: left, right, dorsal, ventral, anterior, posterior, "
                  "medial-left, medial-right")
      ->capture_default_str();
  cmd->add_option("--size", options->size, "Whole image, WIDTHxHEIGHT pixels")
      ->capture_default_str();
  cmd->add_option("--style", options->style, "Brain: glass (translucent) or opaque")
      ->check(CLI::IsMember({"glass", "opaque"}))
      ->capture_default_str();
  cmd->add_option("--regions", options->regions,
                  "Named regions as atlas surfaces, or as nodes at their placement")
      ->check(CLI::IsMember({"surface", "node"}))
      ->capture_default_str();
  cmd->add_option("--colour-by", options->colour_by,
                  "Colour by direction (rises red, falls blue), measure (one colour each), or "
                  "value (value, else t, z or r, through a colour scale with a colour bar)")
      ->check(CLI::IsMember({"direction", "measure", "value"}))
      ->capture_default_str();
  cmd->add_flag("--labels", options->labels,
                "Label nodes (the region as written, else the atlas label); labels that would "
                "overlap are left out");
  cmd->add_option("--filter", options->filters,
                  "Only findings matching key=value[,key=value] (keys: measure, direction, "
                  "study, timepoint, category, network, file; a|b for alternatives)");
  cmd->add_option("--title", options->title, "Panel title (one panel)");
  cmd->add_option("--panel", options->panels,
                  "A panel, \"TITLE|key=value,...\": repeat for panels (a), (b), ... stacked "
                  "top to bottom, each with its own filter (and --filter's)");
  cmd->add_option("--figure-title", options->figure_title, "Title above all panels");
  cmd->add_option("--dpi", options->dpi, "Resolution recorded in the PNG")
      ->check(CLI::Range(30, 2400))
      ->capture_default_str();
  cmd->add_flag("--transparent", options->transparent, "Transparent background");
  cmd->callback([options, &context] { run_render(*options, context); });
}

}  // namespace foci
