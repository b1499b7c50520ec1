// foci render: a publication figure of findings on a 3D brain, several views in one PNG,
// TIFF, PDF or SVG.
#include <chrono>

#include "app/display.hpp"
#include "app/figure_inputs.hpp"
#include "app/figure_options.hpp"
#include "app/figure_overlays.hpp"
#include "cli/commands.hpp"
#include "cli/figure_command.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"
#include "render/figure_files.hpp"
#include "render/render.hpp"

namespace foci {

namespace {

double seconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

void run_render(const FigureCommandOptions& options, CommandContext& context) {
  const auto start = std::chrono::steady_clock::now();
  const FigureCommandRequest request = figure_command_request(options);

  // Refused before any work: a figure never replaces an input (--force or not), nor any other
  // file without --force.
  std::vector<std::string> input_files = options.files;
  for (const auto& map : request.figure.overlay.maps) input_files.push_back(map.path);
  refuse_input_as_output(options.out, input_files);
  figure_format_of(options.out);
  check_can_write(options.out, options.force);

  if (options.files.empty() && request.figure.overlay.maps.empty()) {
    throw usage_error("nothing to draw: give findings files, --overlay maps, or both");
  }
  // The private X server starts while the inputs are read.
  HeadlessDisplay display(context.verbose ? context.log : nullptr, HeadlessDisplay::Ready::later);
  // Atlases place findings; a figure of maps alone does not read them.
  const auto inputs = load_figure_inputs(
      options.files, options.files.empty() ? std::vector<std::string>{} : options.atlases);
  const std::vector<OverlayMap> maps = load_overlays(request.figure.overlay);
  if (context.verbose) {
    *context.log << "foci: inputs read and mapped in " << seconds_since(start) << " s\n";
  }
  const Figure figure =
      requested_figure(request, options.figure_title, *inputs, maps, *context.log);

  display.wait();
  RenderSettings settings = render_settings(*inputs, context.log, context.verbose);
  settings.one_figure_process = true;
  render_figure(figure, settings, options.out, options.force);
  if (context.verbose) {
    *context.log << "foci: wrote " << options.out << " after " << seconds_since(start) << " s\n";
  }
}

}  // namespace

void add_render_command(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<FigureCommandOptions>();
  CLI::App* cmd = app.add_subcommand(
      "render",
      "Draw findings on a 3D brain (Colin27) in one figure: rises red, falls blue; reported\n"
      "coordinates as spheres sized by cluster volume, named regions as atlas surfaces,\n"
      "connections as tubes. Volumetric maps (--overlay) are projected onto the brain surface\n"
      "or drawn as blobs, under the findings. Renders without a display through a private Xvfb.\n"
      "-o's extension chooses the file: .png; .tif/.tiff (LZW, DPI recorded); .pdf or .svg\n"
      "(titles, legends and labels as text over an image of the views).");
  add_figure_command_options(cmd, options, "figure to write: .png, .tif, .tiff, .pdf or .svg", MapOptions::overlays);
  cmd->callback([options, &context] { run_render(*options, context); });
}

}  // namespace foci
