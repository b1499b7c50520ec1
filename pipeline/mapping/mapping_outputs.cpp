#include "mapping/mapping_outputs.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <cmath>
#include <deque>
#include <set>
#include <sstream>

#include "core/json_file.hpp"
#include "core/text.hpp"
#include "findings/findings_json.hpp"
#include "mapping/label_voxels.hpp"

namespace foci {

using json = nlohmann::json;

namespace {

const std::string& region_label_of(const RegionLexicon& lexicon, const std::string& id) {
  const LexiconRegion* r = lexicon.find(id);
  return r ? r->en : id;
}

std::string side_text(const std::optional<Hemisphere>& side) {
  return side ? to_string(*side) : std::string();
}

std::string study_name(const FindingInput& input) {
  const Study* s =
      input.findings_file ? input.findings_file->find_study(input.finding->study) : nullptr;
  if (s && s->reference) return *s->reference;
  return input.finding->study;
}

}  // namespace

std::string measure_slug(const std::string& measure) {
  std::string slug;
  for (const char c : measure) {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      slug += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!slug.empty() && slug.back() != '-') {
      slug += '-';
    }
  }
  while (!slug.empty() && slug.back() == '-') slug.pop_back();
  return slug.empty() ? "unnamed" : slug;
}

std::string mapped_json(const MappingResult& result, const MappingRecord& record,
                        const RegionLexicon& lexicon) {
  json out;
  out["foci_mapping"] = 1;
  out["inputs"] = record.inputs;
  out["atlases"] = record.atlases;
  out["talairach_transform"] = to_string(record.transform);
  out["search_radius_mm"] = record.search_radius_mm;
  out["brain_mask"] = record.brain_mask ? "ch2bet" : "none (outside-brain checks skipped)";
  json counts = {{"findings", result.input_count},
                 {"mapped", result.mapped.size()},
                 {"unmapped", result.unmapped.size()},
                 {"placements", result.placement_count()}};
  counts["warnings"] = json::object();
  for (const auto& [code, n] : result.warning_counts()) counts["warnings"][code] = n;
  out["counts"] = counts;
  out["unmapped"] = json::array();
  for (const auto& u : result.unmapped) {
    out["unmapped"].push_back(
        {{"file", u.input.file}, {"id", u.input.finding->id}, {"reason", u.reason}});
  }
  // The findings are written one at a time where the rest of the document, dumped with a
  // placeholder for them, holds it: the whole document as one tree took several times the
  // memory of its text (2 GB for 300 k findings), and the text is made once, not copied.
  // The text is the same: each finding is dumped as it would be in the array, two levels
  // in (JSON strings hold no raw newline, so indenting after each newline indents lines,
  // never text).
  const std::string marker = "\x01findings\x01";
  out["findings"] = marker;
  const std::string placeholder = json(marker).dump();
  const std::string rest = out.dump(2);
  const std::size_t held =
      rest.find("\n  \"findings\": " + placeholder) + std::string("\n  \"findings\": ").size();
  std::string findings_text = rest.substr(0, held);
  findings_text += result.mapped.empty() ? "[]" : "[\n";
  for (std::size_t n = 0; n < result.mapped.size(); ++n) {
    const MappedFinding& m = result.mapped[n];
    json f = {{"file", m.input.file}, {"id", m.input.finding->id}};
    f["finding"] = to_json(*m.input.finding);
    f["placements"] = json::array();
    for (const auto& p : m.placements) {
      json pj = {{"source", to_string(p.source)}, {"mni", {p.mni.x, p.mni.y, p.mni.z}}};
      if (p.endpoint) pj["endpoint"] = p.endpoint;
      if (p.side) pj["side"] = to_string(*p.side);
      if (p.reported) {
        pj["reported"] = {{"x", p.reported->point.x},
                          {"y", p.reported->point.y},
                          {"z", p.reported->point.z},
                          {"space", to_string(p.reported->space)}};
        if (p.reported->space == CoordinateSpace::talairach) {
          pj["transform"] = to_string(record.transform);
        }
      }
      if (p.region_id) {
        pj["region"] = {{"id", *p.region_id}, {"name", region_label_of(lexicon, *p.region_id)}};
      }
      if (p.source == Placement::Source::atlas) {
        pj["placed_by"] = {{"atlas", p.placing_atlas},
                           {"rule", "centroid of the region's labels on this side"},
                           {"approximate", p.approximate}};
      }
      pj["atlases"] = json::object();
      for (const auto& a : p.answers) {
        json aj = {{"label", a.label}, {"name", std::string(a.name())}};
        if (a.hemisphere) aj["hemisphere"] = to_string(*a.hemisphere);
        aj["distance_mm"] = a.distance_mm ? json(*a.distance_mm) : json(nullptr);
        pj["atlases"][std::string(a.atlas())] = aj;
      }
      f["placements"].push_back(pj);
    }
    f["warnings"] = json::array();
    for (const auto& w : m.warnings)
      f["warnings"].push_back({{"code", w.code}, {"message", w.message}});
    append_indented(findings_text, f.dump(2), "    ");
    findings_text += n + 1 < result.mapped.size() ? ",\n" : "\n  ]";
  }
  findings_text.append(rest, held + placeholder.size());
  findings_text += '\n';
  return findings_text;
}

std::string mapped_tsv(const MappingResult& result, const MappingRecord& record) {
  std::ostringstream out;
  out << "file\tid\tstudy\tmeasure\tdirection\tendpoint\tside\tx\ty\tz\tspace\tmni_x\tmni_y\t"
         "mni_z\tsource\tregion\tapproximate";
  for (const auto& a : record.atlases)
    out << '\t' << a << "_label\t" << a << "_name\t" << a << "_distance_mm";
  out << "\twarnings\n";
  for (const auto& m : result.mapped) {
    const Finding& f = *m.input.finding;
    std::string warnings;
    for (const auto& w : m.warnings) warnings += (warnings.empty() ? "" : ";") + w.code;
    for (const auto& p : m.placements) {
      out << tsv_cell(m.input.file) << '\t' << tsv_cell(f.id) << '\t' << tsv_cell(f.study) << '\t'
          << tsv_cell(f.measure.value_or("")) << '\t'
          << (f.direction ? to_string(*f.direction) : "") << '\t'
          << (p.endpoint ? std::to_string(p.endpoint) : "") << '\t' << side_text(p.side) << '\t';
      if (p.reported) {
        out << fmt::format("{}\t{}\t{}\t", p.reported->point.x, p.reported->point.y,
                           p.reported->point.z)
            << to_string(p.reported->space);
      } else {
        out << format_mm(p.mni.x) << '\t' << format_mm(p.mni.y) << '\t' << format_mm(p.mni.z)
            << "\tMNI";
      }
      out << '\t' << format_mm(p.mni.x) << '\t' << format_mm(p.mni.y) << '\t' << format_mm(p.mni.z)
          << '\t' << to_string(p.source) << '\t' << p.region_id.value_or("") << '\t'
          << (p.source == Placement::Source::atlas ? (p.approximate ? "yes" : "no") : "");
      for (const auto& a : p.answers) {
        out << '\t' << a.label << '\t' << tsv_cell(a.name()) << '\t'
            << (a.distance_mm ? format_mm(*a.distance_mm) : "");
      }
      out << '\t' << warnings << '\n';
    }
  }
  return out.str();
}

namespace {

/// A summary row: what was found where, by which studies.
struct Cell {
  std::size_t findings = 0;
  std::set<std::string> studies;
};

/// Where a location is, for the summary: its lexicon region and stated side, or for a bare
/// coordinate the label of the first atlas.
std::string where_of(const MappedFinding& m, int endpoint, const RegionLexicon& lexicon,
                     std::string& side) {
  const Finding& f = *m.input.finding;
  const Location& l = endpoint == 0 ? *f.location : f.endpoints[endpoint - 1];
  for (const auto& p : m.placements) {
    if (p.endpoint != endpoint) continue;
    if (p.region_id) {
      // The side as the paper states it (field, else the name), not as it was placed: a
      // region named without a side is placed on both, but reported as not stated.
      std::optional<Hemisphere> stated = l.hemisphere;
      if (!stated && l.region) {
        if (const auto r = lexicon.resolve(*l.region)) stated = r->hemisphere;
      }
      side = stated ? to_string(*stated) : "not stated";
      return lexicon.display_name(*p.region_id);
    }
    const auto& a = p.answers.front();
    side = a.hemisphere ? to_string(*a.hemisphere) : "";
    return a.label ? fmt::format("{} ({})", a.name(), a.atlas())
                   : fmt::format("no {} label", a.atlas());
  }
  return "?";
}

using RegionKey = std::tuple<std::string, std::string, std::string, std::string>;
using ConnectionKey =
    std::tuple<std::string, std::string, std::string, std::string, std::string, std::string>;

void tabulate(const MappingResult& result, const RegionLexicon& lexicon,
              std::map<RegionKey, Cell>& regions, std::map<ConnectionKey, Cell>& connections) {
  for (const auto& m : result.mapped) {
    const Finding& f = *m.input.finding;
    const std::string measure = f.measure.value_or("not reported");
    const std::string direction = f.direction ? to_string(*f.direction) : "not reported";
    const std::string study = study_name(m.input);
    if (f.location) {
      std::string side;
      const std::string where = where_of(m, 0, lexicon, side);
      auto& c = regions[{where, side, measure, direction}];
      ++c.findings;
      c.studies.insert(study);
    } else {
      std::string side1, side2;
      const std::string a = where_of(m, 1, lexicon, side1), b = where_of(m, 2, lexicon, side2);
      auto& c = connections[{a, side1, b, side2, measure, direction}];
      ++c.findings;
      c.studies.insert(study);
    }
  }
}

/// Studies in reading order: "[9]" before "[19]", then names.
std::string joined(const std::set<std::string>& items) {
  std::vector<std::string> sorted(items.begin(), items.end());
  const auto number = [](const std::string& s) -> long {
    return s.size() > 2 && s.front() == '[' && std::isdigit(static_cast<unsigned char>(s[1]))
               ? std::strtol(s.c_str() + 1, nullptr, 10)
               : -1;
  };
  std::stable_sort(sorted.begin(), sorted.end(), [&](const std::string& a, const std::string& b) {
    const long na = number(a), nb = number(b);
    if ((na < 0) != (nb < 0)) return na >= 0;  // numbered references first
    if (na >= 0 && na != nb) return na < nb;
    return a < b;
  });
  return join(sorted, ", ");
}

std::string md(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '|')
      out += "\\|";
    else
      out += c;
  }
  return out;
}

}  // namespace

std::string summary_markdown(const MappingResult& result, const MappingRecord& record,
                             const RegionLexicon& lexicon) {
  std::map<RegionKey, Cell> regions;
  std::map<ConnectionKey, Cell> connections;
  tabulate(result, lexicon, regions, connections);
  std::ostringstream out;
  out << "# Mapping summary\n\n";
  out << "Findings: " << result.input_count << " (mapped " << result.mapped.size() << ", unmapped "
      << result.unmapped.size() << "), " << result.placement_count() << " placements, from "
      << record.inputs.size() << " file(s). Atlases: " <<
      join(record.atlases, ", ")
      << ". Region findings without a coordinate are placed at the centroid of their atlas "
         "labels; studies are given by the source's reference numbers.\n\n";
  out << "## Regions\n\n| region | side | measure | direction | findings | studies |\n"
         "|---|---|---|---|---:|---|\n";
  for (const auto& [key, c] : regions) {
    const auto& [where, side, measure, direction] = key;
    out << "| " << md(where) << " | " << side << " | " << md(measure) << " | " << direction << " | "
        << c.findings << " | " << md(joined(c.studies)) << " |\n";
  }
  if (!connections.empty()) {
    out << "\n## Connections\n\n| seed | side | target | side | measure | direction | findings "
           "| studies |\n|---|---|---|---|---|---|---:|---|\n";
    for (const auto& [key, c] : connections) {
      const auto& [a, side1, b, side2, measure, direction] = key;
      out << "| " << md(a) << " | " << side1 << " | " << md(b) << " | " << side2 << " | "
          << md(measure) << " | " << direction << " | " << c.findings << " | "
          << md(joined(c.studies)) << " |\n";
    }
  }
  const auto warnings = result.warning_counts();
  out << "\n## Warnings\n\n";
  if (warnings.empty()) out << "None.\n";
  for (const auto& [code, n] : warnings) out << "- `" << code << "`: " << n << "\n";
  // Each warning with the finding and the place in its source, so a reader can go back to
  // the paper's table without opening mapped.json.
  if (!warnings.empty()) out << "\n| file | finding | source | warning | why |\n|---|---|---|---|---|\n";
  for (const auto& m : result.mapped) {
    const Finding& f = *m.input.finding;
    for (const auto& w : m.warnings) {
      out << "| " << md(m.input.file) << " | " << md(f.id) << " | "
          << md(f.source_anchor) << " | `" << w.code << "` | " << md(w.message)
          << " |\n";
    }
  }
  out << "\n## Unmapped\n\n";
  if (result.unmapped.empty()) out << "None.\n";
  for (const auto& u : result.unmapped) {
    out << "- " << md(u.input.file) << ": " << md(u.input.finding->id) << ": " << md(u.reason)
        << "\n";
  }
  return out.str();
}

std::string summary_tsv(const MappingResult& result, const RegionLexicon& lexicon) {
  std::map<RegionKey, Cell> regions;
  std::map<ConnectionKey, Cell> connections;
  tabulate(result, lexicon, regions, connections);
  std::ostringstream out;
  out << "kind\tregion\tside\ttarget\ttarget_side\tmeasure\tdirection\tfindings\tstudies\n";
  for (const auto& [key, c] : regions) {
    const auto& [where, side, measure, direction] = key;
    out << "region\t" << tsv_cell(where) << '\t' << side << "\t\t\t" << tsv_cell(measure) << '\t'
        << direction << '\t' << c.findings << '\t' << tsv_cell(joined(c.studies)) << '\n';
  }
  for (const auto& [key, c] : connections) {
    const auto& [a, side1, b, side2, measure, direction] = key;
    out << "connection\t" << tsv_cell(a) << '\t' << side1 << '\t' << tsv_cell(b) << '\t' << side2
        << '\t' << tsv_cell(measure) << '\t' << direction << '\t' << c.findings << '\t'
        << tsv_cell(joined(c.studies)) << '\n';
  }
  return out.str();
}

std::map<std::string, LabelVolume> mapping_maps(const MappingResult& result,
                                                const std::vector<const Atlas*>& atlases,
                                                const RegionLexicon& lexicon,
                                                double default_sphere_radius_mm) {
  const LabelVolume& grid = atlases.front()->volume();
  const auto blank = [&] {
    LabelVolume v;
    v.size = grid.size;
    v.voxel_to_world = grid.voxel_to_world;
    v.world_to_voxel = grid.world_to_voxel;
    v.labels.assign(grid.voxel_count(), 0);
    return v;
  };
  std::map<std::string, LabelVolume> maps;
  LabelVolume spheres = blank(), count = blank();
  std::vector<std::uint32_t> touched(grid.voxel_count(), 0);
  std::uint32_t stamp = 0;  // marks voxels already counted for the current finding

  std::deque<LabelVoxels> voxels;  // LabelVoxels does not move
  for (const Atlas* a : atlases) voxels.emplace_back(*a);
  const auto voxels_of = [&](const std::string& name) -> LabelVoxels* {
    for (auto& v : voxels) {
      if (v.atlas().name() == name) return &v;
    }
    return nullptr;
  };

  // Findings are painted in the order of where they lie, block by block of the grid, not
  // in input order: each voxel's sums are the same in any order, and neighbouring spheres
  // then paint memory still in the cache (300 k spheres: about a second less).
  constexpr int kBlock = 8;  // voxels along each axis
  const int blocks_i = grid.size[0] / kBlock + 1, blocks_j = grid.size[1] / kBlock + 1;
  std::vector<std::pair<std::size_t, std::size_t>> block_and_index;
  block_and_index.reserve(result.mapped.size());
  for (std::size_t n = 0; n < result.mapped.size(); ++n) {
    const auto& placements = result.mapped[n].placements;
    std::array<int, 3> g{0, 0, 0};
    if (!placements.empty()) grid.nearest_voxel(placements.front().mni, g);
    const std::size_t block =
        (static_cast<std::size_t>(g[2] / kBlock) * blocks_j + g[1] / kBlock) * blocks_i +
        g[0] / kBlock;
    block_and_index.emplace_back(block, n);
  }
  std::sort(block_and_index.begin(), block_and_index.end());

  for (const auto& [block, index] : block_and_index) {
    const MappedFinding& m = result.mapped[index];
    const Finding& f = *m.input.finding;
    ++stamp;
    const int sign = !f.direction                          ? 0
                     : *f.direction == Direction::increase ? 1
                     : *f.direction == Direction::decrease ? -1
                                                           : 0;
    const std::string name = measure_slug(f.measure.value_or("not reported")) + "_regions.nii.gz";
    for (const auto& p : m.placements) {
      if (p.source == Placement::Source::atlas) {
        if (!maps.count(name)) maps.emplace(name, blank());
        LabelVolume& signed_map = maps.at(name);
        LabelVoxels* source = voxels_of(p.placing_atlas);
        const LexiconRegion* region = lexicon.find(*p.region_id);
        if (!source || !region) continue;
        // Paint the region's voxels of its placing atlas onto the grid, on this side.
        for (const auto& l : lexicon.labels_in(source->atlas(), *region, p.side)) {
          for (const auto offset : source->of(l.label)) {
            const Vec3 c = source->centre(offset);
            if (p.side == Hemisphere::left && c.x >= 0) continue;
            if (p.side == Hemisphere::right && c.x <= 0) continue;
            std::array<int, 3> g;
            if (!grid.nearest_voxel(c, g)) continue;
            const std::size_t o = grid.offset(g[0], g[1], g[2]);
            if (touched[o] == stamp) continue;  // one finding, one vote per voxel
            touched[o] = stamp;
            signed_map.labels[o] += sign;
            count.labels[o] += 1;
          }
        }
      } else {
        // Sphere of the cluster's volume when known, else the default radius.
        double radius = default_sphere_radius_mm;
        if (f.cluster && f.cluster->volume_mm3()) {
          radius = std::cbrt(3.0 * *f.cluster->volume_mm3() / (4.0 * M_PI));
        }
        for_each_run_in_sphere(grid, p.mni, radius, [&](std::size_t first, int length) {
          std::int32_t* in_spheres = spheres.labels.data() + first;
          std::int32_t* in_count = count.labels.data() + first;
          std::uint32_t* counted = touched.data() + first;
          for (int i = 0; i < length; ++i) {
            in_spheres[i] += 1;
            if (counted[i] == stamp) continue;
            counted[i] = stamp;
            in_count[i] += 1;
          }
        });
      }
    }
  }
  maps.emplace("coordinates_spheres.nii.gz", std::move(spheres));
  maps.emplace("count.nii.gz", std::move(count));
  return maps;
}

}  // namespace foci
