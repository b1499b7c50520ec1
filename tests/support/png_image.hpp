#pragma once
// PNG files read back as RGB pixels, for the tests that check where things appear in figures.
#include <string>
#include <vector>

namespace foci::testing {

struct Image {
  int width = 0, height = 0;
  std::vector<unsigned char> rgb;  ///< rows top to bottom
  const unsigned char* at(int x, int y) const { return &rgb[3 * (y * width + x)]; }
};

/// The PNG's pixels as RGB (grey images repeated in each channel, alpha dropped).
Image read_png(const std::string& path);

struct DecodedPng {
  int width = 0, height = 0, channels = 0;
  std::vector<unsigned char> pixels;  ///< rows top to bottom, every channel the file has
};

/// PNG bytes in memory decoded by libpng (through VTK's reader), alpha kept.
DecodedPng decode_png(const std::string& bytes);

}  // namespace foci::testing
