#include "meta/experiments.hpp"

#include <cctype>
#include <cmath>
#include <map>
#include <set>

#include "core/error.hpp"

namespace foci {

std::size_t ExperimentSet::focus_count() const {
  std::size_t n = 0;
  for (const auto& e : experiments) n += e.foci.size();
  return n;
}

std::vector<const MetaFocus*> ExperimentSet::outside_mask() const {
  std::vector<const MetaFocus*> out;
  for (const auto& e : experiments)
    for (const auto& f : e.foci)
      if (!f.in_mask) out.push_back(&f);
  return out;
}

bool contrast_compares_groups(const std::string& contrast) {
  static const std::set<std::string> controls{"control", "controls", "hc", "hcs",
                                              "healthy", "nc",       "ncs"};
  bool compares =
      contrast.find('>') != std::string::npos || contrast.find('<') != std::string::npos;
  bool control = false;
  std::string word;
  const auto take = [&] {
    if (word == "vs" || word == "versus" || word == "compared") compares = true;
    if (controls.count(word)) control = true;
    word.clear();
  };
  for (const char c : contrast) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else {
      take();
    }
  }
  take();
  return compares && control;
}

namespace {

std::string finding_place(const FindingInput& input) {
  const auto& all = input.findings_file->findings;
  const auto index = static_cast<std::size_t>(input.finding - all.data());
  return input.file + ": /findings/" + std::to_string(index);
}

/// The grid voxel of a point under the rule; false outside the grid (NaN included).
bool place_on_grid(const LabelVolume& grid, Vec3 mni, VoxelRule rule, std::array<int, 3>& voxel) {
  if (rule == VoxelRule::nearest) return grid.nearest_voxel(mni, voxel);
  const Vec3 c = grid.world_to_voxel.apply(mni);
  const double v[3] = {c.x, c.y, c.z};
  for (int a = 0; a < 3; ++a) {
    // Truncation toward zero, as NiMARE's astype(int); a far-away point must not overflow.
    if (!(v[a] > -1.0 && v[a] < grid.size[a])) return false;
    voxel[a] = static_cast<int>(v[a]);
  }
  return true;
}

}  // namespace

ExperimentSet build_experiments(const std::vector<FindingInput>& inputs, const MetaGrid& grid,
                                const ExperimentOptions& options) {
  ExperimentSet set;
  std::map<std::pair<std::string, std::string>, std::size_t> index;
  // Per experiment: the findings' sample sizes, and the study that gives patients/controls.
  std::vector<std::vector<double>> sizes;
  std::vector<const Study*> studies;
  std::vector<bool> compares;
  for (const auto& input : inputs) {
    const Finding& f = *input.finding;
    if (f.is_connection() || !f.location || !f.location->coordinate) {
      ++set.findings_without_coordinate;
      continue;
    }
    const auto& c = *f.location->coordinate;
    const std::string place = finding_place(input);
    if (!is_finite(c.point)) {
      throw input_error(place + "/location/coordinate: x, y and z must be finite numbers");
    }
    const std::string contrast =
        options.group_by == GroupBy::contrast ? f.contrast.value_or("") : std::string();
    const auto key = std::make_pair(f.study, contrast);
    auto it = index.find(key);
    if (it == index.end()) {
      Experiment e;
      e.study = f.study;
      if (!contrast.empty()) e.contrast = contrast;
      e.id = contrast.empty() ? f.study : f.study + ": " + contrast;
      it = index.emplace(key, set.experiments.size()).first;
      set.experiments.push_back(std::move(e));
      sizes.emplace_back();
      studies.push_back(input.findings_file->find_study(f.study));
      compares.push_back(false);
    }
    const std::size_t e = it->second;
    if (f.sample_size) sizes[e].push_back(static_cast<double>(*f.sample_size));
    if (f.contrast && contrast_compares_groups(*f.contrast)) compares[e] = true;

    MetaFocus focus;
    focus.file = input.file;
    focus.finding_id = f.id;
    focus.place = place;
    focus.reported = c.point;
    focus.space = c.space;
    focus.mni = to_mni(c.point, c.space, options.transform);
    focus.experiment = set.experiments[e].id;
    if (!is_finite(focus.mni)) {
      throw input_error(place + "/location/coordinate: the point does not convert to MNI");
    }
    focus.in_grid = place_on_grid(grid.mask, focus.mni, options.voxel_rule, focus.voxel);
    if (!focus.in_grid) {
      set.outside_grid.push_back(focus);
      continue;
    }
    focus.in_mask = grid.mask.at(focus.voxel[0], focus.voxel[1], focus.voxel[2]) != 0;
    set.experiments[e].foci.push_back(focus);
  }

  std::vector<std::string> without_n;
  for (std::size_t e = 0; e < set.experiments.size(); ++e) {
    Experiment& x = set.experiments[e];
    if (!sizes[e].empty()) {
      double sum = 0;
      for (const double s : sizes[e]) sum += s;
      x.sample_size = sum / static_cast<double>(sizes[e].size());
      x.sample_size_source = "sample_size";
    } else if (studies[e] && studies[e]->patients && *studies[e]->patients > 0 && !compares[e]) {
      x.sample_size = static_cast<double>(*studies[e]->patients);
      x.sample_size_source = "patients";
    } else if (studies[e] && studies[e]->patients && studies[e]->controls && compares[e] &&
               *studies[e]->patients + *studies[e]->controls > 0) {
      x.sample_size = static_cast<double>(*studies[e]->patients + *studies[e]->controls);
      x.sample_size_source = "patients + controls";
    } else if (options.default_sample_size) {
      x.sample_size = *options.default_sample_size;
      x.sample_size_source = "--sample-size";
    } else {
      without_n.push_back(
          x.id + " (" +
          (x.foci.empty() ? std::string("no focus in the grid") : x.foci.front().place) + ")");
    }
  }
  if (set.experiments.empty()) {
    throw input_error("no finding of the selection has a reported coordinate (" +
                      std::to_string(set.findings_without_coordinate) +
                      " region-only findings or connections); a meta-analysis needs foci");
  }
  if (set.focus_count() == 0) {
    throw input_error(
        "none of the " + std::to_string(set.outside_grid.size()) +
        " foci lies inside the analysis grid; first: " + set.outside_grid.front().place);
  }
  if (options.require_sample_size && !without_n.empty()) {
    Error error(ExitCode::input, without_n.back());
    for (auto it = without_n.rbegin() + 1; it != without_n.rend(); ++it) error.with_context(*it);
    error.with_context(std::to_string(without_n.size()) + " of " +
                       std::to_string(set.experiments.size()) +
                       " experiments have no sample size N (ALE needs one per experiment): give "
                       "the findings a sample_size, their study patients (and controls), or "
                       "pass --sample-size N:");
    throw error;
  }
  return set;
}

}  // namespace foci
