#include "render/scene_from_mapping.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <tuple>

#include "core/error.hpp"
#include "core/text.hpp"

namespace foci {

namespace {

const std::set<std::string>& filter_keys() {
  static const std::set<std::string> keys{"measure",  "direction", "study", "timepoint",
                                          "category", "network",   "file"};
  return keys;
}

bool any_equal(const std::vector<std::string>& wanted, const std::string& value) {
  const std::string v = to_lower(value);
  for (const auto& w : wanted) {
    if (to_lower(w) == v) return true;
  }
  return false;
}

Rgb direction_colour(const std::set<Direction>& directions) {
  const bool up = directions.count(Direction::increase),
             down = directions.count(Direction::decrease);
  if (up && down) return mixed_colour();
  if (up) return increase_colour();
  if (down) return decrease_colour();
  return neutral_colour();
}

const Atlas* atlas_named(const std::vector<const Atlas*>& atlases, const std::string& name) {
  for (const Atlas* a : atlases) {
    if (a->name() == name) return a;
  }
  return nullptr;
}

}  // namespace

bool FindingFilter::matches(const FindingInput& input) const {
  const Finding& f = *input.finding;
  for (const auto& [key, values] : conditions) {
    bool ok = false;
    if (key == "measure") ok = f.measure && any_equal(values, *f.measure);
    if (key == "direction") ok = f.direction && any_equal(values, to_string(*f.direction));
    if (key == "study") ok = any_equal(values, f.study);
    if (key == "timepoint") ok = f.timepoint && any_equal(values, *f.timepoint);
    if (key == "network") ok = f.network && any_equal(values, *f.network);
    if (key == "file") {
      // A file matches by its path as given or by the end of it ("mect/structure.json"), so
      // a spec means the same file from any working folder.
      for (const auto& v : values) {
        const std::string& path = input.file;
        ok = ok || path == v ||
             (path.size() > v.size() && path.compare(path.size() - v.size(), v.size(), v) == 0 &&
              path[path.size() - v.size() - 1] == '/');
      }
    }
    if (key == "category") {
      for (const auto& a : f.associations) ok = ok || any_equal(values, to_string(a.category));
    }
    if (!ok) return false;
  }
  return true;
}

void add_filter_conditions(FindingFilter& filter, const std::string& text) {
  std::size_t start = 0;
  while (start <= text.size()) {
    const auto comma = text.find(',', start);
    const std::string part(trim(text.substr(start, comma - start)));
    start = comma == std::string::npos ? text.size() + 1 : comma + 1;
    if (part.empty()) continue;
    const auto equals = part.find('=');
    if (equals == std::string::npos) {
      throw usage_error("filter condition '" + part + "' needs the form key=value");
    }
    const std::string key = to_lower(trim(part.substr(0, equals)));
    if (!filter_keys().count(key)) {
      const std::vector<std::string> known(filter_keys().begin(), filter_keys().end());
      throw usage_error("unknown filter key '" + key + "' (known: " + join(known, ", ") + ")");
    }
    std::string values = part.substr(equals + 1);
    std::size_t v = 0;
    while (v <= values.size()) {
      const auto bar = values.find('|', v);
      const std::string value(trim(values.substr(v, bar - v)));
      if (!value.empty()) filter.conditions[key].push_back(value);
      v = bar == std::string::npos ? values.size() + 1 : bar + 1;
    }
  }
}

namespace {

/// The value a finding is coloured by: its `value`, else its t, z or r.
std::optional<double> value_of(const Finding& f) {
  if (f.value) return f.value;
  if (f.statistic) {
    if (f.statistic->t) return f.statistic->t;
    if (f.statistic->z) return f.statistic->z;
    if (f.statistic->r) return f.statistic->r;
  }
  return std::nullopt;
}

/// Colours for measures, distinguishable and friendly to colour-blind readers (Okabe-Ito).
const std::vector<Rgb>& measure_palette() {
  static const std::vector<Rgb> palette{{0.90, 0.62, 0.00}, {0.34, 0.71, 0.91}, {0.00, 0.62, 0.45},
                                        {0.80, 0.47, 0.65}, {0.00, 0.45, 0.70}, {0.84, 0.37, 0.00},
                                        {0.94, 0.89, 0.26}, {0.35, 0.35, 0.35}};
  return palette;
}

/// What colours mean in one panel: the measure colours and the value scale, with their legend
/// entries; and the colour of a set of findings drawn as one thing.
class PanelColours {
 public:
  PanelColours(const std::vector<const MappedFinding*>& shown, ColourBy by, Panel& panel)
      : by_(by) {
    if (by == ColourBy::measure) {
      std::set<std::string> measures;
      for (const auto* m : shown)
        measures.insert(m->input.finding->measure.value_or("not reported"));
      std::size_t n = 0;
      for (const auto& measure : measures) {
        measure_colours_[measure] = measure_palette()[n++ % measure_palette().size()];
        panel.legend.push_back({measure_colours_[measure], measure});
      }
    } else if (by == ColourBy::value) {
      bool any_without_value = false;
      scale_ = value_scale(shown, any_without_value);
      if (any_without_value) panel.legend.push_back({neutral_colour(), "no value"});
    }
  }

  Rgb of(const std::vector<const Finding*>& findings) const {
    switch (by_) {
      case ColourBy::direction: {
        std::set<Direction> directions;
        for (const auto* f : findings) {
          if (f->direction) directions.insert(*f->direction);
        }
        return direction_colour(directions);
      }
      case ColourBy::measure: {
        std::set<std::string> measures;
        for (const auto* f : findings) measures.insert(f->measure.value_or("not reported"));
        return measures.size() == 1 ? measure_colours_.at(*measures.begin()) : Rgb{0.2, 0.2, 0.2};
      }
      case ColourBy::value: {
        double sum = 0;
        int n = 0;
        for (const auto* f : findings) {
          if (const auto v = value_of(*f)) sum += *v, ++n;
        }
        return n && scale_ ? scale_->colour_of(sum / n) : neutral_colour();
      }
    }
    return neutral_colour();
  }

  const std::optional<ColourScale>& scale() const { return scale_; }

 private:
  /// Signed values get a diverging scale centred on zero (blue below, red above), one-signed
  /// values viridis; none when no finding has a value.
  static std::optional<ColourScale> value_scale(const std::vector<const MappedFinding*>& shown,
                                                bool& any_without_value) {
    double lo = 0, hi = 0;
    bool any = false;
    for (const auto* m : shown) {
      if (const auto v = value_of(*m->input.finding)) {
        lo = any ? std::min(lo, *v) : *v;
        hi = any ? std::max(hi, *v) : *v;
        any = true;
      } else {
        any_without_value = true;
      }
    }
    if (!any) {
      any_without_value = true;
      return std::nullopt;
    }
    ColourScale c;
    c.title = "value (value, else t, z or r)";
    if (lo < 0 && hi > 0) {
      const double m = std::max(-lo, hi);
      c.minimum = -m, c.maximum = m;
      c.stops = {{0.02, 0.19, 0.58},
                 {0.40, 0.60, 0.85},
                 {0.97, 0.97, 0.97},
                 {0.90, 0.45, 0.35},
                 {0.60, 0.02, 0.05}};
    } else {
      c.minimum = lo, c.maximum = hi > lo ? hi : lo + 1;
      c.stops = {{0.27, 0.00, 0.33},
                 {0.23, 0.32, 0.55},
                 {0.13, 0.57, 0.55},
                 {0.37, 0.79, 0.38},
                 {0.99, 0.91, 0.15}};  // viridis
    }
    return c;
  }

  ColourBy by_;
  std::map<std::string, Rgb> measure_colours_;
  std::optional<ColourScale> scale_;
};

/// Builds one panel from the findings it shows: nodes, edges, region surfaces, legends.
class PanelBuilder {
 public:
  PanelBuilder(Panel& panel, const MappingResult& mapped, const std::vector<const Atlas*>& atlases,
               const RegionLexicon& lexicon, const SceneOptions& options,
               const PanelColours& colours)
      : panel_(panel),
        mapped_(mapped),
        atlases_(atlases),
        lexicon_(lexicon),
        options_(options),
        colours_(colours) {}

  void add(const MappedFinding& m) {
    const Finding& f = *m.input.finding;
    const std::size_t source = static_cast<std::size_t>(&m - mapped_.mapped.data());
    if (f.direction) {
      seen_.insert(*f.direction);
    } else {
      any_undirected_ = true;
    }
    if (f.is_connection()) {
      add_connection(m, source);
      return;
    }
    const Rgb colour = colours_.of({&f});
    for (const auto& p : m.placements) {
      if (p.source == Placement::Source::reported) {
        any_reported_ = true;
        panel_.nodes.push_back({p.mni, radius_of(f), colour, label_of(*f.location, p), {source}});
      } else if (options_.regions == RegionStyle::node) {
        panel_.nodes.push_back(
            {p.mni, options_.default_node_radius_mm, colour, label_of(*f.location, p), {source}});
      } else {
        gather_region_labels(f, p, source);
      }
    }
  }

  /// Turns the gathered labels into region surfaces, orders nodes, and writes the legends.
  void finish() {
    for (const auto& [key, found] : labels_) panel_.regions.push_back(region_of(key, found));
    // Coarse regions after the specific ones: drawn beneath them, never over them.
    for (const auto& [key, found] : coarse_) panel_.regions.push_back(coarse_region_of(key, found));
    panel_.coarse_style = options_.coarse;
    if (!omitted_.empty()) {
      panel_.caption = "Not drawn (cover a lobe or more): " + join(omitted_, "; ");
    }
    // Deterministic order, so the same inputs draw the same picture.
    std::stable_sort(
        panel_.nodes.begin(), panel_.nodes.end(), [](const SceneNode& a, const SceneNode& b) {
          return std::tie(a.mni.x, a.mni.y, a.mni.z) < std::tie(b.mni.x, b.mni.y, b.mni.z);
        });
    if (options_.colour_by == ColourBy::direction) add_direction_legend();
    const std::size_t colour_entries = panel_.legend.size();
    add_coarse_legend();
    if (options_.colour_by != ColourBy::value) drop_colours_not_drawn(colour_entries);
    panel_.colour_bar = colours_.scale();
    panel_.show_labels = options_.labels;
    if (any_reported_) {
      panel_.size_legend = "node size: cluster volume (" +
                           std::to_string(static_cast<int>(options_.default_node_radius_mm)) +
                           " mm radius if unknown)";
    }
  }

 private:
  // Region findings are gathered per atlas label and side, not per region: regions that
  // share labels (DLPFC and middle frontal gyrus in AAL) then draw one surface in one colour
  // instead of two coincident surfaces fighting for the same pixels.
  struct LabelKey {
    std::string atlas;
    std::int32_t label;
    std::optional<Hemisphere> side;
    bool operator<(const LabelKey& o) const {
      return std::tie(atlas, label, side) < std::tie(o.atlas, o.label, o.side);
    }
  };
  struct LabelFindings {
    std::vector<const Finding*> findings;
    std::set<std::string> regions, region_ids;
    std::set<std::int32_t> labels;
    std::vector<std::size_t> sources;
  };
  // Coarse findings are gathered per lexicon region and side: one surface each.
  struct CoarseKey {
    std::string atlas, region_id;
    std::optional<Hemisphere> side;
    bool operator<(const CoarseKey& o) const {
      return std::tie(atlas, region_id, side) < std::tie(o.atlas, o.region_id, o.side);
    }
  };

  double radius_of(const Finding& f) const {
    if (f.cluster && f.cluster->volume_mm3()) {
      return std::clamp(std::cbrt(3.0 * *f.cluster->volume_mm3() / (4.0 * M_PI)), 2.0, 14.0);
    }
    return options_.default_node_radius_mm;
  }

  std::string label_of(const Location& l, const Placement& p) const {
    if (!options_.labels) return "";
    if (l.region) return *l.region;
    return p.answers.empty() ? "" : std::string(p.answers.front().name());
  }

  /// An edge per pair of endpoint placements, coloured; the endpoints as small dark nodes.
  static constexpr double kEndpointRadiusMm = 2.5;
  void add_connection(const MappedFinding& m, std::size_t source) {
    const Finding& f = *m.input.finding;
    const Rgb colour = colours_.of({&f});
    double radius = 0.9;
    if (f.statistic && f.statistic->r) radius = 0.6 + 1.6 * std::abs(*f.statistic->r);
    // Endpoints are seed then target; effective connectivity (and an asymmetric BrainNet
    // matrix) says the seed drives the target.
    const bool directed = f.measure == std::string("effective connectivity") ||
                          (f.imported.count("directed") && f.imported.at("directed") == "yes");
    for (const auto& a : m.placements) {
      if (a.endpoint != 1) continue;
      for (const auto& b : m.placements) {
        if (b.endpoint != 2) continue;
        panel_.edges.push_back(
            {a.mni, b.mni, radius, colour, {source}, directed, kEndpointRadiusMm});
      }
    }
    for (const auto& p : m.placements) {
      panel_.nodes.push_back({p.mni,
                              kEndpointRadiusMm,
                              Rgb{0.25, 0.25, 0.25},
                              label_of(f.endpoints[p.endpoint - 1], p),
                              {source}});
    }
  }

  void gather_region_labels(const Finding& f, const Placement& p, std::size_t source) {
    const Atlas* atlas = atlas_named(atlases_, p.placing_atlas);
    const LexiconRegion* region = lexicon_.find(*p.region_id);
    if (!atlas || !region) return;
    const bool coarse = region->extent != RegionExtent::region;
    if (coarse && options_.coarse == CoarseStyle::omit) {
      omit(f, *region, p.side);
      return;
    }
    // A bilateral atlas's label covers both sides: the side keeps them apart, and a finding
    // on both sides draws one surface per side, so a lateral view can show the near one.
    std::vector<std::optional<Hemisphere>> sides{std::nullopt};
    if (!atlas->manifest().lateralised) {
      if (p.side == Hemisphere::left || p.side == Hemisphere::right) {
        sides = {p.side};
      } else {
        sides = {Hemisphere::left, Hemisphere::right};
      }
    }
    for (const auto& l : lexicon_.labels_in(*atlas, *region, p.side)) {
      for (const auto& side : sides) {
        // A lateralised atlas's label has its own side; a coarse region is one surface of
        // all its labels per side, not a patchwork of translucent pieces.
        const auto label_side =
            side ? side : std::optional<Hemisphere>(atlas->label_hemisphere(l.label));
        auto& entry = coarse ? coarse_[{atlas->name(), region->id, label_side}]
                             : labels_[{atlas->name(), l.label, side}];
        if (entry.findings.empty() || entry.findings.back() != &f) entry.findings.push_back(&f);
        entry.regions.insert(region->en);
        entry.region_ids.insert(region->id);
        entry.labels.insert(l.label);
        if (entry.sources.empty() || entry.sources.back() != source) {
          entry.sources.push_back(source);
        }
      }
    }
  }

  /// Names a coarse finding left out of the drawing in the panel's caption, once.
  void omit(const Finding& f, const LexiconRegion& region, std::optional<Hemisphere> side) {
    std::string name = region.en;
    if (side == Hemisphere::left || side == Hemisphere::right) {
      name = to_string(*side) + " " + name;
    }
    if (f.measure) name += " (" + *f.measure + ")";
    if (std::find(omitted_.begin(), omitted_.end(), name) == omitted_.end()) {
      omitted_.push_back(name);
    }
  }

  SceneRegion coarse_region_of(const CoarseKey& key, const LabelFindings& found) {
    SceneRegion r = region_of({key.atlas, *found.labels.begin(), key.side}, found);
    r.labels = found.labels;
    r.coarse = true;
    return r;
  }

  /// One legend entry per colour of the coarse regions, saying what the tint or outline
  /// means, with the swatch as it looks on the figure; in the order of the colours' own
  /// entries (increase before decrease, as above them), not in the regions' order.
  void add_coarse_legend() {
    std::vector<std::pair<std::size_t, LegendEntry>> entries;  // (rank of the meaning, entry)
    for (const auto& r : panel_.regions) {
      if (!r.coarse) continue;
      std::string meaning;
      std::size_t rank = panel_.legend.size();
      for (std::size_t n = 0; n < panel_.legend.size(); ++n) {
        if (same_colour(panel_.legend[n].colour, r.colour)) meaning = panel_.legend[n].text, rank = n;
      }
      const bool tint = options_.coarse == CoarseStyle::tint;
      LegendEntry entry{tint ? coarse_tint(r.colour) : r.colour,
                        std::string(tint ? "tint" : "outline") + ", lobe or hemisphere" +
                            (meaning.empty() ? "" : ": " + meaning),
                        !tint};
      const bool seen = std::any_of(entries.begin(), entries.end(),
                                    [&](const auto& e) { return e.second.text == entry.text; });
      if (!seen) entries.emplace_back(rank, entry);
    }
    std::stable_sort(entries.begin(), entries.end(),
                     [](const auto& a, const auto& b) { return a.first < b.first; });
    for (auto& e : entries) panel_.legend.push_back(std::move(e.second));
  }

  /// A colour only lobe or hemisphere findings have (drawn as their tint or outline, or
  /// omitted) names nothing in the picture: of the first `colour_entries` (the colours'
  /// entries, before the coarse ones, whose text says what the tint means), those no node,
  /// edge or specific region is drawn in go.
  void drop_colours_not_drawn(std::size_t colour_entries) {
    const auto drawn = [&](const Rgb& colour) {
      return std::any_of(panel_.nodes.begin(), panel_.nodes.end(),
                         [&](const SceneNode& n) { return same_colour(n.colour, colour); }) ||
             std::any_of(panel_.edges.begin(), panel_.edges.end(),
                         [&](const SceneEdge& e) { return same_colour(e.colour, colour); }) ||
             std::any_of(panel_.regions.begin(), panel_.regions.end(), [&](const SceneRegion& r) {
               return !r.coarse && same_colour(r.colour, colour);
             });
    };
    std::vector<LegendEntry> kept;
    for (std::size_t n = 0; n < panel_.legend.size(); ++n) {
      if (n >= colour_entries || drawn(panel_.legend[n].colour)) kept.push_back(panel_.legend[n]);
    }
    panel_.legend = std::move(kept);
  }

  static bool same_colour(const Rgb& a, const Rgb& b) {
    return a.r == b.r && a.g == b.g && a.b == b.b;
  }

  SceneRegion region_of(const LabelKey& key, const LabelFindings& found) {
    const Atlas* atlas = atlas_named(atlases_, key.atlas);
    SceneRegion r;
    const auto volume = options_.volumes.find(atlas->name());
    if (volume != options_.volumes.end()) {
      r.volume = volume->second;
    } else {
      r.volume = [atlas]() -> const LabelVolume& { return atlas->volume(); };
    }
    const auto volume_key = options_.volume_keys.find(atlas->name());
    r.volume_key = volume_key != options_.volume_keys.end() ? volume_key->second : atlas->name();
    r.labels.insert(key.label);
    r.side = key.side;
    if (!r.side && atlas->manifest().lateralised) r.side = atlas->label_hemisphere(key.label);
    r.colour = colours_.of(found.findings);
    std::set<Direction> directions;
    for (const auto* f : found.findings) {
      if (f->direction) directions.insert(*f->direction);
    }
    any_mixed_ = any_mixed_ ||
                 (directions.count(Direction::increase) && directions.count(Direction::decrease));
    r.name = join(std::vector<std::string>(found.regions.begin(), found.regions.end()), ", ");
    r.atlas = key.atlas;
    r.region_ids.assign(found.region_ids.begin(), found.region_ids.end());
    r.sources = found.sources;
    return r;
  }

  void add_direction_legend() {
    if (seen_.count(Direction::increase)) panel_.legend.push_back({increase_colour(), "increase"});
    if (seen_.count(Direction::decrease)) panel_.legend.push_back({decrease_colour(), "decrease"});
    if (any_mixed_) panel_.legend.push_back({mixed_colour(), "both (different studies)"});
    if (seen_.count(Direction::normalised) || seen_.count(Direction::no_change) ||
        any_undirected_) {
      panel_.legend.push_back({neutral_colour(), "normalised / no change / not reported"});
    }
  }

  Panel& panel_;
  const MappingResult& mapped_;
  const std::vector<const Atlas*>& atlases_;
  const RegionLexicon& lexicon_;
  const SceneOptions& options_;
  const PanelColours& colours_;
  std::map<LabelKey, LabelFindings> labels_;
  std::map<CoarseKey, LabelFindings> coarse_;
  std::vector<std::string> omitted_;  ///< coarse findings left out, as the caption names them
  std::set<Direction> seen_;
  bool any_reported_ = false, any_undirected_ = false, any_mixed_ = false;
};

}  // namespace

std::size_t fill_panel(Panel& panel, const MappingResult& mapped, const FindingFilter& filter,
                       const std::vector<const Atlas*>& atlases, const RegionLexicon& lexicon,
                       const SceneOptions& options) {
  std::vector<const MappedFinding*> shown;
  for (const auto& m : mapped.mapped) {
    if (filter.matches(m.input)) shown.push_back(&m);
  }
  const PanelColours colours(shown, options.colour_by, panel);
  PanelBuilder builder(panel, mapped, atlases, lexicon, options, colours);
  for (const auto* m : shown) builder.add(*m);
  builder.finish();
  return shown.size();
}

}  // namespace foci
