#include "cli/figure_command.hpp"

#include "app/figure_overlays.hpp"
#include "core/error.hpp"

namespace foci {

namespace {

std::string option_name(const std::string& key) {
  std::string name = "--" + key;
  for (char& c : name) c = c == '_' ? '-' : c;
  return name;
}

/// Declares `--KEY TEXT` for each figure option key, its help and default those of figure
/// specs.
void add_key_options(CLI::App* cmd, const std::shared_ptr<FigureCommandOptions>& options,
                     const std::vector<std::string>& keys) {
  for (const std::string& key : keys) {
    cmd->add_option_function<std::string>(
           option_name(key),
           [options, key](const std::string& text) { options->figure[key] = text; },
           figure_option_help(key) + " [default: " + figure_option_default(key) + "]")
        ->type_name("TEXT");
  }
}

/// The figure options the `--KEY` options set, and the maps.
FigureOptions figure_options_given(const FigureCommandOptions& options) {
  FigureOptions figure;
  for (const auto& [key, text] : options.figure) {
    try {
      set_figure_option(figure, key, text);
    } catch (Error& e) {
      throw usage_error(option_name(key) + ": " + e.lines().back());
    }
  }
  for (const auto& map : options.overlays) set_figure_option(figure, "overlay", map);
  if (options.space_ok) set_figure_option(figure, "space_ok", "true");
  return figure;
}

}  // namespace

void add_overlay_options(CLI::App* cmd, const std::shared_ptr<FigureCommandOptions>& options) {
  // One value per option, so findings files written after --overlay stay findings files.
  cmd->add_option("--overlay", options->overlays, figure_option_help("overlay"))
      ->allow_extra_args(false)
      ->type_name("MAP[:INDEX]");
  cmd->add_flag("--space-ok", options->space_ok,
                "Draw a map whose header says Talairach as if it were MNI (refused otherwise)");
  add_key_options(cmd, options,
                  {"threshold", "cluster_min", "colormap", "vmax", "projection", "overlay_style",
                   "overlay_title"});
}

OverlayOptions overlay_options(const FigureCommandOptions& options) {
  return figure_options_given(options).overlay;
}

void add_figure_command_options(CLI::App* cmd, const std::shared_ptr<FigureCommandOptions>& options,
                                const std::string& out_help, MapOptions maps) {
  auto* files = cmd->add_option("FILE", options->files,
                                maps == MapOptions::overlays
                                    ? "Findings JSON files (optional with --overlay)"
                                    : "Findings JSON files");
  if (maps == MapOptions::none) files->required();
  cmd->add_option("-o,--out", options->out, out_help)->required();
  cmd->add_flag("--force", options->force,
                "Overwrite the output if it exists (never one of the input files)");
  // One value per option (commas separate atlases), so findings files written after --atlas
  // stay findings files instead of being taken as more atlases.
  cmd->add_option("--atlas", options->atlases, "Atlases that place named regions, in order")
      ->allow_extra_args(false)
      ->delimiter(',')
      ->capture_default_str();
  // The figure options share their parser, help and defaults with figure specs.
  add_key_options(cmd, options, {"views", "size", "style", "regions", "colour_by", "coarse", "dpi"});
  if (maps == MapOptions::overlays) add_overlay_options(cmd, options);
  cmd->add_flag("--labels", options->labels,
                "Label nodes (the region as written, else the atlas label); labels that would "
                "overlap are left out");
  cmd->add_option("--filter", options->filters,
                  "Only findings matching key=value[,key=value] (keys: measure, direction, "
                  "study, timepoint, category, network, file; a|b for alternatives)");
  cmd->add_option("--title", options->title, "Panel title (one panel)");
  cmd->add_option("--panel", options->panels,
                  "A panel, \"TITLE|key=value,...\": repeat for panels (a), (b), ... each "
                  "with its own filter (and --filter's)");
  cmd->add_option("--figure-title", options->figure_title, "Title above all panels");
  cmd->add_flag("--transparent", options->transparent, "Transparent background");
}

FigureCommandRequest figure_command_request(const FigureCommandOptions& options) {
  FigureCommandRequest request;
  request.figure = figure_options_given(options);
  request.figure.scene.labels = options.labels;
  request.figure.transparent_background = options.transparent;
  FindingFilter filter;
  for (const auto& f : options.filters) add_filter_conditions(filter, f);
  // Panels: "TITLE|CONDITIONS" each, lettered a, b, c ...; without any, one panel.
  for (const auto& text : options.panels) {
    const auto bar = text.find('|');
    PanelRequest panel{text.substr(0, bar), filter, request.figure.views, {}};
    if (bar != std::string::npos) add_filter_conditions(panel.filter, text.substr(bar + 1));
    request.panels.push_back(std::move(panel));
  }
  if (request.panels.empty())
    request.panels.push_back({options.title, filter, request.figure.views, {}});
  return request;
}

Figure requested_figure(const FigureCommandRequest& request, const std::string& figure_title,
                        const FigureInputs& inputs, const std::vector<OverlayMap>& maps,
                        std::ostream& log) {
  Figure figure = empty_figure(request.figure, figure_title);
  for (const auto& warning : add_panels(figure, inputs, request.panels, request.figure.scene,
                                        scene_overlays(maps, request.figure.overlay))) {
    log << "foci: [WARNING] " << warning << "\n";
  }
  for (const auto& u : inputs.mapped.unmapped) {
    log << "foci: [WARNING] not drawn: " << u.input.file << ": " << u.input.finding->id << ": "
        << u.reason << "\n";
  }
  return figure;
}

}  // namespace foci
