// foci inspect: turn the brain around, click a region, read what the literature says.
#include "app/cache.hpp"
#include "app/display.hpp"
#include "app/figure_inputs.hpp"
#include "app/figure_options.hpp"
#include "app/figure_overlays.hpp"
#include "app/inspect_content.hpp"
#include "atlas/lexicon.hpp"
#include "cli/commands.hpp"
#include "cli/figure_command.hpp"
#include "core/error.hpp"

namespace foci {

namespace {

struct InspectOptions {
  std::vector<std::string> files;
  std::vector<std::string> atlases = default_atlases();
  std::string focus;
  std::vector<std::string> filters;
  int frames = 0;
  /// --overlay and its options, declared as `foci render` declares them.
  std::shared_ptr<FigureCommandOptions> maps = std::make_shared<FigureCommandOptions>();
};

void run_inspect(const InspectOptions& options, CommandContext& context) {
  const OverlayOptions overlay = overlay_options(*options.maps);
  if (options.files.empty() && overlay.maps.empty()) {
    throw usage_error("nothing to show: give findings files, --overlay maps, or both");
  }
  FindingFilter filter;
  for (const auto& f : options.filters) add_filter_conditions(filter, f);
  // An unknown --focus name fails here, before anything is read or any window opens.
  std::optional<ResolvedRegion> focus;
  const RegionLexicon lexicon = RegionLexicon::load_default();
  if (!options.focus.empty()) {
    focus = lexicon.resolve(options.focus);
    if (!focus) {
      std::string message = "cannot resolve --focus '" + options.focus + "'";
      const auto near = lexicon.suggest(options.focus);
      if (!near.empty()) {
        message += "; closest names:";
        for (std::size_t n = 0; n < near.size(); ++n) message += (n ? ", '" : " '") + near[n] + "'";
      }
      throw usage_error(message);
    }
  }
  if (!have_display()) {
    throw usage_error(
        "foci inspect needs a display and $DISPLAY is unset; run it on a desktop, with X "
        "forwarding (ssh -X), or under a virtual display: xvfb-run -a foci inspect ...");
  }
  // Atlases place findings; maps alone do not read them.
  const auto inputs = load_figure_inputs(
      options.files, options.files.empty() ? std::vector<std::string>{} : options.atlases);
  const std::vector<OverlayMap> maps = load_overlays(overlay);
  const auto overlays = scene_overlays(maps, overlay);
  Panel said;  // what a figure would note of the maps (nothing above the threshold)
  for (const auto& warning : add_overlays_to_panel(said, overlays)) {
    *context.log << "foci: [WARNING] " << warning << "\n";
  }
  const FigureInspectContent content(*inputs, filter, SceneOptions{}, overlays);
  InspectRequest request;
  request.content = &content;
  request.brain = &inputs->brain();
  request.brain_key = inputs->brain_key;
  if (focus) {
    request.focus_region = focus->region->id;
    request.focus_side = focus->hemisphere;
  }
  request.cache_directory = default_cache_directory();
  request.benchmark_frames = options.frames;
  request.out = context.out;
  request.log = context.log;
  run_inspector(request);
}

}  // namespace

void add_inspect_command(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<InspectOptions>();
  CLI::App* cmd = app.add_subcommand(
      "inspect",
      "Open a window with the scene foci render draws. Hover names what is under the cursor;\n"
      "a click lists every finding there (and prints one JSON line on stdout, as do empty\n"
      "clicks and --focus). Keys: 1-8 views, g glass/opaque, m next measure, l labels,\n"
      "s screenshot, r reset, / find a region, h help, q quit. --overlay shows volumetric\n"
      "maps as foci render draws them. Needs a display (or xvfb-run).");
  cmd->add_option("FILE", options->files, "Findings JSON files (optional with --overlay)");
  // One value per option, so findings files written after --atlas stay findings files.
  cmd->add_option("--atlas", options->atlases, "Atlases that place named regions, in order")
      ->allow_extra_args(false)
      ->delimiter(',')
      ->capture_default_str();
  add_overlay_options(cmd, options->maps);
  cmd->add_option("--focus", options->focus, "Start with this region selected, e.g. \"左侧海马\"");
  cmd->add_option("--filter", options->filters, "Only findings matching key=value[,key=value]");
  cmd->add_option("--benchmark-frames", options->frames,
                  "Benchmark: draw this many frames turning a full circle, print the mean frame "
                  "time as JSON, and exit");
  cmd->callback([options, &context] { run_inspect(*options, context); });
}

}  // namespace foci
