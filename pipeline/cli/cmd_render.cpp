// foci render: a publication figure of findings on a 3D brain, several views in one PNG.
#include <chrono>
#include <map>

#include "app/display.hpp"
#include "app/figure_inputs.hpp"
#include "app/figure_options.hpp"
#include "cli/commands.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"
#include "render/render.hpp"

namespace foci {

namespace {

struct RenderOptions {
  std::vector<std::string> files;
  std::string out;
  std::vector<std::string> atlases = default_atlases();
  /// Figure options as written, by figure_options key; only those given are set.
  std::map<std::string, std::string> figure;
  bool labels = false;
  bool transparent = false;
  bool force = false;
  std::vector<std::string> filters;
  std::vector<std::string> panels;
  std::string title;
  std::string figure_title;
};

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void run_render(const RenderOptions& options, CommandContext& context) {
  const auto start = std::chrono::steady_clock::now();
  FigureOptions figure_options;
  for (const auto& [key, text] : options.figure) {
    try {
      set_figure_option(figure_options, key, text);
    } catch (Error& e) {
      std::string option = "--" + key;
      for (char& c : option) c = c == '_' ? '-' : c;
      throw usage_error(option + ": " + e.lines().back());
    }
  }
  figure_options.scene.labels = options.labels;
  figure_options.transparent_background = options.transparent;
  FindingFilter filter;
  for (const auto& f : options.filters) add_filter_conditions(filter, f);
  // Panels: "TITLE|CONDITIONS" each, lettered a, b, c ...; without any, one panel.
  std::vector<PanelRequest> panel_requests;
  for (const auto& text : options.panels) {
    const auto bar = text.find('|');
    PanelRequest request{text.substr(0, bar), filter, figure_options.views};
    if (bar != std::string::npos) add_filter_conditions(request.filter, text.substr(bar + 1));
    panel_requests.push_back(std::move(request));
  }
  if (panel_requests.empty())
    panel_requests.push_back({options.title, filter, figure_options.views});

  // Refused before any work: a figure never replaces an input (--force or not), nor any other
  // file without --force.
  refuse_input_as_output(options.out, options.files);
  check_can_write(options.out, options.force);

  const auto inputs = load_figure_inputs(options.files, options.atlases);
  if (context.verbose) {
    *context.log << "foci: inputs read and mapped in " << seconds_since(start) << " s\n";
  }
  Figure figure = empty_figure(figure_options, options.figure_title);
  for (const auto& warning : add_panels(figure, *inputs, panel_requests, figure_options.scene)) {
    *context.log << "foci: [WARNING] " << warning << "\n";
  }
  for (const auto& u : inputs->mapped.unmapped) {
    *context.log << "foci: [WARNING] not drawn: " << u.input.file << ": " << u.input.finding->id
                 << ": " << u.reason << "\n";
  }

  HeadlessDisplay display(context.verbose ? context.log : nullptr);
  render_figure(figure, render_settings(*inputs, context.log, context.verbose), options.out,
                options.force);
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
  cmd->add_flag("--force", options->force,
                "Overwrite the PNG if it exists (never one of the input files)");
  cmd->add_option("--atlas", options->atlases, "Atlases that place named regions, in order")
      ->delimiter(',')
      ->capture_default_str();
  // The figure options share their parser, help and defaults with figure specs.
  for (const std::string key : {"views", "size", "style", "regions", "colour_by", "dpi"}) {
    std::string name = "--" + key;
    for (char& c : name) c = c == '_' ? '-' : c;
    cmd->add_option_function<std::string>(
           name, [options, key](const std::string& text) { options->figure[key] = text; },
           figure_option_help(key) + " [default: " + figure_option_default(key) + "]")
        ->type_name("TEXT");
  }
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
  cmd->add_flag("--transparent", options->transparent, "Transparent background");
  cmd->callback([options, &context] { run_render(*options, context); });
}

}  // namespace foci
