#include <filesystem>
#include <map>
#include <set>

#include "core/error.hpp"
#include "core/hash.hpp"
#include "core/text.hpp"
#include "findings/coordinate_table.hpp"
#include "findings/importers.hpp"

namespace foci {

FindingsFile import_coordinate_tsv(const std::string& path, CoordinateSpace default_space) {
  const CoordinateTable table = read_coordinate_table(path, default_space, RegionRows::allowed);
  std::map<std::string, int> column;
  for (std::size_t c = 0; c < table.header.size(); ++c) column[to_lower(table.header[c])] = c;
  const auto cell = [&](const CoordinateRow& row, const char* name) -> std::optional<std::string> {
    const auto it = column.find(name);
    if (it == column.end()) return std::nullopt;
    const std::string value(trim(row.fields[it->second]));
    if (value.empty()) return std::nullopt;  // an empty cell: not reported
    return value;
  };
  const std::string file_name = std::filesystem::path(path).filename().string();
  FindingsFile out;
  out.title = "Coordinates from " + file_name;
  out.source.citation = "coordinate table " + file_name;
  std::map<std::string, bool> studies;
  const std::set<std::string> known{"x",     "y",     "z",      "space",      "voxels", "direction",
                                    "value", "label", "region", "hemisphere", "study",  "measure"};
  for (const auto& row : table.rows) {
    const std::string place = path + ":" + std::to_string(row.line);
    Finding f;
    f.id = "row-" + std::to_string(row.line);
    const std::string study_name =
        cell(row, "study").value_or(std::filesystem::path(path).stem().string());
    f.study = make_id(study_name);
    if (!studies.count(f.study)) {
      studies[f.study] = true;
      Study s;
      s.id = f.study;
      s.citation = study_name;  // as written: the id may have lost its letters
      out.studies.push_back(s);
    }
    f.measure = cell(row, "measure");
    if (const auto d = cell(row, "direction")) {
      f.direction = parse_direction(to_lower(*d));
      if (!f.direction) {
        throw input_error(place + ": column 'direction': expected one of " + direction_words() +
                          ", got '" + *d + "'");
      }
    }
    Location location;
    if (row.point) location.coordinate = ReportedCoordinate{*row.point, row.space};
    location.region = cell(row, "region");
    if (const auto h = cell(row, "hemisphere")) {
      const auto parsed = parse_hemisphere(*h);
      if (!parsed || *parsed == Hemisphere::midline) {
        throw input_error(
            place + ": column 'hemisphere': expected left, right or bilateral, got '" + *h + "'");
      }
      location.hemisphere = parsed;
    }
    f.location = location;
    if (const auto v = cell(row, "voxels")) {
      const auto n = parse_integer(*v);
      if (!n || *n < 1) {
        throw input_error(place + ": column 'voxels': expected a positive whole number, got '" +
                          *v + "'");
      }
      f.cluster = Cluster{n, std::nullopt};
    }
    if (const auto v = cell(row, "value")) {
      f.value = parse_finite_double(*v);
      if (!f.value) throw input_error(place + ": column 'value': '" + *v + "' is not a number");
    }
    if (const auto l = cell(row, "label")) f.imported["label"] = *l;
    // Columns foci does not know travel with the finding.
    for (std::size_t c = 0; c < table.header.size(); ++c) {
      if (!known.count(to_lower(table.header[c])) && !trim(row.fields[c]).empty()) {
        f.imported[table.header[c]] = row.fields[c];
      }
    }
    f.source_anchor = file_name + ":" + std::to_string(row.line);
    out.findings.push_back(std::move(f));
  }
  return out;
}

std::string make_id(const std::string& text) {
  std::string id;
  bool non_ascii = false;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    non_ascii |= byte >= 0x80;
    if (std::isalnum(byte) || c == '.' || c == '_' || c == '-') {
      id += c;
    } else if (!id.empty() && id.back() != '-') {
      id += '-';
    }
  }
  while (!id.empty() && id.back() == '-') id.pop_back();
  if (non_ascii) {
    // Ids are ASCII (the schema says so), so "张三 2020" and "李四 2020" would both be "2020":
    // a hash of the whole name keeps them apart, the same on every run.
    id += (id.empty() ? "" : "-") + content_hash(text).substr(0, 8);
  }
  return id.empty() ? "study" : id;
}

std::optional<ImportFormat> parse_import_format(const std::string& word) {
  if (word == "brainnet") return ImportFormat::brainnet;
  if (word == "sleuth") return ImportFormat::sleuth;
  if (word == "nimare") return ImportFormat::nimare;
  if (word == "neurosynth") return ImportFormat::neurosynth;
  if (word == "tsv") return ImportFormat::tsv;
  return std::nullopt;
}

FindingsFile import_findings(const ImportRequest& request) {
  const auto one_input = [&]() -> const std::string& {
    if (request.inputs.size() != 1) {
      throw usage_error("this format takes one input file, got " +
                        std::to_string(request.inputs.size()));
    }
    return request.inputs.front();
  };
  switch (request.format) {
    case ImportFormat::brainnet:
      return import_brainnet(one_input(), request.edges);
    case ImportFormat::sleuth:
      return import_sleuth(request.inputs);
    case ImportFormat::nimare:
      return import_nimare(one_input());
    case ImportFormat::neurosynth:
      if (!request.metadata) {
        throw usage_error("Neurosynth coordinates need their metadata file: --metadata FILE");
      }
      return import_neurosynth(one_input(), *request.metadata);
    case ImportFormat::tsv:
      return import_coordinate_tsv(one_input(), request.default_space);
  }
  throw Error(ExitCode::internal, "unknown import format");
}

}  // namespace foci
