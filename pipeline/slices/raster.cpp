#include "slices/raster.hpp"

#include <algorithm>
#include <cmath>

namespace foci {

namespace {

std::uint8_t byte_of(double unit) {
  return static_cast<std::uint8_t>(std::lround(std::clamp(unit, 0.0, 1.0) * 255));
}

}  // namespace

PixelColour to_pixel_colour(Rgb colour, double opacity) {
  return {byte_of(colour.r), byte_of(colour.g), byte_of(colour.b), byte_of(opacity)};
}

RgbImage::RgbImage(int w, int h, Rgb background) : width(w), height(h) {
  const PixelColour c = to_pixel_colour(background);
  rgb.resize(static_cast<std::size_t>(w) * h * 3);
  for (std::size_t n = 0; n < rgb.size(); n += 3) rgb[n] = c.r, rgb[n + 1] = c.g, rgb[n + 2] = c.b;
}

void RgbImage::blend(int x, int y, PixelColour colour, double coverage) {
  if (!contains(x, y) || coverage <= 0 || colour.a == 0) return;
  // Integer arithmetic on bytes: the same blend everywhere, whatever the floating point.
  const int a = static_cast<int>(std::lround(colour.a * std::min(coverage, 1.0)));
  std::uint8_t* p = &rgb[3 * (static_cast<std::size_t>(y) * width + x)];
  const std::uint8_t c[3] = {colour.r, colour.g, colour.b};
  for (int k = 0; k < 3; ++k)
    p[k] = static_cast<std::uint8_t>((c[k] * a + p[k] * (255 - a) + 127) / 255);
}

void fill_box(RgbImage& image, double x0, double y0, double x1, double y1, PixelColour colour) {
  const int ix0 = std::max(0, static_cast<int>(std::ceil(x0 - 0.5)));
  const int iy0 = std::max(0, static_cast<int>(std::ceil(y0 - 0.5)));
  const int ix1 = std::min(image.width, static_cast<int>(std::ceil(x1 - 0.5)));
  const int iy1 = std::min(image.height, static_cast<int>(std::ceil(y1 - 0.5)));
  for (int y = iy0; y < iy1; ++y) {
    for (int x = ix0; x < ix1; ++x) image.blend(x, y, colour);
  }
}

void draw_disk(RgbImage& image, double cx, double cy, double radius, PixelColour fill,
               PixelColour edge, double outline) {
  const double outer = radius + outline;
  for (int y = static_cast<int>(std::floor(cy - outer - 1)); y <= cy + outer + 1; ++y) {
    for (int x = static_cast<int>(std::floor(cx - outer - 1)); x <= cx + outer + 1; ++x) {
      const double d = std::hypot(x + 0.5 - cx, y + 0.5 - cy);
      // Coverage of a pixel by a circle's edge, linear over one pixel.
      const double in_outer = std::clamp(outer + 0.5 - d, 0.0, 1.0);
      const double in_fill = std::clamp(radius + 0.5 - d, 0.0, 1.0);
      if (outline > 0) image.blend(x, y, edge, in_outer);
      image.blend(x, y, fill, in_fill);
    }
  }
}

void draw_line(RgbImage& image, double x0, double y0, double x1, double y1, double width,
               PixelColour colour) {
  const double dx = x1 - x0, dy = y1 - y0, length = std::hypot(dx, dy);
  if (length < 1e-9) return;
  const double ux = dx / length, uy = dy / length, half = width / 2;
  const int xa = static_cast<int>(std::floor(std::min(x0, x1) - half - 1));
  const int xb = static_cast<int>(std::ceil(std::max(x0, x1) + half + 1));
  const int ya = static_cast<int>(std::floor(std::min(y0, y1) - half - 1));
  const int yb = static_cast<int>(std::ceil(std::max(y0, y1) + half + 1));
  for (int y = std::max(ya, 0); y <= std::min(yb, image.height - 1); ++y) {
    for (int x = std::max(xa, 0); x <= std::min(xb, image.width - 1); ++x) {
      const double px = x + 0.5 - x0, py = y + 0.5 - y0;
      const double along = px * ux + py * uy, across = std::abs(px * uy - py * ux);
      const double coverage = std::clamp(half + 0.5 - across, 0.0, 1.0) *
                              std::clamp(std::min(along + 0.5, length + 0.5 - along), 0.0, 1.0);
      image.blend(x, y, colour, coverage);
    }
  }
}

}  // namespace foci
