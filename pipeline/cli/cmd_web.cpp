// foci web: the figure `foci render` draws, as one self-contained HTML page a reader opens
// offline in any browser to turn, filter, search and click through.
#include "app/figure_inputs.hpp"
#include "app/figure_options.hpp"
#include "app/figure_overlays.hpp"
#include "app/web_figure.hpp"
#include "cli/commands.hpp"
#include "cli/figure_command.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"

namespace foci {

namespace {

void run_web(const FigureCommandOptions& options, CommandContext& context) {
  const FigureCommandRequest request = figure_command_request(options);
  // Refused before any work, as for render.
  std::vector<std::string> input_files = options.files;
  for (const auto& map : request.figure.overlay.maps) input_files.push_back(map.path);
  refuse_input_as_output(options.out, input_files);
  check_can_write(options.out, options.force);
  if (options.files.empty() && request.figure.overlay.maps.empty()) {
    throw usage_error("nothing to draw: give findings files, --overlay maps, or both");
  }
  const WebAssets assets = read_web_assets();

  // Atlases place findings; a page of maps alone does not read them.
  const auto inputs = load_figure_inputs(
      options.files, options.files.empty() ? std::vector<std::string>{} : options.atlases);
  const std::vector<OverlayMap> maps = load_overlays(request.figure.overlay);
  const Figure figure =
      requested_figure(request, options.figure_title, *inputs, maps, *context.log);
  write_web_page(figure, *inputs, request.figure.scene,
                 render_settings(*inputs, context.log, context.verbose), assets, options.out,
                 options.force);
  if (context.verbose) *context.log << "foci: wrote " << options.out << "\n";
}

}  // namespace

void add_web_command(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<FigureCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "web",
      "Write the figure foci render draws as one HTML page that opens offline in any\n"
      "browser (no server, no network): drag to turn, wheel to zoom, the eight views, hover\n"
      "and click for every finding, filters, region search (English, Chinese,\n"
      "abbreviations), panels as tabs, PNG export. Volumetric maps (--overlay) on the brain\n"
      "surface or as blobs, with threshold and opacity sliders. Needs no display.");
  add_figure_command_options(cmd, options, "HTML page to write", MapOptions::overlays);
  cmd->callback([options, &context] { run_web(*options, context); });
}

}  // namespace foci
