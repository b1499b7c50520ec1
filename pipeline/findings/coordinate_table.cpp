#include "findings/coordinate_table.hpp"

#include <cmath>
#include <filesystem>
#include <map>

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

/// One comma-separated record as RFC 4180 has it, starting with `line` (physical line
/// `start`); a quoted field that runs past the end of the line continues on the next ones,
/// its line breaks kept as "\n". A quote inside an unquoted field is kept as a character
/// (lenient, as spreadsheets are); text after a closing quote is refused, since it means the
/// quoting is not what the writer meant. Errors name the line where the record starts.
std::vector<std::string> split_csv_record(std::string line, TextFileReader& lines,
                                          const std::string& path, std::size_t start) {
  std::vector<std::string> fields;
  std::string field;
  bool at_field_start = true, quoted = false, after_quote = false;
  std::size_t i = 0;
  while (true) {
    if (i == line.size()) {
      if (!quoted) break;
      // The quoted field holds a line break: the record goes on on the next line.
      if (field.size() > kMaxLineBytes || !lines.next(line)) {
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

CoordinateTableReader::CoordinateTableReader(const std::string& path, CoordinateSpace default_space,
                                             RegionRows region_rows)
    : lines_([&] {
        std::error_code ec;
        if (!std::filesystem::is_regular_file(path, ec)) {
          throw input_error("cannot read coordinate file '" + path + "': no such file");
        }
        return path;
      }()),
      default_space_(default_space),
      regions_allowed_(region_rows == RegionRows::allowed) {
  while (lines_.next(line_)) {
    const std::size_t number = lines_.line_number();
    const auto t = trim(line_);
    if (t.empty() || t[0] == '#') continue;
    const Delimiter delimiter = delimiter_of(line_, path);
    delimiter_ = static_cast<int>(delimiter);
    switch (delimiter) {
      case Delimiter::tab:
        header_ = split_tabs(line_);
        break;
      case Delimiter::comma:
        header_ = split_csv_record(line_, lines_, path, number);
        // Spreadsheets write rows they think touched as ",,,": nothing in them.
        if (all_blank(header_)) continue;
        break;
      case Delimiter::spaces:
        header_ = split_whitespace(line_);
        break;
    }
    header_line_ = number;
    const auto place = path + ":" + std::to_string(number);
    // Known columns are found ignoring case, so "X" and "x" would both be the x column, and
    // an echoed or imported column would silently lose one of two cells of the same name.
    std::map<std::string, int> seen;
    for (int c = 0; c < static_cast<int>(header_.size()); ++c) {
      header_[c] = std::string(trim(header_[c]));
      const std::string h = to_lower(header_[c]);
      const auto [first, inserted] = seen.emplace(h, c);
      if (!inserted) {
        throw input_error(place + ": columns " + std::to_string(first->second + 1) + " ('" +
                          excerpt(header_[first->second]) + "') and " + std::to_string(c + 1) +
                          " ('" + excerpt(header_[c]) +
                          "') have the same name (ignoring case); rename or remove one");
      }
      if (h == "x") col_[0] = c;
      if (h == "y") col_[1] = c;
      if (h == "z") col_[2] = c;
      if (h == "space") space_col_ = c;
      if (h == "region") region_col_ = c;
    }
    has_xyz_ = col_[0] >= 0 && col_[1] >= 0 && col_[2] >= 0;
    const bool any_xyz = col_[0] >= 0 || col_[1] >= 0 || col_[2] >= 0;
    if (regions_allowed_ && !any_xyz && region_col_ < 0) {
      throw input_error(place +
                        ": the header has neither x, y and z columns nor a region column "
                        "(a table of coordinates needs x, y and z in mm; a table of regions "
                        "needs region)");
    }
    if (!regions_allowed_ || any_xyz) {
      for (int a = 0; a < 3; ++a) {
        if (col_[a] < 0) {
          throw input_error(place + ": the header has no '" + std::string(1, "xyz"[a]) +
                            "' column (it needs x, y and z)");
        }
      }
    }
    return;
  }
  throw input_error(path + ": the file is empty (expected a header with x, y and z" +
                    (regions_allowed_ ? std::string(", or with region)") : std::string(")")));
}

bool CoordinateTableReader::next(CoordinateRow& row) {
  const std::string& path = lines_.path();
  while (lines_.next(line_)) {
    const std::size_t number = lines_.line_number();
    const auto t = trim(line_);
    if (t.empty() || t[0] == '#') continue;
    switch (static_cast<Delimiter>(delimiter_)) {
      case Delimiter::tab:
        split_tabs(line_, row.fields);
        break;
      case Delimiter::comma:
        row.fields = split_csv_record(line_, lines_, path, number);
        if (all_blank(row.fields)) continue;
        break;
      case Delimiter::spaces:
        row.fields = split_whitespace(line_);
        break;
    }
    // Made only for a message: most rows need none.
    const auto place = [&] { return path + ":" + std::to_string(number); };
    row.line = number;
    row.point.reset();
    if (row.fields.size() != header_.size()) {
      throw input_error(place() + ": expected " + std::to_string(header_.size()) +
                        " fields as in the header, got " + std::to_string(row.fields.size()));
    }
    const bool no_coordinate =
        !has_xyz_ || (trim(row.fields[col_[0]]).empty() && trim(row.fields[col_[1]]).empty() &&
                      trim(row.fields[col_[2]]).empty());
    if (regions_allowed_ && no_coordinate) {
      if (region_col_ < 0 || trim(row.fields[region_col_]).empty()) {
        throw input_error(place() +
                          ": the row has neither a coordinate (x, y and z are empty) nor a "
                          "region");
      }
    } else {
      double v[3];
      for (int a = 0; a < 3; ++a) {
        const std::string& field = row.fields[col_[a]];
        const auto parsed = parse_finite_double(field);
        const std::string name(1, "xyz"[a]);
        if (!parsed) {
          throw input_error(place() + ": column '" + name + "': '" + excerpt(field) +
                            "' is not a finite number");
        }
        if (std::abs(*parsed) > kMaxCoordinateMagnitudeMm) {
          throw input_error(place() + ": column '" + name + "': " + excerpt(field) +
                            " mm is beyond +/-1000 mm; is it a voxel index or in the wrong unit?");
        }
        v[a] = *parsed;
      }
      row.point = Vec3{v[0], v[1], v[2]};
    }
    row.space = default_space_;
    if (space_col_ >= 0 && !trim(row.fields[space_col_]).empty()) {
      const auto s = parse_coordinate_space(row.fields[space_col_]);
      if (!s) {
        throw input_error(place() + ": column 'space': expected MNI or Talairach, got '" +
                          excerpt(row.fields[space_col_]) + "'");
      }
      row.space = *s;
    }
    ++rows_;
    return true;
  }
  if (rows_ == 0) {
    throw input_error(path + ": the file has a header but no " +
                      (regions_allowed_ ? "rows" : "coordinates"));
  }
  return false;
}

CoordinateTable read_coordinate_table(const std::string& path, CoordinateSpace default_space,
                                      RegionRows region_rows) {
  CoordinateTableReader reader(path, default_space, region_rows);
  CoordinateTable table;
  table.path = path;
  table.header = reader.header();
  CoordinateRow row;
  while (reader.next(row)) table.rows.push_back(row);
  return table;
}

}  // namespace foci
