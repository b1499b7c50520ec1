#pragma once
// The plain coordinate table: TSV or CSV with a header naming at least `x`, `y` and `z` (mm).
// An optional `space` column says MNI or Talairach per row (empty: the table's default).
// Other columns are kept as text, in order, so a command can echo them beside its answer.
// Lines starting with '#' and blank lines are skipped; so is a leading UTF-8 byte-order mark
// (Excel writes one), while a UTF-16 file, or text that is not UTF-8, is refused. The file
// may be gzip-compressed (core/text_file.hpp).
//
// The header line sets the delimiter: a tab if it has one; else a comma if the file name ends
// in .csv or the header has a comma; else runs of spaces. Comma-separated rows are read as
// RFC 4180 (what Excel saves): a field in double quotes may hold commas, doubled quotes ("")
// and line breaks. Tab- and space-separated rows are split as they are, quotes and all.
//
// A table of regions (a review's table of region names, no coordinates) is read when the
// caller allows it: then the header may have `region` instead of x, y and z, and a row whose
// x, y and z are all empty is a region-only row, which must name a region.
#include <optional>
#include <string>
#include <vector>

#include "core/coordinate_space.hpp"
#include "core/geometry.hpp"
#include "core/text_file.hpp"

namespace foci {

struct CoordinateRow {
  std::size_t line = 0;       ///< 1-based line number in the file where the row starts
  std::optional<Vec3> point;  ///< as written, in `space`; absent for a region-only row
  CoordinateSpace space = CoordinateSpace::mni;
  std::vector<std::string> fields;  ///< every field of the row, as written (quotes removed)
};

struct CoordinateTable {
  std::string path;
  std::vector<std::string> header;
  std::vector<CoordinateRow> rows;
};

/// Whether rows may name a region instead of giving a coordinate.
enum class RegionRows {
  refused,  ///< every row needs x, y and z (looking points up in an atlas)
  allowed,  ///< a row may give a region only (importing findings)
};

/// Coordinates beyond this (mm) are refused: no brain is that large, and such a number is
/// a unit or column mistake.
constexpr double kMaxCoordinateMagnitudeMm = 1000.0;

/// Reads a coordinate table one row at a time, holding only the row being read, so a table of
/// ten million rows costs no more memory than one of ten.
///
/// Throws Error (input) naming the file and line: missing file, empty file, a UTF-16 file,
/// text that is not UTF-8 (see core/text_file.hpp), a missing x/y/z column (or, with region
/// rows allowed, neither x/y/z nor region), two columns of one name (ignoring case), a row
/// with the wrong number of fields, a quoted field never closed, a coordinate that is not a
/// finite number or lies beyond kMaxCoordinateMagnitudeMm, an unknown space, a region-only row
/// with no region, or no rows at all.
class CoordinateTableReader {
 public:
  /// Opens the file and reads up to its header.
  CoordinateTableReader(const std::string& path, CoordinateSpace default_space,
                        RegionRows region_rows = RegionRows::refused);

  const std::string& path() const { return lines_.path(); }
  const std::vector<std::string>& header() const { return header_; }
  /// The line the header is on.
  std::size_t header_line() const { return header_line_; }
  /// The next row into `row`; false after the last one (and an error if there was none).
  bool next(CoordinateRow& row);

 private:
  TextFileReader lines_;
  CoordinateSpace default_space_;
  bool regions_allowed_;
  std::vector<std::string> header_;
  int delimiter_ = 0;
  int col_[3] = {-1, -1, -1};
  int space_col_ = -1, region_col_ = -1;
  bool has_xyz_ = false;
  std::size_t header_line_ = 0;
  std::size_t rows_ = 0;
  std::string line_;
};

/// The whole table at once, through CoordinateTableReader: for tables known to be small.
CoordinateTable read_coordinate_table(const std::string& path, CoordinateSpace default_space,
                                      RegionRows region_rows = RegionRows::refused);

}  // namespace foci
