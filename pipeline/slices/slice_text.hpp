#pragma once
// Text drawn into a slice figure's pixels with VTK's FreeType tools (no window, no display),
// and the finished image as PNG. The only VTK-side part of the slices stage.
#include <string>

#include "slices/raster.hpp"

namespace foci {

struct TextStyle {
  double size_px = 12;
  Rgb colour;
  bool bold = false;
};

enum class Align { start, centre, end };

/// Width and height in pixels that `text` takes in `style`.
std::array<int, 2> text_extent(const std::string& text, const TextStyle& style);

/// Draws `text` with its box anchored at (x, y) (top-left origin): `horizontal` start puts
/// its left edge at x, `vertical` start its top edge at y.
void draw_text(RgbImage& image, const std::string& text, double x, double y, const TextStyle& style,
               Align horizontal = Align::start, Align vertical = Align::start);

/// The image as PNG bytes with `dpi` recorded.
std::string image_png(const RgbImage& image, int dpi);

}  // namespace foci
