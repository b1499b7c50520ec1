// foci slices: 2D figures of volumetric maps on the Colin27 brain — ortho slices through a
// point, mosaics of slices, glass-brain projections with findings drawn on them.
#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <future>
#include <map>
#include <optional>

#include "app/figure_inputs.hpp"
#include "app/figure_options.hpp"
#include "atlas/manifest.hpp"
#include "atlas/nifti_io.hpp"
#include "cli/commands.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"
#include "core/text.hpp"
#include "overlay/overlay_map.hpp"
#include "slices/cut_point.hpp"
#include "slices/slices_figure.hpp"

namespace foci {

namespace {

// Defaults, used by the help text and the code alike.
constexpr const char* kDefaultMosaic = "axial:-40:60:10";
constexpr const char* kDefaultColormap = "auto";

struct SlicesOptions {
  std::vector<std::string> files;
  std::vector<std::string> overlays;
  std::string out;
  std::string mode = "ortho";
  std::string cut_coords;
  std::string mosaic;
  double threshold = 0;
  int cluster_min = 0;
  std::string colormap = kDefaultColormap;
  std::optional<double> vmax;
  bool radiological = false;
  /// size and dpi as written, parsed by the figure options' parser ("size", "dpi").
  std::map<std::string, std::string> figure;
  std::string title;
  std::string overlay_title;
  bool space_ok = false;
  bool force = false;
  std::vector<std::string> atlases = default_atlases();
};

SlicesMode parse_mode(const std::string& word) {
  if (word == "ortho") return SlicesMode::ortho;
  if (word == "mosaic") return SlicesMode::mosaic;
  if (word == "glass") return SlicesMode::glass;
  throw usage_error("--mode: expected ortho, mosaic or glass, got '" + word + "'");
}

LabelVolume read_template(const std::string& name) {
  const auto manifest = find_atlas_manifest(name);
  return read_label_volume(locate_atlas_file(manifest, manifest.volume_file));
}

PixelColour pixel_colour(const Rgba8& c) { return {c[0], c[1], c[2], c[3]}; }

/// What the figure draws of one loaded map: its samples and colours, and a note when nothing
/// of it reaches the threshold.
SliceOverlay slice_overlay(std::shared_ptr<const OverlayMap> map,
                           std::shared_ptr<const OverlayColours> colours) {
  SliceOverlay out;
  out.title = map->title;
  const auto sampling = map->kind == OverlayKind::labels ? OverlayMap::Sampling::nearest
                                                         : OverlayMap::Sampling::trilinear;
  out.value_at = [map, sampling](Vec3 mni) { return map->value_at(mni, sampling); };
  out.voxel_value_at = [map](Vec3 mni) {
    return map->value_at(mni, OverlayMap::Sampling::nearest);
  };
  out.colour_of = [colours](double v) { return pixel_colour(colours->colour_of(v)); };
  out.minimum = colours->bar_minimum;
  out.maximum = colours->bar_maximum;
  out.threshold = colours->threshold;
  for (const auto& label : colours->labels) {
    out.labels.push_back(
        {label.value,
         {label.colour[0] / 255.0, label.colour[1] / 255.0, label.colour[2] / 255.0},
         label.name});
  }
  const double voxel = std::min({map->voxel_to_mni.column_norm(0), map->voxel_to_mni.column_norm(1),
                                 map->voxel_to_mni.column_norm(2)});
  out.projection_step_mm = std::clamp(voxel, 0.5, 1.0);
  return out;
}

void run_slices(const SlicesOptions& options, CommandContext& context) {
  SlicesFigure figure;
  figure.mode = parse_mode(options.mode);
  figure.title = options.title;
  figure.radiological = options.radiological;
  FigureOptions figure_options;
  for (const auto& [key, text] : options.figure) {
    try {
      set_figure_option(figure_options, key, text);
    } catch (Error& e) {
      throw usage_error("--" + key + ": " + e.lines().back());
    }
  }
  figure.dpi = figure_options.dpi;
  if (options.figure.count("size")) {
    figure.width = figure_options.width;
    figure.height = figure_options.height;
  }
  if (!options.mosaic.empty() && figure.mode != SlicesMode::mosaic) {
    throw usage_error("--mosaic: only for --mode mosaic");
  }
  if (!options.cut_coords.empty() && figure.mode != SlicesMode::ortho) {
    throw usage_error("--cut-coords: only for --mode ortho");
  }
  try {
    figure.mosaic = parse_mosaic_spec(options.mosaic.empty() ? kDefaultMosaic : options.mosaic);
  } catch (Error& e) {
    throw usage_error("--mosaic: " + e.lines().back());
  }
  std::optional<Vec3> cut;
  if (!options.cut_coords.empty()) {
    try {
      cut = parse_cut_coords(options.cut_coords);
    } catch (Error& e) {
      throw usage_error("--cut-coords: " + e.lines().back());
    }
  }
  std::vector<OverlaySource> sources;
  std::vector<std::string> inputs = options.files;
  for (const auto& text : options.overlays) {
    sources.push_back(parse_overlay_source(text));
    inputs.push_back(sources.back().path);
  }
  // Refused before any work: a figure never replaces an input, nor any file without --force.
  refuse_input_as_output(options.out, inputs);
  check_can_write(options.out, options.force);

  // The template is read while the maps and findings are: decompressing volumes is most of
  // the run.
  const bool glass = figure.mode == SlicesMode::glass;
  std::future<LabelVolume> template_read =
      std::async(std::launch::async, read_template, glass ? "ch2bet" : "ch2");
  std::optional<Vec3> peak;
  for (const auto& source : sources) {
    OverlayLoadOptions load;
    load.space_ok = options.space_ok;
    if (sources.size() == 1) load.title = options.overlay_title;
    auto map = std::make_shared<OverlayMap>(load_overlay(source, load));
    if (!peak) peak = peak_cluster_centre(*map);
    apply_threshold(*map, options.threshold, options.cluster_min);
    auto colours = std::make_shared<const OverlayColours>(
        overlay_colours(*map, options.colormap, options.threshold, options.vmax));
    if (colours->nothing_above_threshold) {
      const std::string note = map->title + ": no voxel reaches the threshold " +
                               fmt::format("{:.3g}", options.threshold) + " (largest |value| " +
                               fmt::format("{:.3g}", colours->largest_magnitude) + ")";
      figure.notes.push_back(note);
      *context.log << "foci: [WARNING] " << source.path << ": " << note << "\n";
    }
    SliceOverlay overlay = slice_overlay(map, std::move(colours));
    overlay.extent = value_extent(*map);
    figure.overlays.push_back(std::move(overlay));
  }
  figure.cut = cut ? *cut : peak ? *peak : Vec3{0, 0, 0};

  std::unique_ptr<FigureInputs> findings;
  if (!options.files.empty()) {
    findings = load_figure_inputs(options.files, options.atlases);
    Figure scene;
    SceneOptions scene_options;
    // Every finding is a node on a 2D figure: a region at its atlas placement.
    scene_options.regions = RegionStyle::node;
    const PanelRequest every_finding;  // one panel, no filter
    for (const auto& warning : add_panels(scene, *findings, {every_finding}, scene_options)) {
      *context.log << "foci: [WARNING] " << warning << "\n";
    }
    for (const auto& u : findings->mapped.unmapped) {
      *context.log << "foci: [WARNING] not drawn: " << u.input.file << ": " << u.input.finding->id
                   << ": " << u.reason << "\n";
    }
    figure.nodes = scene.panels.front().nodes;
    figure.edges = scene.panels.front().edges;
    figure.legend = scene.panels.front().legend;
  }
  const LabelVolume background = template_read.get();
  (glass ? figure.brain_mask : figure.anatomy) = &background;
  write_slices_figure(figure, options.out, options.force);
}

}  // namespace

void add_slices_command(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<SlicesOptions>();
  CLI::App* cmd = app.add_subcommand(
      "slices",
      "Draw volumetric maps in 2D on the Colin27 brain: ortho slices through a point (the\n"
      "middle of the map's peak cluster unless --cut-coords), a mosaic of slices, or\n"
      "glass-brain projections with the findings' nodes and edges. Left is on the left\n"
      "unless --radiological.");
  cmd->add_option("FILE", options->files,
                  "Findings JSON files (drawn on glass brains and where "
                  "they cross a slice)");
  cmd->add_option("--overlay", options->overlays,
                  "A NIfTI map, MAP.nii[.gz] or MAP.nii.gz:INDEX for a volume of a 4-D file; "
                  "repeat for several, the last on top")
      ->allow_extra_args(false);  // one map per --overlay: findings files after it stay files
  cmd->add_option("-o,--out", options->out, "PNG to write")->required();
  cmd->add_option("--mode", options->mode, "ortho, mosaic or glass")
      ->check(CLI::IsMember({"ortho", "mosaic", "glass"}))
      ->capture_default_str();
  cmd->add_option("--cut-coords", options->cut_coords,
                  "ortho: X,Y,Z in MNI mm the slices go through [default: the middle of the "
                  "first map's peak cluster, else 0,0,0]");
  cmd->add_option("--mosaic", options->mosaic,
                  std::string("mosaic: AXIS:FROM:TO:STEP in mm, AXIS axial, coronal or sagittal "
                              "[default: ") +
                      kDefaultMosaic + "]");
  cmd->add_option("--threshold", options->threshold,
                  "Values with |value| below this show no colour")
      ->check(CLI::Range(0.0, 1e30))
      ->capture_default_str();
  cmd->add_option("--cluster-min", options->cluster_min,
                  "Clusters (26-connected, one sign) of fewer voxels than this show no colour")
      ->check(CLI::Range(0, 100000000))
      ->capture_default_str();
  cmd->add_option("--colormap", options->colormap,
                  "auto (signed: cold_hot; positive: hot; negative: cold; labels: a colour "
                  "each), or one of: " +
                      join(overlay_colormap_names(), ", "))
      ->capture_default_str();
  cmd->add_option("--vmax", options->vmax,
                  "|value| at the end of the colour bar [default: "
                  "the largest after thresholding]")
      ->check(CLI::PositiveNumber);
  cmd->add_option("--overlay-title", options->overlay_title,
                  "Name on the colour bar (one map) [default: the file name]");
  cmd->add_flag("--radiological", options->radiological,
                "Left hemisphere on the right of coronal and axial views (said on the figure)");
  for (const std::string key : {"size", "dpi"}) {
    const std::string fallback = key == "size"
                                     ? "1500x560 for ortho and glass, by slice count for mosaic"
                                     : figure_option_default(key);
    cmd->add_option_function<std::string>(
           "--" + key, [options, key](const std::string& text) { options->figure[key] = text; },
           figure_option_help(key) + " [default: " + fallback + "]")
        ->type_name("TEXT");
  }
  cmd->add_option("--title", options->title, "Title above the figure");
  cmd->add_option("--atlas", options->atlases, "Atlases that place named regions, in order")
      ->allow_extra_args(false)
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_flag("--space-ok", options->space_ok,
                "Draw a map whose header says it is not in MNI space (e.g. Talairach)");
  cmd->add_flag("--force", options->force,
                "Overwrite the PNG if it exists (never one of the input files)");
  cmd->callback([options, &context] { run_slices(*options, context); });
}

}  // namespace foci
