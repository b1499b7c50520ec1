#include "render/scene.hpp"

#include "core/enum_names.hpp"

namespace foci {

namespace {
constexpr NameTable<View, 8> kViewNames{{{View::left, "left"},
                                         {View::right, "right"},
                                         {View::dorsal, "dorsal"},
                                         {View::ventral, "ventral"},
                                         {View::anterior, "anterior"},
                                         {View::posterior, "posterior"},
                                         {View::medial_left, "medial-left"},
                                         {View::medial_right, "medial-right"}}};
}  // namespace

std::string to_string(View v) { return name_in(kViewNames, v); }
std::vector<std::string> view_names() { return names_in(kViewNames); }
std::optional<View> parse_view(const std::string& word) { return value_in(kViewNames, word); }

bool shows_both_sides(View v) {
  return v == View::dorsal || v == View::ventral || v == View::anterior || v == View::posterior;
}

Rgb ColourScale::colour_of(double value) const {
  if (stops.empty()) return {0.5, 0.5, 0.5};
  if (stops.size() == 1 || !(maximum > minimum)) return stops.front();
  double t = (value - minimum) / (maximum - minimum);
  t = t < 0 ? 0 : t > 1 ? 1 : t;
  const double at = t * (stops.size() - 1);
  const auto i = static_cast<std::size_t>(at);
  if (i + 1 >= stops.size()) return stops.back();
  const double f = at - i;
  return {stops[i].r + f * (stops[i + 1].r - stops[i].r),
          stops[i].g + f * (stops[i + 1].g - stops[i].g),
          stops[i].b + f * (stops[i + 1].b - stops[i].b)};
}

Rgb increase_colour() { return {0.86, 0.12, 0.12}; }
Rgb decrease_colour() { return {0.12, 0.35, 0.86}; }
// Okabe & Ito's reddish purple: the darker purple it replaces fell onto the decrease blue
// for protanopes (CIE Lab distance 15); this one stays 50 or more from red and blue under
// simulated protanopia and deuteranopia (tests/unit/render_palette_test.cpp).
Rgb mixed_colour() { return {0.80, 0.47, 0.65}; }
Rgb neutral_colour() { return {0.45, 0.45, 0.45}; }
Rgb coarse_tint(Rgb colour) {
  const auto light = [](double c) { return 1 - kCoarseTintOpacity * (1 - c); };
  return {light(colour.r), light(colour.g), light(colour.b)};
}

}  // namespace foci
