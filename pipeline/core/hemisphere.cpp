#include "core/hemisphere.hpp"

#include "core/enum_names.hpp"
#include "core/text.hpp"

namespace foci {

std::string to_string(Hemisphere h) {
  constexpr NameTable<Hemisphere, 4> names{{{Hemisphere::left, "left"},
                                            {Hemisphere::right, "right"},
                                            {Hemisphere::midline, "midline"},
                                            {Hemisphere::bilateral, "bilateral"}}};
  return name_in(names, h);
}

std::optional<Hemisphere> parse_hemisphere(std::string_view word) {
  const std::string w = to_lower(trim(word));
  if (w == "left" || w == "l" || w == "lh") return Hemisphere::left;
  if (w == "right" || w == "r" || w == "rh") return Hemisphere::right;
  if (w == "midline" || w == "m") return Hemisphere::midline;
  if (w == "bilateral" || w == "b" || w == "both") return Hemisphere::bilateral;
  return std::nullopt;
}

namespace {
bool ends_with(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}
bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}
}  // namespace

std::optional<Hemisphere> hemisphere_from_label_name(std::string_view name) {
  const std::string n = to_lower(trim(name));
  for (const char* sep : {"_", "-", " ", "."}) {
    if (ends_with(n, std::string(sep) + "l") || ends_with(n, std::string(sep) + "left"))
      return Hemisphere::left;
    if (ends_with(n, std::string(sep) + "r") || ends_with(n, std::string(sep) + "right"))
      return Hemisphere::right;
  }
  if (starts_with(n, "left ") || starts_with(n, "left_") || starts_with(n, "l_") ||
      starts_with(n, "lh_") || starts_with(n, "lh."))
    return Hemisphere::left;
  if (starts_with(n, "right ") || starts_with(n, "right_") || starts_with(n, "r_") ||
      starts_with(n, "rh_") || starts_with(n, "rh."))
    return Hemisphere::right;
  return std::nullopt;
}

Hemisphere hemisphere_of_x(double x_mm, double tolerance_mm) {
  if (x_mm < -tolerance_mm) return Hemisphere::left;
  if (x_mm > tolerance_mm) return Hemisphere::right;
  return Hemisphere::midline;
}

}  // namespace foci
