#pragma once
// An RGB image in memory and the few marks 2D figures are made of: filled boxes, blended
// pixels, anti-aliased disks and lines. Plain C++: slice figures are composed here pixel by
// pixel, so the same inputs give the same pixels on any machine.
#include <cstdint>
#include <vector>

#include "render/scene.hpp"

namespace foci {

/// An RGBA colour in bytes; alpha 0 is fully transparent.
struct PixelColour {
  std::uint8_t r = 0, g = 0, b = 0, a = 255;
};

PixelColour to_pixel_colour(Rgb colour, double opacity = 1.0);

/// Pixels top row first, x fastest, three bytes each.
struct RgbImage {
  int width = 0, height = 0;
  std::vector<std::uint8_t> rgb;

  RgbImage() = default;
  RgbImage(int w, int h, Rgb background);
  bool contains(int x, int y) const { return x >= 0 && y >= 0 && x < width && y < height; }
  const std::uint8_t* at(int x, int y) const {
    return &rgb[3 * (static_cast<std::size_t>(y) * width + x)];
  }
  /// Blends `colour` over pixel (x, y) with its alpha times `coverage` (0..1); outside: nothing.
  void blend(int x, int y, PixelColour colour, double coverage = 1.0);
  void set(int x, int y, PixelColour colour) { blend(x, y, {colour.r, colour.g, colour.b, 255}); }
};

/// Fills the pixels whose centres lie in [x0, x1) x [y0, y1) (pixels, top-left origin).
void fill_box(RgbImage& image, double x0, double y0, double x1, double y1, PixelColour colour);
/// A disk centred at (x, y) pixels, edges anti-aliased; `outline` px of `edge` colour around.
void draw_disk(RgbImage& image, double x, double y, double radius, PixelColour fill,
               PixelColour edge, double outline);
/// A straight line `width` px wide, ends square, edges anti-aliased.
void draw_line(RgbImage& image, double x0, double y0, double x1, double y1, double width,
               PixelColour colour);

}  // namespace foci
