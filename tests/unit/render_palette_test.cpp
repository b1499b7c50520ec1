// The direction colours stay apart for readers with red-green colour blindness: checked
// under a published simulation, not by eye.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <string>
#include <utility>
#include <vector>

#include "render/scene.hpp"

namespace foci {
namespace {

using Matrix = std::array<std::array<double, 3>, 3>;

// Machado, G. M., Oliveira, M. M. & Fernandes, L. A. F. (2009). A physiologically-based
// model for simulation of color vision deficiency. IEEE Transactions on Visualization and
// Computer Graphics 15(6), 1291-1298. Severity 1.0 (dichromacy), applied to linear RGB.
constexpr Matrix kProtanopia{{{0.152286, 1.052583, -0.204868},
                              {0.114503, 0.786281, 0.099216},
                              {-0.003882, -0.048116, 1.051998}}};
constexpr Matrix kDeuteranopia{{{0.367322, 0.860646, -0.227968},
                                {0.280085, 0.672501, 0.047413},
                                {-0.011820, 0.042940, 0.968881}}};
constexpr Matrix kNormal{{{1, 0, 0}, {0, 1, 0}, {0, 0, 1}}};

/// Far enough apart that three colours are told apart at a glance on a figure (a just
/// noticeable difference is about 2.3).
constexpr double kMinimumDistance = 40;

double to_linear(double c) { return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4); }

/// CIE L*a*b* (D65) of an sRGB colour seen through `vision` (in linear RGB).
std::array<double, 3> lab_seen(Rgb colour, const Matrix& vision) {
  const std::array<double, 3> in{to_linear(colour.r), to_linear(colour.g), to_linear(colour.b)};
  std::array<double, 3> rgb{};
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j) rgb[i] += vision[i][j] * in[j];
    rgb[i] = std::clamp(rgb[i], 0.0, 1.0);
  }
  const double X = 0.4124 * rgb[0] + 0.3576 * rgb[1] + 0.1805 * rgb[2];
  const double Y = 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2];
  const double Z = 0.0193 * rgb[0] + 0.1192 * rgb[1] + 0.9505 * rgb[2];
  const auto f = [](double t) {
    return t > 216.0 / 24389 ? std::cbrt(t) : (24389.0 / 27 * t + 16) / 116;
  };
  const double fx = f(X / 0.95047), fy = f(Y), fz = f(Z / 1.08883);
  return {116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz)};
}

/// CIE 1976 colour difference.
double distance(Rgb a, Rgb b, const Matrix& vision) {
  const auto p = lab_seen(a, vision), q = lab_seen(b, vision);
  return std::hypot(p[0] - q[0], p[1] - q[1], p[2] - q[2]);
}

TEST(RenderPalette, TheSimulationSeesRedAndGreenAlikeForDichromats) {
  // The matrices as used here do what they should: pure red and a matched green, far apart
  // in normal vision, come close for protanopes and deuteranopes.
  const Rgb red{0.8, 0.4, 0.0}, green{0.5, 0.55, 0.0};
  EXPECT_GT(distance(red, green, kNormal), 30);
  EXPECT_LT(distance(red, green, kDeuteranopia), 12);
  EXPECT_LT(distance(red, green, kProtanopia), 15);
}

TEST(RenderPalette, IncreaseDecreaseAndBothStayApartUnderProtanopiaAndDeuteranopia) {
  const std::vector<std::pair<std::string, Rgb>> colours{
      {"increase", increase_colour()}, {"decrease", decrease_colour()}, {"both", mixed_colour()}};
  const std::vector<std::pair<std::string, Matrix>> visions{
      {"normal vision", kNormal}, {"protanopia", kProtanopia}, {"deuteranopia", kDeuteranopia}};
  for (const auto& [vision_name, vision] : visions) {
    for (std::size_t i = 0; i < colours.size(); ++i) {
      for (std::size_t j = i + 1; j < colours.size(); ++j) {
        EXPECT_GE(distance(colours[i].second, colours[j].second, vision), kMinimumDistance)
            << colours[i].first << " and " << colours[j].first << " in " << vision_name;
      }
    }
  }
}

TEST(RenderPalette, IncreaseIsWarmAndDecreaseCoolAsPapersDrawThem) {
  EXPECT_GT(increase_colour().r, increase_colour().b + 0.3);
  EXPECT_GT(decrease_colour().b, decrease_colour().r + 0.3);
}

}  // namespace
}  // namespace foci
