#include "findings/exporters.hpp"

#include <fmt/format.h>

#include <cmath>
#include <map>
#include <sstream>

#include "core/error.hpp"
#include "core/text.hpp"

namespace foci {

std::optional<ExportFormat> parse_export_format(const std::string& word) {
  if (word == "brainnet") return ExportFormat::brainnet;
  if (word == "sleuth") return ExportFormat::sleuth;
  if (word == "tsv") return ExportFormat::tsv;
  return std::nullopt;
}

namespace {

std::string imported_or(const Finding& f, const std::string& key, const std::string& fallback) {
  const auto it = f.imported.find(key);
  return it == f.imported.end() ? fallback : it->second;
}

int direction_colour(const Finding& f) {
  if (!f.direction) {
    const auto imported = f.imported.find("colour");
    if (imported != f.imported.end()) {
      if (const auto v = std::atof(imported->second.c_str()); v > 0) return static_cast<int>(v);
    }
    return 5;
  }
  switch (*f.direction) {
    case Direction::increase:
      return 1;
    case Direction::decrease:
      return 2;
    case Direction::normalised:
      return 3;
    case Direction::no_change:
      return 4;
  }
  return 5;
}

std::string node_label(const Location& l) {
  if (!l.region) return "-";
  std::string label = *l.region;
  for (char& c : label) {
    if (c == ' ' || c == '\t') c = '_';
  }
  return label;
}

}  // namespace

ExportResult export_brainnet(const FindingsFile& file, TalairachTransform transform) {
  ExportResult result;
  struct Node {
    Vec3 mni;
    int colour;
    std::string size;
    std::string label;
  };
  std::vector<Node> nodes;
  std::map<std::tuple<double, double, double>, std::size_t> node_at;
  const auto node_of = [&](const Location& l, const Finding& f) -> std::size_t {
    const Vec3 mni = to_mni(l.coordinate->point, l.coordinate->space, transform);
    const auto key =
        std::make_tuple(std::round(mni.x * 100), std::round(mni.y * 100), std::round(mni.z * 100));
    const auto it = node_at.find(key);
    if (it != node_at.end()) return it->second;
    std::string size = "1";
    if (f.value) {
      size = fmt::format("{}", *f.value);
    } else if (f.cluster && f.cluster->voxels) {
      size = std::to_string(*f.cluster->voxels);
    } else {
      size = imported_or(f, "size", "1");
    }
    nodes.push_back({mni, direction_colour(f), size, node_label(l)});
    node_at[key] = nodes.size() - 1;
    return nodes.size() - 1;
  };
  struct Edge {
    std::size_t a, b;
    double value;
  };
  std::vector<Edge> edges;
  for (const auto& f : file.findings) {
    if (f.location) {
      if (!f.location->coordinate) {
        result.left_out.push_back(f.id + ": no coordinate (region-only; map it first)");
        continue;
      }
      node_of(*f.location, f);
    } else {
      if (!f.endpoints[0].coordinate || !f.endpoints[1].coordinate) {
        result.left_out.push_back(f.id + ": a connection endpoint has no coordinate");
        continue;
      }
      const std::size_t a = node_of(f.endpoints[0], f), b = node_of(f.endpoints[1], f);
      edges.push_back({a, b, f.value.value_or(1.0)});
    }
  }
  std::ostringstream out;
  for (const auto& n : nodes) {
    out << format_mm(n.mni.x) << '\t' << format_mm(n.mni.y) << '\t' << format_mm(n.mni.z) << '\t'
        << n.colour << '\t' << n.size << '\t' << n.label << '\n';
  }
  result.main = out.str();
  if (!edges.empty()) {
    std::vector<std::vector<double>> matrix(nodes.size(), std::vector<double>(nodes.size(), 0));
    for (const auto& e : edges) {
      matrix[e.a][e.b] = e.value;
      matrix[e.b][e.a] = e.value;
    }
    std::ostringstream m;
    for (const auto& row : matrix) {
      for (std::size_t j = 0; j < row.size(); ++j)
        m << (j ? "\t" : "") << fmt::format("{}", row[j]);
      m << '\n';
    }
    result.edges = m.str();
  }
  return result;
}

ExportResult export_sleuth(const FindingsFile& file, TalairachTransform transform) {
  ExportResult result;
  // Experiments in order of first appearance.
  std::vector<std::pair<std::string, std::string>> order;
  std::map<std::pair<std::string, std::string>, std::vector<const Finding*>> experiments;
  for (const auto& f : file.findings) {
    if (!f.location || !f.location->coordinate) {
      result.left_out.push_back(f.id + (f.location ? ": no coordinate (region-only)"
                                                   : ": a connection, which Sleuth cannot hold"));
      continue;
    }
    const auto key = std::make_pair(f.study, f.contrast.value_or("all"));
    if (!experiments.count(key)) order.push_back(key);
    experiments[key].push_back(&f);
  }
  std::ostringstream out;
  out << "// Reference=MNI\n";
  bool first = true;
  for (const auto& key : order) {
    const auto& list = experiments[key];
    const Study* study = file.find_study(key.first);
    std::string subjects;
    if (list.front()->sample_size) {
      subjects = std::to_string(*list.front()->sample_size);
    } else if (study && study->patients) {
      subjects = std::to_string(*study->patients + study->controls.value_or(0));
    } else {
      subjects =
          imported_or(*list.front(), "subjects", imported_or(*list.front(), "sample_size", ""));
    }
    if (subjects.empty()) {
      throw input_error("study '" + key.first +
                        "' has no sample size (patients, or an imported "
                        "subject count); Sleuth files need one per experiment");
    }
    if (!first) out << '\n';
    first = false;
    out << "// " << key.first << ": " << key.second << '\n';
    out << "// Subjects=" << subjects << '\n';
    for (const Finding* f : list) {
      const Vec3 mni =
          to_mni(f->location->coordinate->point, f->location->coordinate->space, transform);
      out << format_mm(mni.x) << '\t' << format_mm(mni.y) << '\t' << format_mm(mni.z) << '\n';
    }
  }
  result.main = out.str();
  return result;
}

ExportResult export_tsv(const FindingsFile& file) {
  std::ostringstream out;
  out << "id\tstudy\tmeasure\tdirection\tx\ty\tz\tspace\tregion\themisphere\tvoxels\tvalue\t"
         "endpoint\tsource_anchor\n";
  const auto row = [&](const Finding& f, const Location& l, const std::string& endpoint) {
    out << tsv_cell(f.id) << '\t' << tsv_cell(f.study) << '\t' << tsv_cell(f.measure.value_or(""))
        << '\t' << (f.direction ? to_string(*f.direction) : "") << '\t';
    if (l.coordinate) {
      out << fmt::format("{}\t{}\t{}\t", l.coordinate->point.x, l.coordinate->point.y,
                         l.coordinate->point.z)
          << to_string(l.coordinate->space) << '\t';
    } else {
      out << "\t\t\t\t";
    }
    out << tsv_cell(l.region.value_or("")) << '\t' << (l.hemisphere ? to_string(*l.hemisphere) : "")
        << '\t' << (f.cluster && f.cluster->voxels ? std::to_string(*f.cluster->voxels) : "")
        << '\t' << (f.value ? fmt::format("{}", *f.value) : "") << '\t' << endpoint << '\t'
        << tsv_cell(f.source_anchor) << '\n';
  };
  for (const auto& f : file.findings) {
    if (f.location) {
      row(f, *f.location, "");
    } else {
      row(f, f.endpoints[0], "1");
      row(f, f.endpoints[1], "2");
    }
  }
  ExportResult result;
  result.main = out.str();
  return result;
}

}  // namespace foci
