#pragma once
// The plain coordinate table: TSV with a header naming at least `x`, `y` and `z` (mm).
// An optional `space` column says MNI or Talairach per row (empty: the table's default).
// Other columns are kept as text, in order, so a command can echo them beside its answer.
// Lines starting with '#' and blank lines are skipped. If the header has no tab, fields are
// split on runs of spaces instead.
#include <optional>
#include <string>
#include <vector>

#include "core/coordinate_space.hpp"
#include "core/geometry.hpp"

namespace foci {

struct CoordinateRow {
  std::size_t line = 0;  ///< 1-based line number in the file
  Vec3 point;            ///< as written, in `space`
  CoordinateSpace space = CoordinateSpace::mni;
  std::vector<std::string> fields;  ///< every field of the row, as written
};

struct CoordinateTable {
  std::string path;
  std::vector<std::string> header;
  std::vector<CoordinateRow> rows;
};

/// Coordinates beyond this (mm) are refused: no brain is that large, and such a number is
/// a unit or column mistake.
constexpr double kMaxCoordinateMagnitudeMm = 1000.0;

/// Throws Error (input) naming the file and line: missing file, empty file, a missing x/y/z
/// column, a row with the wrong number of fields, a coordinate that is not a finite number
/// or lies beyond kMaxCoordinateMagnitudeMm, an unknown space, or no rows at all.
CoordinateTable read_coordinate_table(const std::string& path, CoordinateSpace default_space);

}  // namespace foci
