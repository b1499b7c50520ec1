#include "findings/coordinate_table.hpp"

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "core/text.hpp"

namespace foci {

namespace {

enum class Delimiter { tab, comma, spaces };

/// The delimiter the header line implies (see coordinate_table.hpp).
Delimiter delimiter_of(const std::string& header_line, const std::string& path) {
  if (header_line.find('\t') != std::string::npos) return Delimiter::tab;
  const bool csv_name = to_lower(std::filesystem::path(path).extension().string()) == ".csv";
  if (csv_name || header_line.find(',') != std::string::npos) return Delimiter::comma;
  return Delimiter::spaces;
}

/// Physical lines of a text file, numbered from 1, without line endings or a leading UTF-8
/// byte-order mark.
class LineReader {
 public:
  LineReader(std::istream& in, const std::string& path) : in_(in), path_(path) {}

  bool next(std::string& line) {
    if (!std::getline(in_, line)) return false;
    if (++number_ == 1) strip_byte_order_mark(line, path_);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return true;
  }
  std::size_t number() const { return number_; }

 private:
  std::istream& in_;
  const std::string& path_;
  std::size_t number_ = 0;
};

/// One comma-separated record as RFC 4180 has it, starting with `line` (physical line
/// `start`); a quoted field that runs past the end of the line continues on the next ones,
/// its line breaks kept as "\n". A quote inside an unquoted field is kept as a character
/// (lenient, as spreadsheets are); text after a closing quote is refused, since it means the
/// quoting is not what the writer meant. Errors name the line where the record starts.
std::vector<std::string> split_csv_record(std::string line, LineReader& lines,
                                          const std::string& path, std::size_t start) {
  std::vector<std::string> fields;
  std::string field;
  bool at_field_start = true, quoted = false, after_quote = false;
  std::size_t i = 0;
  while (true) {
    if (i == line.size()) {
      if (!quoted) break;
      // The quoted field holds a line break: the record goes on on the next line.
      if (!lines.next(line)) {
        throw input_error(path + ":" + std::to_string(start) +
                          ": a quoted field opened in this row is never closed (a '\"' is "
                          "missing)");
      }
      field += '\n';
      i = 0;
      continue;
    }
    const char c = line[i++];
    if (quoted) {
      if (c != '"') {
        field += c;
      } else if (i < line.size() && line[i] == '"') {
        field += '"';  // "" inside quotes is one quote
        ++i;
      } else {
        quoted = false;
        after_quote = true;
      }
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
      at_field_start = true;
      after_quote = false;
    } else if (at_field_start && c == '"') {
      quoted = true;
      at_field_start = false;
      field.clear();  // blanks before the opening quote
    } else if (after_quote) {
      if (c != ' ') {
        throw input_error(path + ":" + std::to_string(start) + ": field " +
                          std::to_string(fields.size() + 1) +
                          ": text after the closing quote; a quote inside a quoted field is "
                          "written twice (\"\")");
      }
    } else {
      field += c;
      // Blanks before an opening quote (`a, "b"`) still let the field be quoted.
      if (c != ' ') at_field_start = false;
    }
  }
  fields.push_back(std::move(field));
  return fields;
}

bool all_blank(const std::vector<std::string>& fields) {
  for (const auto& f : fields) {
    if (!trim(f).empty()) return false;
  }
  return true;
}

}  // namespace

CoordinateTable read_coordinate_table(const std::string& path, CoordinateSpace default_space,
                                      RegionRows region_rows) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw input_error("cannot read coordinate file '" + path + "': no such file");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) throw input_error("cannot read coordinate file '" + path + "'");

  CoordinateTable table;
  table.path = path;
  const bool regions_allowed = region_rows == RegionRows::allowed;
  Delimiter delimiter = Delimiter::tab;
  LineReader lines(in, path);
  std::string line;
  const auto place = [&](std::size_t n) { return path + ":" + std::to_string(n); };
  int col[3] = {-1, -1, -1};
  int space_col = -1, region_col = -1;
  bool has_xyz = false;

  while (lines.next(line)) {
    const std::size_t number = lines.number();
    const auto t = trim(line);
    if (t.empty() || t[0] == '#') continue;
    if (table.header.empty()) delimiter = delimiter_of(line, path);
    std::vector<std::string> fields;
    switch (delimiter) {
      case Delimiter::tab:
        fields = split_tabs(line);
        break;
      case Delimiter::comma:
        fields = split_csv_record(line, lines, path, number);
        // Spreadsheets write rows they think touched as ",,,": nothing in them.
        if (all_blank(fields)) continue;
        break;
      case Delimiter::spaces:
        fields = split_whitespace(line);
        break;
    }
    if (table.header.empty()) {
      table.header = std::move(fields);
      for (int c = 0; c < static_cast<int>(table.header.size()); ++c) {
        table.header[c] = std::string(trim(table.header[c]));
        const std::string h = to_lower(table.header[c]);
        if (h == "x") col[0] = c;
        if (h == "y") col[1] = c;
        if (h == "z") col[2] = c;
        if (h == "space") space_col = c;
        if (h == "region") region_col = c;
      }
      has_xyz = col[0] >= 0 && col[1] >= 0 && col[2] >= 0;
      const bool any_xyz = col[0] >= 0 || col[1] >= 0 || col[2] >= 0;
      if (regions_allowed && !any_xyz && region_col < 0) {
        throw input_error(place(number) +
                          ": the header has neither x, y and z columns nor a region column "
                          "(a table of coordinates needs x, y and z in mm; a table of regions "
                          "needs region)");
      }
      if (!regions_allowed || any_xyz) {
        for (int a = 0; a < 3; ++a) {
          if (col[a] < 0) {
            throw input_error(place(number) + ": the header has no '" + std::string(1, "xyz"[a]) +
                              "' column (it needs x, y and z)");
          }
        }
      }
      continue;
    }
    CoordinateRow row;
    row.line = number;
    row.fields = std::move(fields);
    if (row.fields.size() != table.header.size()) {
      throw input_error(place(number) + ": expected " + std::to_string(table.header.size()) +
                        " fields as in the header, got " + std::to_string(row.fields.size()));
    }
    const bool no_coordinate =
        !has_xyz || (trim(row.fields[col[0]]).empty() && trim(row.fields[col[1]]).empty() &&
                     trim(row.fields[col[2]]).empty());
    if (regions_allowed && no_coordinate) {
      if (region_col < 0 || trim(row.fields[region_col]).empty()) {
        throw input_error(place(number) +
                          ": the row has neither a coordinate (x, y and z are empty) nor a "
                          "region");
      }
    } else {
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
      row.point = Vec3{v[0], v[1], v[2]};
    }
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
  if (table.header.empty()) {
    throw input_error(path + ": the file is empty (expected a header with x, y and z" +
                      (regions_allowed ? std::string(", or with region)") : std::string(")")));
  }
  if (table.rows.empty()) {
    throw input_error(path + ": the file has a header but no " +
                      (regions_allowed ? "rows" : "coordinates"));
  }
  return table;
}

}  // namespace foci
