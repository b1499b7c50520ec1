#include "app/figure_inputs.hpp"

#include <algorithm>
#include <future>

#include "app/cache.hpp"
#include "app/figure_overlays.hpp"
#include "atlas/nifti_io.hpp"
#include "findings/findings_json.hpp"
#include "render/render.hpp"

namespace foci {

std::vector<const Atlas*> FigureInputs::atlas_pointers() const {
  std::vector<const Atlas*> out;
  for (const auto& a : atlases) out.push_back(&a);
  return out;
}

const LabelVolume& FigureInputs::brain() const {
  const std::lock_guard<std::mutex> lock(brain_mutex_);
  if (!brain_) brain_ = std::make_unique<LabelVolume>(read_label_volume(brain_path));
  return *brain_;
}

void FigureInputs::release_brain_voxels() {
  const std::lock_guard<std::mutex> lock(brain_mutex_);
  brain_.reset();
}

void FigureInputs::release_atlas_voxels() {
  rereads_.resize(atlases.size());
  for (std::size_t n = 0; n < atlases.size(); ++n) {
    if (rereads_[n]) continue;
    // In place: the mapping and the panels hold pointers to this Atlas, and its answers
    // view the names in its label table.
    atlases[n].release_voxels();
    rereads_[n] = std::make_unique<Reread>();
  }
}

const LabelVolume& FigureInputs::atlas_voxels(std::size_t n) const {
  if (n >= rereads_.size() || !rereads_[n]) return atlases.at(n).volume();
  Reread& reread = *rereads_[n];
  std::call_once(reread.once, [&] {
    reread.atlas = std::make_unique<Atlas>(Atlas::load(atlases[n].manifest()));
  });
  return reread.atlas->volume();
}

std::unique_ptr<FigureInputs> load_figure_inputs(const std::vector<std::string>& paths,
                                                 const std::vector<std::string>& atlas_names) {
  auto in = std::make_unique<FigureInputs>();
  in->paths = paths;
  for (const auto& path : paths) in->files.push_back(read_findings_file(path));
  // The volumes are read side by side: decompressing them is most of the start-up time. The
  // brain template's header is enough for its mesh cache key; its voxels wait for brain().
  const auto brain_manifest = find_atlas_manifest("ch2bet");
  in->brain_path = locate_atlas_file(brain_manifest, brain_manifest.volume_file);
  std::vector<std::future<Atlas>> atlas_reads;
  for (const auto& name : atlas_names) {
    atlas_reads.push_back(std::async(std::launch::async, [manifest = find_atlas_manifest(name)] {
      return Atlas::load(manifest);
    }));
  }
  in->lexicon = RegionLexicon::load_default();
  for (auto& read : atlas_reads) in->atlases.push_back(read.get());
  in->brain_key = volume_cache_key(in->brain_path, read_nifti_orientation(in->brain_path).chosen);
  for (const auto& a : in->atlases) {
    in->volume_keys[a.name()] =
        volume_cache_key(locate_atlas_file(a.manifest(), a.manifest().volume_file), a.volume());
  }
  MappingRequest request;
  request.atlases = in->atlas_pointers();
  request.lexicon = &in->lexicon;
  request.search_radius_mm = 0;  // a figure needs placements, not nearest-label answers
  std::vector<FindingInput> findings;
  for (std::size_t n = 0; n < in->files.size(); ++n) {
    for (const auto& f : in->files[n].findings) findings.push_back({paths[n], &f, &in->files[n]});
  }
  in->finding_count = findings.size();
  // Without findings (a figure of overlays alone) no atlas need be read, and nothing mapped.
  if (!findings.empty()) in->mapped = map_findings(findings, request);
  return in;
}

RenderSettings render_settings(const FigureInputs& inputs, std::ostream* log, bool verbose) {
  RenderSettings settings;
  settings.brain = [&inputs]() -> const LabelVolume& { return inputs.brain(); };
  settings.brain_key = inputs.brain_key;
  settings.cache_directory = default_cache_directory();
  settings.log = log;
  settings.verbose = verbose;
  return settings;
}

std::vector<std::string> add_panels(Figure& figure, const FigureInputs& inputs,
                                    const std::vector<PanelRequest>& requests,
                                    const SceneOptions& options,
                                    const std::vector<SceneOverlay>& overlays) {
  std::vector<std::string> warnings;
  SceneOptions scene = options;
  scene.volume_keys = inputs.volume_keys;
  for (std::size_t n = 0; n < inputs.atlases.size(); ++n) {
    scene.volumes[inputs.atlases[n].name()] = [&inputs, n]() -> const LabelVolume& {
      return inputs.atlas_voxels(n);
    };
  }
  for (std::size_t n = 0; n < requests.size(); ++n) {
    Panel panel;
    panel.views = requests[n].views;
    panel.title = requests[n].title;
    if (requests.size() > 1) panel.letter = std::string(1, static_cast<char>('a' + n % 26));
    const std::size_t drawn = fill_panel(panel, inputs.mapped, requests[n].filter,
                                         inputs.atlas_pointers(), inputs.lexicon, scene);
    // A figure of maps alone has no findings to miss.
    if (drawn == 0 && !(inputs.finding_count == 0 && !overlays.empty())) {
      panel.note = inputs.finding_count == 0 ? "no findings" : "no finding matches the filter";
      warnings.push_back((panel.title.empty() ? std::string() : "panel '" + panel.title + "': ") +
                         (inputs.finding_count == 0
                              ? std::string("the input has no findings")
                              : "the filter matches none of the " +
                                    std::to_string(inputs.finding_count) + " findings") +
                         "; drawing the brain alone");
    }
    for (auto& warning : add_overlays_to_panel(panel, overlays_of_panel(overlays, requests[n]))) {
      // A figure-wide map is said once, not once per panel.
      if (std::find(warnings.begin(), warnings.end(), warning) == warnings.end()) {
        warnings.push_back(std::move(warning));
      }
    }
    figure.panels.push_back(std::move(panel));
  }
  return warnings;
}

}  // namespace foci
