#include <cmath>
#include <filesystem>
#include <map>
#include <set>

#include "core/error.hpp"
#include "core/text.hpp"
#include "findings/coordinate_table.hpp"
#include "findings/import_support.hpp"
#include "findings/importers.hpp"

namespace foci {

FindingsFile import_coordinate_tsv(const std::string& path, CoordinateSpace default_space,
                                   const FindingSink& sink) {
  CoordinateTableReader table(path, default_space, RegionRows::allowed);
  const auto& header = table.header();
  std::map<std::string, int> column;
  for (std::size_t c = 0; c < header.size(); ++c) column[to_lower(header[c])] = c;
  const std::set<std::string> known{"x",     "y",     "z",      "space",      "voxels", "direction",
                                    "value", "label", "region", "hemisphere", "study",  "measure"};
  // Columns foci does not know travel with each finding, under their names.
  std::vector<std::size_t> unknown;
  for (std::size_t c = 0; c < header.size(); ++c) {
    if (!known.count(to_lower(header[c]))) {
      within_limit(header[c], kMaxNameLength, path + ":" + std::to_string(table.header_line()),
                   "the name of column " + std::to_string(c + 1));
      unknown.push_back(c);
    }
  }
  const std::string file_name = std::filesystem::path(path).filename().string();
  const std::string default_study = std::filesystem::path(path).stem().string();
  FindingsFile out;
  out.title = "Coordinates from " + file_name;
  out.source.citation = "coordinate table " + file_name;
  IdMaker study_ids;
  CoordinateRow row;
  while (table.next(row)) {
    const std::string place = path + ":" + std::to_string(row.line);
    const auto cell = [&](const char* name,
                          std::size_t limit = kMaxTextLength) -> std::optional<std::string> {
      const auto it = column.find(name);
      if (it == column.end()) return std::nullopt;
      const std::string value(trim(row.fields[it->second]));
      if (value.empty()) return std::nullopt;  // an empty cell: not reported
      within_limit(value, limit, place, "column '" + header[it->second] + "'");
      return value;
    };
    Finding f;
    f.id = "row-" + std::to_string(row.line);
    const std::string study_name = cell("study").value_or(default_study);
    const auto [study_id, new_study] = study_ids.id_of(study_name);
    f.study = study_id;
    if (new_study) {
      Study s;
      s.id = study_id;
      s.citation = study_name;  // as written: the id may have lost its letters
      out.studies.push_back(s);
    }
    f.measure = cell("measure", kMaxNameLength);
    if (const auto d = cell("direction")) {
      f.direction = parse_direction(to_lower(*d));
      if (!f.direction) {
        throw input_error(place + ": column 'direction': expected one of " + direction_words() +
                          ", got '" + excerpt(*d) + "'");
      }
    }
    Location location;
    if (row.point) location.coordinate = ReportedCoordinate{*row.point, row.space};
    location.region = cell("region", kMaxNameLength);
    if (const auto h = cell("hemisphere")) {
      const auto parsed = parse_hemisphere(*h);
      if (!parsed || *parsed == Hemisphere::midline) {
        throw input_error(place +
                          ": column 'hemisphere': expected left, right or bilateral, got '" +
                          excerpt(*h) + "'");
      }
      location.hemisphere = parsed;
    }
    f.location = location;
    if (const auto v = cell("voxels")) {
      const auto n = parse_integer(*v);
      if (!n || *n < 1) {
        throw input_error(place + ": column 'voxels': expected a positive whole number, got '" +
                          excerpt(*v) + "'");
      }
      f.cluster = Cluster{n, std::nullopt};
    }
    if (const auto v = cell("value")) {
      f.value = parse_finite_double(*v);
      if (!f.value || std::abs(*f.value) > kMaxValueMagnitude) {
        throw input_error(place + ": column 'value': '" + excerpt(*v) +
                          "' is not a number within +/-1e12");
      }
    }
    if (const auto l = cell("label")) f.imported["label"] = *l;
    for (const std::size_t c : unknown) {
      if (!trim(row.fields[c]).empty()) {
        f.imported[header[c]] = within_limit(row.fields[c], kMaxTextLength, place,
                                             "column '" + excerpt(header[c]) + "'");
      }
    }
    f.source_anchor = file_name + ":" + std::to_string(row.line);
    sink(std::move(f));
  }
  return out;
}

FindingsFile import_coordinate_tsv(const std::string& path, CoordinateSpace default_space) {
  return collect_findings(
      [&](const FindingSink& sink) { return import_coordinate_tsv(path, default_space, sink); });
}

}  // namespace foci
