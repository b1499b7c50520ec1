#include <cmath>
#include <filesystem>
#include <vector>

#include "core/error.hpp"
#include "core/text.hpp"
#include "core/text_file.hpp"
#include "findings/import_support.hpp"
#include "findings/importers.hpp"

namespace foci {

namespace {

struct Node {
  Location location;
  std::size_t line = 0;
};

}  // namespace

FindingsFile import_brainnet(const std::string& nodes_path,
                             const std::optional<std::string>& edges_path,
                             const FindingSink& sink) {
  const std::string file_name = std::filesystem::path(nodes_path).filename().string();
  FindingsFile out;
  out.title = "BrainNet Viewer nodes from " + file_name;
  out.source.citation =
      "BrainNet Viewer node file " + file_name +
      (edges_path ? " with edge file " + std::filesystem::path(*edges_path).filename().string()
                  : "");
  // One study for the whole file: BrainNet files name no studies. Its id comes from the same
  // id maker as every importer's.
  IdMaker study_ids;
  const std::string study = study_ids.id_of(out.source.citation, "brainnet").first;
  out.studies.push_back({});
  out.studies.back().id = study;
  out.studies.back().citation = out.source.citation;

  // Node locations are kept only when edges will need them.
  std::vector<Node> nodes;
  std::size_t node_count = 0;
  TextFileReader lines(nodes_path);
  std::string line;
  while (lines.next(line)) {
    const auto t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    const std::size_t number = lines.line_number();
    const std::string place = nodes_path + ":" + std::to_string(number);
    const auto fields = split_whitespace(line);
    if (fields.size() != 6) {
      throw input_error(place + ": expected 6 fields (x y z colour size label), got " +
                        std::to_string(fields.size()));
    }
    double v[5];
    for (int c = 0; c < 3; ++c) {
      v[c] = checked_coordinate(fields[c], place, "field " + std::to_string(c + 1));
    }
    for (int c = 3; c < 5; ++c) {
      const auto parsed = parse_finite_double(fields[c]);
      if (!parsed) {
        throw input_error(place + ": field " + std::to_string(c + 1) + " ('" + excerpt(fields[c]) +
                          "') is not a number");
      }
      v[c] = *parsed;
    }
    Node node;
    node.line = number;
    node.location.coordinate = ReportedCoordinate{{v[0], v[1], v[2]}, CoordinateSpace::mni};
    if (fields[5] != "-") {
      node.location.region = within_limit(fields[5], kMaxNameLength, place, "the label");
    }
    ++node_count;

    Finding f;
    f.id = "node-" + std::to_string(node_count);
    f.study = study;
    f.location = node.location;
    f.source_anchor = file_name + ":" + std::to_string(number);
    f.imported["colour"] = fields[3];
    f.imported["size"] = fields[4];
    if (fields[5] != "-") f.imported["label"] = fields[5];
    if (edges_path) nodes.push_back(std::move(node));
    sink(std::move(f));
  }
  if (node_count == 0) throw input_error(nodes_path + ": no nodes");
  if (!edges_path) return out;

  std::vector<std::vector<double>> matrix;
  std::vector<std::size_t> matrix_lines;
  TextFileReader edge_lines(*edges_path);
  while (edge_lines.next(line)) {
    const auto t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    const std::size_t number = edge_lines.line_number();
    const auto fields = split_whitespace(line);
    std::vector<double> row;
    for (std::size_t c = 0; c < fields.size(); ++c) {
      const auto parsed = parse_finite_double(fields[c]);
      if (!parsed || std::abs(*parsed) > kMaxValueMagnitude) {
        throw input_error(*edges_path + ":" + std::to_string(number) + ": column " +
                          std::to_string(c + 1) + " ('" + excerpt(fields[c]) +
                          "') is not a number within +/-1e12");
      }
      row.push_back(*parsed);
    }
    matrix.push_back(std::move(row));
    matrix_lines.push_back(number);
  }
  const std::size_t size = nodes.size();
  if (matrix.size() != size) {
    throw input_error(*edges_path + ": the edge matrix has " + std::to_string(matrix.size()) +
                      " rows but '" + nodes_path + "' has " + std::to_string(size) +
                      " nodes; they must match");
  }
  for (std::size_t i = 0; i < size; ++i) {
    if (matrix[i].size() != size) {
      throw input_error(*edges_path + ":" + std::to_string(matrix_lines[i]) + ": expected " +
                        std::to_string(size) + " columns (one per node), got " +
                        std::to_string(matrix[i].size()));
    }
  }
  bool symmetric = true;
  for (std::size_t i = 0; i < size && symmetric; ++i)
    for (std::size_t j = i + 1; j < size; ++j)
      if (matrix[i][j] != matrix[j][i]) {
        symmetric = false;
        break;
      }
  // The diagonal is ignored: BrainNet files put 0 or -1 there.
  const std::string edge_name = std::filesystem::path(*edges_path).filename().string();
  for (std::size_t i = 0; i < size; ++i) {
    for (std::size_t j = symmetric ? i + 1 : 0; j < size; ++j) {
      if (i == j || matrix[i][j] == 0) continue;
      Finding f;
      f.id = "edge-" + std::to_string(i + 1) + "-" + std::to_string(j + 1);
      f.study = study;
      f.endpoints = {nodes[i].location, nodes[j].location};
      f.value = matrix[i][j];
      f.source_anchor =
          edge_name + ":" + std::to_string(matrix_lines[i]) + ", column " + std::to_string(j + 1);
      f.imported["directed"] = symmetric ? "no" : "yes";
      sink(std::move(f));
    }
  }
  return out;
}

FindingsFile import_brainnet(const std::string& nodes, const std::optional<std::string>& edges) {
  return collect_findings(
      [&](const FindingSink& sink) { return import_brainnet(nodes, edges, sink); });
}

}  // namespace foci
