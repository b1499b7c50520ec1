#pragma once
// Number formatting shared by the commands' tables, so every table prints mm the same way.
#include <fmt/format.h>

#include <cmath>
#include <string>

namespace foci {

/// Millimetres with two decimals; empty for NaN (a region with no voxels has no centroid).
inline std::string format_mm(double v) {
  if (std::isnan(v)) return "";
  if (std::abs(v) < 0.005) v = 0;  // no "-0.00"
  return fmt::format("{:.2f}", v);
}

}  // namespace foci
