#pragma once
// The options `foci render` and `foci web` share — findings files, atlases, the figure
// options of app/figure_options, filters, panels, titles — declared once, and turned into
// the figure's options and panel requests in one place.
#include <CLI/CLI.hpp>

#include <map>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "app/figure_inputs.hpp"
#include "app/figure_options.hpp"
#include "overlay/overlay_map.hpp"

namespace foci {

struct FigureCommandOptions {
  std::vector<std::string> files;
  std::vector<std::string> overlays;  ///< --overlay, each MAP[:INDEX]
  bool space_ok = false;
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

/// Whether a command draws volumetric maps: `render` and `web` do (and then findings files
/// are optional); a command that does not offers none of the map options.
enum class MapOptions { none, overlays };

/// Declares the shared options on `cmd`; `out_help` says what -o writes.
void add_figure_command_options(CLI::App* cmd, const std::shared_ptr<FigureCommandOptions>& options,
                                const std::string& out_help, MapOptions maps);

/// Declares the map options alone: --overlay, --space-ok and the overlay keys (threshold,
/// colormap, vmax, projection, ...), into `options`. `render` has them among the figure
/// options; `inspect` shows maps in its window with these same options.
void add_overlay_options(CLI::App* cmd, const std::shared_ptr<FigureCommandOptions>& options);

/// The overlay options given. Throws Error (usage) naming the option at fault.
OverlayOptions overlay_options(const FigureCommandOptions& options);

struct FigureCommandRequest {
  FigureOptions figure;
  std::vector<PanelRequest> panels;  ///< lettered a, b, ... when several
};

/// Parses what the options say. Throws Error (usage) naming the option at fault.
FigureCommandRequest figure_command_request(const FigureCommandOptions& options);

/// The figure the request asks for, its panels filled from `inputs` and the loaded overlay
/// `maps`; what the reader should know (a panel that matches nothing,
/// findings that cannot be drawn) as warnings on `log`.
Figure requested_figure(const FigureCommandRequest& request, const std::string& figure_title,
                        const FigureInputs& inputs, const std::vector<OverlayMap>& maps,
                        std::ostream& log);

}  // namespace foci
