#include "app/web_figure.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "app/figure_overlays.hpp"
#include "app/inspect_content.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"
#include "core/text.hpp"
#include "render/mesh_arrays.hpp"
#include "web/page.hpp"

namespace foci {

using json = nlohmann::json;

namespace {

json colour_json(const Rgb& c) {
  // Whole 0..255 steps: the page needs no more, and the same colour always writes the same
  // text.
  const auto byte = [](double v) {
    return static_cast<int>(std::lround(std::clamp(v, 0.0, 1.0) * 255));
  };
  return json::array({byte(c.r), byte(c.g), byte(c.b)});
}

json point_json(const Vec3& p) {
  // Tenths of a millimetre: finer than any atlas voxel, and stable text.
  const auto tenth = [](double v) { return std::round(v * 10) / 10; };
  return json::array({tenth(p.x), tenth(p.y), tenth(p.z)});
}

json side_json(const std::optional<Hemisphere>& side) {
  return side ? json(to_string(*side)) : json(nullptr);
}

/// A mesh in the page: coordinates as int16 hundredths of a millimetre (MNI space stays
/// within ±327 mm, and a hundredth is far below a voxel), triangles as uint16 when the mesh
/// has few enough vertices, else uint32. Half the bytes of float32 and uint32, the same
/// picture.
json mesh_json(const MeshArrays& mesh) {
  std::vector<std::int16_t> points;
  points.reserve(mesh.points.size());
  for (const float c : mesh.points) {
    points.push_back(
        static_cast<std::int16_t>(std::clamp(std::lround(c * 100.0), -32767L, 32767L)));
  }
  const std::size_t vertices = mesh.points.size() / 3;
  if (vertices <= 65536) {
    const std::vector<std::uint16_t> small(mesh.triangles.begin(), mesh.triangles.end());
    return {{"points", base64_of(points)}, {"triangles", base64_of(small)}, {"index_bytes", 2}};
  }
  return {
      {"points", base64_of(points)}, {"triangles", base64_of(mesh.triangles)}, {"index_bytes", 4}};
}

json colour_scale_json(const ColourScale& scale) {
  json stops = json::array();
  for (const auto& s : scale.stops) stops.push_back(colour_json(s));
  return {{"minimum", scale.minimum},
          {"maximum", scale.maximum},
          {"title", scale.title},
          {"marks", scale.marks},
          {"stops", stops}};
}

json rgba_json(const Rgba8& c) { return json::array({c[0], c[1], c[2]}); }

/// A surface overlay on one brain mesh: only the vertices it colours (a map covers little of
/// the cortex), as base64 of their uint32 indices, float32 values and RGB colours (render's
/// colours at the map's threshold, so a value keeps its colour whatever the page's
/// threshold slider hides).
json vertex_values_json(const std::vector<float>& values, const OverlayColours& colours) {
  std::vector<std::uint32_t> vertices;
  std::vector<float> kept;
  std::vector<std::uint8_t> rgb;
  for (std::size_t v = 0; v < values.size(); ++v) {
    const Rgba8 c = colours.colour_of(values[v]);
    if (c[3] == 0) continue;
    vertices.push_back(static_cast<std::uint32_t>(v));
    kept.push_back(values[v]);
    rgb.insert(rgb.end(), {c[0], c[1], c[2]});
  }
  return {
      {"vertices", base64_of(vertices)}, {"values", base64_of(kept)}, {"colours", base64_of(rgb)}};
}

/// Side words papers write around a region name, tried on every name of the figure's
/// regions; only those the lexicon's resolver reads as that region are kept.
const std::vector<std::pair<std::string, std::string>>& side_forms() {
  static const std::vector<std::pair<std::string, std::string>> forms{
      {"", ""},         {"左侧", ""},   {"右侧", ""},       {"左", ""},   {"右", ""},
      {"双侧", ""},     {"", "（左）"}, {"", "（右）"},     {"", "(左)"}, {"", "(右)"},
      {"left ", ""},    {"right ", ""}, {"bilateral ", ""}, {"l ", ""},   {"r ", ""},
      {"", "_L"},       {"", "_R"},     {"", ".L"},         {"", ".R"},   {"", " (left)"},
      {"", " (right)"}, {"", ", left"}, {"", ", right"}};
  return forms;
}

class PageBuilder {
 public:
  PageBuilder(const FigureInputs& inputs, const SceneOptions& options,
              const RenderSettings& settings)
      : inputs_(inputs), settings_(settings), content_(inputs, FindingFilter{}, options) {}

  json panel(const Panel& p) {
    json out{{"title", p.title},         {"letter", p.letter},
             {"note", p.note},           {"size_legend", p.size_legend},
             {"views", json::array()},   {"legend", json::array()},
             {"nodes", json::array()},   {"edges", json::array()},
             {"regions", json::array()}, {"colour_bar", nullptr}};
    for (const View v : p.views) out["views"].push_back(to_string(v));
    for (const auto& entry : p.legend) {
      out["legend"].push_back({{"colour", colour_json(entry.colour)}, {"text", entry.text}});
    }
    if (p.colour_bar) out["colour_bar"] = colour_scale_json(*p.colour_bar);
    out["overlays"] = json::array();
    for (const auto& overlay : p.overlays) out["overlays"].push_back(overlay_of(overlay));
    for (const auto& node : p.nodes) {
      std::set<std::string> labels;
      std::set<std::string> region_ids;
      std::optional<Hemisphere> side;
      for (const auto s : node.sources) {
        for (const auto& placement : inputs_.mapped.mapped.at(s).placements) {
          if (norm(placement.mni - node.mni) > 1e-6) continue;
          for (const auto& a : placement.answers) {
            if (a.label != 0) labels.emplace(a.name());
          }
          if (placement.region_id) region_ids.insert(*placement.region_id);
          side = placement.side;
        }
      }
      for (const auto& l : labels) add_label_name(l);
      // A connection's endpoints are drawn dark grey whatever the findings say.
      bool endpoint = !node.sources.empty();
      for (const auto s : node.sources) {
        endpoint = endpoint && inputs_.mapped.mapped.at(s).input.finding->is_connection();
      }
      out["nodes"].push_back({{"at", point_json(node.mni)},
                              {"radius", std::round(node.radius_mm * 100) / 100},
                              {"colour", colour_json(node.colour)},
                              {"label", node.label},
                              {"atlas_labels", labels},
                              {"region_ids", region_ids},
                              {"side", side_json(side)},
                              {"fixed_colour", endpoint},
                              {"sources", findings_of(node.sources)}});
    }
    for (const auto& edge : p.edges) {
      json e = {{"from", point_json(edge.from)},
                {"to", point_json(edge.to)},
                {"radius", std::round(edge.radius_mm * 100) / 100},
                {"colour", colour_json(edge.colour)},
                {"sources", findings_of(edge.sources)}};
      if (edge.directed) {
        // The arrowhead as render draws it: its length and base radius, and the gap its tip
        // leaves at `to` (the target node's radius), mm.
        const auto mm = [](double v) { return std::round(v * 100) / 100; };
        e["arrow"] = {{"length", mm(kArrowLengthPerRadius * edge.radius_mm)},
                      {"radius", mm(kArrowWidthPerRadius * edge.radius_mm)},
                      {"gap", mm(edge.target_radius_mm)}};
      }
      out["edges"].push_back(std::move(e));
    }
    for (const auto& region : p.regions) {
      std::vector<std::string> label_names;
      for (const auto label : region.labels) {
        label_names.push_back(atlas_named(region.atlas)->label_name(label));
        add_label_name(label_names.back());
      }
      for (const auto& id : region.region_ids) add_region_names(id);
      out["regions"].push_back({{"mesh", mesh_of(region)},
                                {"colour", colour_json(region.colour)},
                                {"name", region.name},
                                {"names", content_.region_names(own_region_ids(region))},
                                {"atlas", region.atlas},
                                {"atlas_labels", label_names},
                                {"region_ids", region.region_ids},
                                {"side", side_json(region.side)},
                                {"coarse", region.coarse},
                                {"sources", findings_of(region.sources)}});
    }
    return out;
  }

  json meshes() const { return meshes_; }
  json overlays() const { return overlays_; }
  json findings() const { return findings_; }
  json names() const { return names_; }

 private:
  const Atlas* atlas_named(const std::string& name) const {
    for (const auto& a : inputs_.atlases) {
      if (a.name() == name) return &a;
    }
    return nullptr;
  }

  /// The lexicon regions that name the region itself: of those drawn on it, the ones with
  /// the fewest labels of their own (Hippocampus_R is the hippocampus's one label on that
  /// side, one of 45 of "cerebral hemisphere"). A finding placed onto it by a wider name
  /// adds its findings to the region, not its name.
  std::vector<std::string> own_region_ids(const SceneRegion& region) const {
    const Atlas* atlas = atlas_named(region.atlas);
    std::vector<std::pair<std::size_t, std::string>> sized;
    for (const auto& id : region.region_ids) {
      const LexiconRegion* entry = inputs_.lexicon.find(id);
      if (!atlas || !entry) continue;
      try {
        sized.emplace_back(inputs_.lexicon.labels_in(*atlas, *entry, region.side).size(), id);
      } catch (const Error&) {
        continue;  // no labels of its own in this atlas
      }
    }
    if (sized.empty()) return region.region_ids;
    const std::size_t fewest = std::min_element(sized.begin(), sized.end())->first;
    std::vector<std::string> own;
    for (const auto& [count, id] : sized) {
      if (count == fewest) own.push_back(id);
    }
    return own;
  }

  /// Page index of an overlay; each map is written once however many panels draw it.
  std::size_t overlay_of(const SceneOverlay& overlay) {
    auto [it, added] = overlay_index_.emplace(overlay.map, overlay_index_.size());
    if (added) overlays_.push_back(overlay_json(overlay));
    return it->second;
  }

  json overlay_json(const SceneOverlay& overlay) const {
    const OverlayColours& c = overlay.colours;
    json out{{"title", c.title},
             {"style", overlay.style == OverlayStyle::blobs ? "blobs" : "surface"},
             {"kind", to_string(c.kind)},
             {"colormap", c.colormap},
             {"threshold", c.threshold},
             {"largest_magnitude", c.largest_magnitude},
             {"nothing_above_threshold", c.nothing_above_threshold},
             {"colour_bar", nullptr},
             {"labels", json::array()}};
    if (c.kind == OverlayKind::labels) {
      for (const auto& l : c.labels) {
        out["labels"].push_back(
            {{"value", l.value}, {"name", l.name}, {"colour", rgba_json(l.colour)}});
      }
    } else if (!c.nothing_above_threshold) {
      out["colour_bar"] = colour_scale_json(overlay_colour_bar(c));
    }
    if (overlay.style == OverlayStyle::blobs) {
      out["blobs"] = json::array();
      for (const auto& blob : overlay_blob_arrays(overlay)) {
        out["blobs"].push_back({{"mesh", mesh_json(blob.mesh)},
                                {"colour", rgba_json(blob.colour)},
                                {"sign", blob.sign}});
      }
      return out;
    }
    out["surface"] = {
        {"brain", vertex_values_json(brain_overlay_values(settings_, std::nullopt, overlay), c)},
        {"left", vertex_values_json(brain_overlay_values(settings_, Hemisphere::left, overlay), c)},
        {"right",
         vertex_values_json(brain_overlay_values(settings_, Hemisphere::right, overlay), c)}};
    return out;
  }

  /// Page indices of the findings behind an item; each finding is written once.
  json findings_of(const std::vector<std::size_t>& sources) {
    json out = json::array();
    for (const auto s : sources) {
      auto [it, added] = finding_index_.emplace(s, finding_index_.size());
      if (added) {
        json f = content_.findings_json({s}).at(0);
        // The file's name only: the folder it was read from says nothing to a reader and
        // would make the page differ between machines.
        f["file"] = std::filesystem::path(f.value("file", std::string())).filename().string();
        findings_.push_back(std::move(f));
      }
      out.push_back(it->second);
    }
    return out;
  }

  std::size_t mesh_of(const SceneRegion& region) {
    std::string key = region.volume_key + "|" + (region.side ? to_string(*region.side) : "");
    for (const auto label : region.labels) key += "|" + std::to_string(label);
    auto [it, added] = mesh_index_.emplace(key, mesh_index_.size());
    if (added) meshes_.push_back(mesh_json(region_mesh_arrays(region, settings_)));
    return it->second;
  }

  void add_label_name(const std::string& label) {
    names_[RegionLexicon::key_of(label)] = {{"label", label}};
  }

  /// Every form of the region's names the lexicon resolves back to it, keyed as the lexicon
  /// keys names; the page looks a typed name up by the same key.
  void add_region_names(const std::string& id) {
    if (!regions_named_.insert(id).second) return;
    const LexiconRegion* region = inputs_.lexicon.find(id);
    if (!region) return;
    std::vector<std::string> written{region->en, region->zh, region->id};
    written.insert(written.end(), region->aliases.begin(), region->aliases.end());
    for (const auto& name : written) {
      if (name.empty()) continue;
      for (const auto& [before, after] : side_forms()) {
        const std::string form = before + name + after;
        const auto resolved = inputs_.lexicon.resolve(form);
        if (!resolved || resolved->region != region) continue;
        const std::string key = RegionLexicon::key_of(form);
        if (!names_.contains(key)) {
          names_[key] = {{"region", id}, {"side", side_json(resolved->hemisphere)}};
        }
      }
    }
  }

  const FigureInputs& inputs_;
  const RenderSettings& settings_;
  FigureInspectContent content_;
  std::map<std::size_t, std::size_t> finding_index_;
  std::map<std::string, std::size_t> mesh_index_;
  std::map<const OverlayMap*, std::size_t> overlay_index_;
  std::set<std::string> regions_named_;
  json meshes_ = json::array(), findings_ = json::array(), names_ = json::object();
  json overlays_ = json::array();
};

}  // namespace

json web_figure_data(const Figure& figure, const FigureInputs& inputs, const SceneOptions& options,
                     const RenderSettings& settings) {
  PageBuilder builder(inputs, options, settings);
  json panels = json::array();
  for (const auto& p : figure.panels) panels.push_back(builder.panel(p));
  return {{"foci_web", 1},
          {"title", figure.title},
          {"style", figure.style == BrainStyle::glass ? "glass" : "opaque"},
          {"colour_by", options.colour_by == ColourBy::direction ? "direction"
                        : options.colour_by == ColourBy::measure ? "measure"
                                                                 : "value"},
          {"views", view_names()},
          {"direction_colours",
           {{"increase", colour_json(increase_colour())},
            {"decrease", colour_json(decrease_colour())},
            {"mixed", colour_json(mixed_colour())},
            {"neutral", colour_json(neutral_colour())}}},
          {"brain", mesh_json(brain_mesh_arrays(settings))},
          {"hemispheres",
           {{"left", mesh_json(brain_mesh_arrays(settings, Hemisphere::left))},
            {"right", mesh_json(brain_mesh_arrays(settings, Hemisphere::right))}}},
          {"meshes", builder.meshes()},
          {"panels", panels},
          {"findings", builder.findings()},
          {"names", builder.names()},
          {"overlays", builder.overlays()}};
}

void write_web_page(const Figure& figure, const FigureInputs& inputs, const SceneOptions& options,
                    const RenderSettings& settings, const WebAssets& assets,
                    const std::string& path, bool overwrite) {
  const std::string html =
      web_page_html(figure.title, web_figure_data(figure, inputs, options, settings), assets);
  write_file_atomically(path, html, overwrite);
}

}  // namespace foci
