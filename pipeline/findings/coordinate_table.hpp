#pragma once
// The plain coordinate table: TSV or CSV with a header naming at least `x`, `y` and `z` (mm).
// An optional `space` column says MNI or Talairach per row (empty: the table's default).
// Other columns are kept as text, in order, so a command can echo them beside its answer.
// Lines starting with '#' and blank lines are skipped; so is a leading UTF-8 byte-order mark
// (Excel writes one), while a UTF-16 file is refused.
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

/// Throws Error (input) naming the file and line: missing file, empty file, a UTF-16 file, a
/// missing x/y/z column (or, with region rows allowed, neither x/y/z nor region), a row with
/// the wrong number of fields, a quoted field never closed, a coordinate that is not a finite
/// number or lies beyond kMaxCoordinateMagnitudeMm, an unknown space, a region-only row with no
/// region, or no rows at all. Rows are read one at a time; only the parsed rows are kept.
CoordinateTable read_coordinate_table(const std::string& path, CoordinateSpace default_space,
                                      RegionRows region_rows = RegionRows::refused);

}  // namespace foci
