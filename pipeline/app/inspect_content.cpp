#include "app/inspect_content.hpp"

#include <nlohmann/json.hpp>

#include <set>
#include <sstream>

#include "core/text.hpp"
#include "findings/findings_json.hpp"

namespace foci {

using json = nlohmann::json;

FigureInspectContent::FigureInspectContent(const FigureInputs& inputs, const FindingFilter& filter,
                                           SceneOptions options, std::vector<SceneOverlay> overlays)
    : inputs_(inputs), options_(std::move(options)), overlays_(std::move(overlays)) {
  options_.volume_keys = inputs.volume_keys;
  scenes_.push_back({"all findings", filter, {}, {}});
  std::set<std::string> measures;
  for (const auto& m : inputs.mapped.mapped) {
    if (filter.matches(m.input) && m.input.finding->measure) {
      measures.insert(*m.input.finding->measure);
    }
  }
  for (const auto& measure : measures) {
    FindingFilter only = filter;
    only.conditions["measure"] = {measure};
    scenes_.push_back({measure, only, {}, {}});
  }
}

Panel FigureInspectContent::scene(std::size_t n, bool labels) const {
  Panel panel;
  SceneOptions options = options_;
  options.labels = labels;
  fill_panel(panel, inputs_.mapped, scenes_.at(n).filter, inputs_.atlas_pointers(), inputs_.lexicon,
             options);
  panel.overlays = overlays_;
  return panel;
}

const Atlas* FigureInspectContent::atlas_named(const std::string& name) const {
  for (const auto& a : inputs_.atlases) {
    if (a.name() == name) return &a;
  }
  return nullptr;
}

std::string FigureInspectContent::region_names(const std::vector<std::string>& region_ids) const {
  std::vector<std::string> names;
  for (const auto& id : region_ids) {
    if (const LexiconRegion* r = inputs_.lexicon.find(id)) {
      names.push_back(r->zh.empty() ? r->en : r->en + " " + r->zh);
    }
  }
  return join(names, "; ");
}

std::string FigureInspectContent::label_names(const std::string& atlas,
                                              const std::set<std::int32_t>& labels) const {
  const Atlas* a = atlas_named(atlas);
  if (!a) return "";
  std::vector<std::string> names;
  for (const auto label : labels) names.push_back(a->label_name(label));
  return join(names, ", ");
}

json FigureInspectContent::label_details(const std::string& atlas,
                                         const std::set<std::int32_t>& labels) const {
  json out = json::array();
  const Atlas* a = atlas_named(atlas);
  if (!a) return out;
  for (const auto& stats : a->region_stats()) {
    if (!labels.count(stats.label)) continue;
    out.push_back({{"label", stats.label},
                   {"name", stats.name},
                   {"side", to_string(stats.hemisphere)},
                   {"centroid_mm", {stats.centroid.x, stats.centroid.y, stats.centroid.z}},
                   {"volume_mm3", stats.volume_mm3}});
  }
  return out;
}

json FigureInspectContent::findings_json(const std::vector<std::size_t>& sources) const {
  json list = json::array();
  for (const auto s : sources) {
    const auto& m = inputs_.mapped.mapped.at(s);
    const Finding& f = *m.input.finding;
    json j = to_json(f);
    if (const Study* study = m.input.findings_file->find_study(f.study)) {
      j["study_citation"] = study->citation;
    }
    j["file"] = m.input.file;
    list.push_back(j);
  }
  return list;
}

std::string FigureInspectContent::findings_text(const std::vector<std::size_t>& sources) const {
  std::ostringstream s;
  for (const auto src : sources) {
    const auto& m = inputs_.mapped.mapped.at(src);
    const Finding& f = *m.input.finding;
    const Study* study = m.input.findings_file->find_study(f.study);
    s << "- " << (study && study->reference ? *study->reference + " " : "") << f.study << ": "
      << f.measure.value_or("?") << " " << (f.direction ? to_string(*f.direction) : "") << "  ["
      << f.source_anchor << "]";
    for (const auto& a : f.associations) {
      s << "\n    with " << a.with << " (" << to_string(a.category)
        << (a.sign ? ", " + to_string(*a.sign) : "") << ")";
    }
    s << "\n";
  }
  return s.str();
}

std::optional<InspectContent::FoundRegion> FigureInspectContent::find_region(
    const std::string& name) const {
  const auto found = inputs_.lexicon.resolve(name);
  if (!found) return std::nullopt;
  return FoundRegion{found->region->id, found->hemisphere};
}

}  // namespace foci
