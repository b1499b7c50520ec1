// Edge smoothing (FXAA on the CPU): a staircase edge becomes nearer the line it stands for,
// a lone speck is blended into its neighbours, and nothing outside the area or inside a kept
// box changes.
#include "render/edge_smoothing.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace foci {
namespace {

constexpr int kWidth = 96, kHeight = 64;

/// Dark below a shallow line y = 20 + x / 5, light above, drawn without anti-aliasing: a
/// staircase of steps five pixels long. RGB.
std::vector<unsigned char> staircase() {
  std::vector<unsigned char> pixels(kWidth * kHeight * 3);
  for (int y = 0; y < kHeight; ++y) {
    for (int x = 0; x < kWidth; ++x) {
      const bool dark = y + 0.5 < 20 + (x + 0.5) / 5;
      for (int c = 0; c < 3; ++c) pixels[(y * kWidth + x) * 3 + c] = dark ? 30 : 240;
    }
  }
  return pixels;
}

/// How far each column's dark area (in pixels, from the column's shades) lies from the line's
/// height there, summed over columns 10 to 85 (away from the image's sides).
double error_from_line(const std::vector<unsigned char>& pixels) {
  double error = 0;
  for (int x = 10; x < 86; ++x) {
    double dark = 0;
    for (int y = 0; y < kHeight; ++y) dark += (240.0 - pixels[(y * kWidth + x) * 3]) / 210.0;
    error += std::abs(dark - (20 + (x + 0.5) / 5));
  }
  return error;
}

TEST(EdgeSmoothing, BringsAStaircaseNearerItsLine) {
  auto pixels = staircase();
  const double before = error_from_line(pixels);
  smooth_edges(pixels.data(), kWidth, kHeight, 3, {0, 0, kWidth, kHeight}, {});
  const double after = error_from_line(pixels);
  EXPECT_LT(after, before * 0.6) << "before " << before << ", after " << after;
  // Shades between the two, only near the edge; grey stays grey (every channel alike).
  int between = 0;
  for (int y = 0; y < kHeight; ++y) {
    for (int x = 0; x < kWidth; ++x) {
      const unsigned char* p = &pixels[(y * kWidth + x) * 3];
      EXPECT_TRUE(p[0] == p[1] && p[1] == p[2]) << x << "," << y;
      if (p[0] == 30 || p[0] == 240) continue;
      ++between;
      EXPECT_LE(std::abs(y + 0.5 - (20 + (x + 0.5) / 5)), 2.0) << x << "," << y;
    }
  }
  EXPECT_GT(between, kWidth / 2);
}

TEST(EdgeSmoothing, BlendsALoneSpeckIntoItsNeighbours) {
  std::vector<unsigned char> pixels(kWidth * kHeight * 4, 255);
  unsigned char* speck = &pixels[(30 * kWidth + 40) * 4];
  speck[0] = speck[1] = speck[2] = 0;
  smooth_edges(pixels.data(), kWidth, kHeight, 4, {0, 0, kWidth, kHeight}, {});
  EXPECT_GT(speck[0], 60);
  EXPECT_EQ(speck[3], 255);  // opaque stays opaque
}

TEST(EdgeSmoothing, LeavesKeptBoxesAndWhatLiesOutsideTheArea) {
  const auto original = staircase();
  auto pixels = original;
  const ImageRect area{10, 5, 80, 60}, kept{30, 0, 50, kHeight};
  smooth_edges(pixels.data(), kWidth, kHeight, 3, area, {kept});
  int changed = 0;
  for (int y = 0; y < kHeight; ++y) {
    for (int x = 0; x < kWidth; ++x) {
      const bool in_area = x >= area.x0 && x < area.x1 && y >= area.y0 && y < area.y1;
      const bool in_kept = x >= kept.x0 && x < kept.x1;
      const auto at = (y * kWidth + x) * 3;
      if (!in_area || in_kept) {
        EXPECT_EQ(pixels[at], original[at]) << x << "," << y;
      } else if (pixels[at] != original[at]) {
        ++changed;
      }
    }
  }
  EXPECT_GT(changed, 10);
}

TEST(EdgeSmoothing, ReadsNothingBeyondTheArea) {
  // What lies around the area (here, noise) does not change what is smoothed inside it.
  auto plain = staircase();
  auto noisy = staircase();
  const ImageRect area{20, 10, 70, 50};
  for (int y = 0; y < kHeight; ++y) {
    for (int x = 0; x < kWidth; ++x) {
      if (x >= area.x0 && x < area.x1 && y >= area.y0 && y < area.y1) continue;
      for (int c = 0; c < 3; ++c) noisy[(y * kWidth + x) * 3 + c] = (x * 7 + y * 13) % 2 ? 0 : 255;
    }
  }
  smooth_edges(plain.data(), kWidth, kHeight, 3, area, {});
  smooth_edges(noisy.data(), kWidth, kHeight, 3, area, {});
  for (int y = area.y0; y < area.y1; ++y) {
    for (int x = area.x0; x < area.x1; ++x) {
      const auto at = (y * kWidth + x) * 3;
      EXPECT_EQ(plain[at], noisy[at]) << x << "," << y;
    }
  }
}

}  // namespace
}  // namespace foci
