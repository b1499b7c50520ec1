#include "findings/coordinate_table.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "core/text.hpp"

namespace foci {

CoordinateTable read_coordinate_table(const std::string& path, CoordinateSpace default_space) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw input_error("cannot read coordinate file '" + path + "': no such file");
  }
  std::ifstream in(path);
  if (!in) throw input_error("cannot read coordinate file '" + path + "'");

  CoordinateTable table;
  table.path = path;
  bool tabs = true;
  std::string line;
  std::size_t number = 0;
  const auto place = [&](std::size_t n) { return path + ":" + std::to_string(n); };
  int col[3] = {-1, -1, -1};
  int space_col = -1;

  while (std::getline(in, line)) {
    ++number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const auto t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    if (table.header.empty()) {
      tabs = line.find('\t') != std::string::npos;
      table.header = tabs ? split_tabs(line) : split_whitespace(line);
      for (int c = 0; c < static_cast<int>(table.header.size()); ++c) {
        const std::string h = to_lower(trim(table.header[c]));
        table.header[c] = std::string(trim(table.header[c]));
        if (h == "x") col[0] = c;
        if (h == "y") col[1] = c;
        if (h == "z") col[2] = c;
        if (h == "space") space_col = c;
      }
      for (int a = 0; a < 3; ++a) {
        if (col[a] < 0) {
          throw input_error(place(number) + ": the header has no '" + std::string(1, "xyz"[a]) +
                            "' column (it needs x, y and z)");
        }
      }
      continue;
    }
    CoordinateRow row;
    row.line = number;
    row.fields = tabs ? split_tabs(line) : split_whitespace(line);
    if (row.fields.size() != table.header.size()) {
      throw input_error(place(number) + ": expected " + std::to_string(table.header.size()) +
                        " fields as in the header, got " + std::to_string(row.fields.size()));
    }
    double v[3];
    for (int a = 0; a < 3; ++a) {
      const std::string& field = row.fields[col[a]];
      const auto parsed = parse_finite_double(field);
      const std::string name(1, "xyz"[a]);
      if (!parsed) {
        throw input_error(place(number) + ": column '" + name + "': '" + field +
                          "' is not a finite number");
      }
      if (std::abs(*parsed) > kMaxCoordinateMagnitudeMm) {
        throw input_error(place(number) + ": column '" + name + "': " + field +
                          " mm is beyond +/-1000 mm; is it a voxel index or in the wrong unit?");
      }
      v[a] = *parsed;
    }
    row.point = {v[0], v[1], v[2]};
    row.space = default_space;
    if (space_col >= 0 && !trim(row.fields[space_col]).empty()) {
      const auto s = parse_coordinate_space(row.fields[space_col]);
      if (!s) {
        throw input_error(place(number) + ": column 'space': expected MNI or Talairach, got '" +
                          row.fields[space_col] + "'");
      }
      row.space = *s;
    }
    table.rows.push_back(std::move(row));
  }
  if (table.header.empty())
    throw input_error(path +
                      ": the file is empty (expected a header "
                      "with x, y and z)");
  if (table.rows.empty()) throw input_error(path + ": the file has a header but no coordinates");
  return table;
}

}  // namespace foci
