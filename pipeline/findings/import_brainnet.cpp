#include <cmath>
#include <filesystem>

#include "core/error.hpp"
#include "core/text.hpp"
#include "findings/importers.hpp"
#include "findings/text_lines.hpp"

namespace foci {

namespace {

struct Node {
  Location location;
  std::size_t line = 0;
};

}  // namespace

FindingsFile import_brainnet(const std::string& nodes_path,
                             const std::optional<std::string>& edges_path) {
  const std::string file_name = std::filesystem::path(nodes_path).filename().string();
  FindingsFile out;
  out.title = "BrainNet Viewer nodes from " + file_name;
  out.source.citation =
      "BrainNet Viewer node file " + file_name +
      (edges_path ? " with edge file " + std::filesystem::path(*edges_path).filename().string()
                  : "");
  out.studies.push_back({});
  out.studies.back().id = "brainnet";
  out.studies.back().citation = out.source.citation;

  std::vector<Node> nodes;
  const auto lines = read_text_lines(nodes_path);
  for (std::size_t n = 0; n < lines.size(); ++n) {
    const auto t = trim(lines[n]);
    if (t.empty() || t[0] == '#') continue;
    const std::string place = nodes_path + ":" + std::to_string(n + 1);
    const auto fields = split_whitespace(lines[n]);
    if (fields.size() != 6) {
      throw input_error(place + ": expected 6 fields (x y z colour size label), got " +
                        std::to_string(fields.size()));
    }
    double v[5];
    for (int c = 0; c < 5; ++c) {
      const auto parsed = parse_finite_double(fields[c]);
      if (!parsed) {
        throw input_error(place + ": field " + std::to_string(c + 1) + " ('" + fields[c] +
                          "') is not a number");
      }
      v[c] = *parsed;
    }
    Node node;
    node.line = n + 1;
    node.location.coordinate = ReportedCoordinate{{v[0], v[1], v[2]}, CoordinateSpace::mni};
    if (fields[5] != "-") node.location.region = fields[5];
    nodes.push_back(node);

    Finding f;
    f.id = "node-" + std::to_string(nodes.size());
    f.study = "brainnet";
    f.location = node.location;
    f.source_anchor = file_name + ":" + std::to_string(n + 1);
    f.imported["colour"] = fields[3];
    f.imported["size"] = fields[4];
    if (fields[5] != "-") f.imported["label"] = fields[5];
    out.findings.push_back(std::move(f));
  }
  if (nodes.empty()) throw input_error(nodes_path + ": no nodes");
  if (!edges_path) return out;

  std::vector<std::vector<double>> matrix;
  std::vector<std::size_t> matrix_lines;
  const auto edge_lines = read_text_lines(*edges_path);
  for (std::size_t n = 0; n < edge_lines.size(); ++n) {
    const auto t = trim(edge_lines[n]);
    if (t.empty() || t[0] == '#') continue;
    const auto fields = split_whitespace(edge_lines[n]);
    std::vector<double> row;
    for (std::size_t c = 0; c < fields.size(); ++c) {
      const auto parsed = parse_finite_double(fields[c]);
      if (!parsed) {
        throw input_error(*edges_path + ":" + std::to_string(n + 1) + ": column " +
                          std::to_string(c + 1) + " ('" + fields[c] + "') is not a number");
      }
      row.push_back(*parsed);
    }
    matrix.push_back(std::move(row));
    matrix_lines.push_back(n + 1);
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
      f.study = "brainnet";
      f.endpoints = {nodes[i].location, nodes[j].location};
      f.value = matrix[i][j];
      f.source_anchor =
          edge_name + ":" + std::to_string(matrix_lines[i]) + ", column " + std::to_string(j + 1);
      f.imported["directed"] = symmetric ? "no" : "yes";
      out.findings.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace foci
