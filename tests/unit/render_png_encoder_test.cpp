#include "render/png_encoder.hpp"

#include <gtest/gtest.h>
#include <zlib.h>

#include <algorithm>
#include <cstdint>
#include <string>
#include <tuple>
#include <vector>

#include "core/error.hpp"
#include "png_image.hpp"

namespace foci {
namespace {

struct TestImage {
  int width, height, channels;
  std::vector<unsigned char> pixels;  // top row first
  PngPixels rows() const {
    return {pixels.data(), static_cast<std::ptrdiff_t>(width) * channels, width, height, channels};
  }
};

/// Flat areas, gradients and noise, like a figure's background, shading and edges.
TestImage picture(int width, int height, int channels) {
  TestImage image{width, height, channels, {}};
  image.pixels.resize(static_cast<std::size_t>(width) * height * channels);
  std::uint32_t noise = 12345;
  for (int y = 0; y < height; ++y) {
    for (int x = 0; x < width; ++x) {
      for (int c = 0; c < channels; ++c) {
        noise = noise * 1664525u + 1013904223u;
        unsigned char value = 255;
        if ((x / 16 + y / 16) % 3 == 1) value = static_cast<unsigned char>(x * 3 + y + c * 40);
        if ((x / 16 + y / 16) % 3 == 2) value = static_cast<unsigned char>(noise >> 24);
        image.pixels[(static_cast<std::size_t>(y) * width + x) * channels + c] = value;
      }
    }
  }
  return image;
}

std::uint32_t read32(const std::string& bytes, std::size_t at) {
  const auto* b = reinterpret_cast<const unsigned char*>(bytes.data()) + at;
  return std::uint32_t{b[0]} << 24 | std::uint32_t{b[1]} << 16 | std::uint32_t{b[2]} << 8 | b[3];
}

struct Chunk {
  std::string type;
  std::string data;
};

/// The file's chunks in order; fails the test on a wrong CRC or a chunk past the end.
std::vector<Chunk> chunks_of(const std::string& png) {
  std::vector<Chunk> chunks;
  EXPECT_EQ(png.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8));
  for (std::size_t at = 8; at < png.size();) {
    const std::uint32_t size = read32(png, at);
    if (at + 12 + size > png.size()) {
      ADD_FAILURE() << "chunk at " << at << " runs past the end";
      break;
    }
    const auto* typed = reinterpret_cast<const Bytef*>(png.data() + at + 4);
    EXPECT_EQ(read32(png, at + 8 + size), crc32(0, typed, size + 4)) << "CRC of chunk at " << at;
    chunks.push_back({png.substr(at + 4, 4), png.substr(at + 8, size)});
    at += 12 + size;
  }
  return chunks;
}

TEST(PngEncoder, LibpngReadsBackEveryPixelOfRgbAndRgbaImagesOfAnySize) {
  // 1000x700 RGBA is four strips (each strip's dictionary is the one before); 517 wide is odd.
  for (const auto& [width, height, channels] :
       std::vector<std::tuple<int, int, int>>{{1, 1, 3}, {3, 2, 4}, {517, 300, 3}, {1000, 700, 4}}) {
    const TestImage image = picture(width, height, channels);
    const testing::DecodedPng decoded = testing::decode_png(png_bytes(image.rows(), 300));
    EXPECT_EQ(decoded.width, width);
    EXPECT_EQ(decoded.height, height);
    EXPECT_EQ(decoded.channels, channels);
    EXPECT_TRUE(decoded.pixels == image.pixels) << width << "x" << height << "x" << channels;
  }
}

TEST(PngEncoder, TheBytesDoNotDependOnTheNumberOfThreads) {
  const TestImage image = picture(1200, 900, 3);
  const std::string one = png_bytes(image.rows(), 150, 1);
  for (unsigned threads : {2u, 3u, 8u, 0u}) {
    EXPECT_TRUE(png_bytes(image.rows(), 150, threads) == one) << threads << " threads";
  }
}

TEST(PngEncoder, RowsStoredBottomUpGiveTheSameFileAsTheSameRowsTopDown) {
  const TestImage image = picture(300, 200, 4);
  TestImage flipped = image;
  const std::size_t row = 300 * 4;
  for (int y = 0; y < 200; ++y) {
    std::copy_n(image.pixels.begin() + row * y, row, flipped.pixels.begin() + row * (199 - y));
  }
  PngPixels bottom_up{flipped.pixels.data() + row * 199, -static_cast<std::ptrdiff_t>(row), 300,
                      200, 4};
  EXPECT_TRUE(png_bytes(bottom_up, 96) == png_bytes(image.rows(), 96));
}

TEST(PngEncoder, TheFileSaysItsResolutionAndHoldsItsChunksInOrder) {
  const std::vector<Chunk> chunks = chunks_of(png_bytes(picture(40, 30, 3).rows(), 300));
  ASSERT_GE(chunks.size(), 4u);
  EXPECT_EQ(chunks.front().type, "IHDR");
  EXPECT_EQ(read32(chunks.front().data, 0), 40u);
  EXPECT_EQ(read32(chunks.front().data, 4), 30u);
  EXPECT_EQ(chunks[1].type, "pHYs");
  EXPECT_EQ(read32(chunks[1].data, 0), 11811u) << "300 dpi in pixels per metre";
  EXPECT_EQ(read32(chunks[1].data, 4), 11811u);
  EXPECT_EQ(chunks[1].data[8], 1) << "unit: metre";
  EXPECT_EQ(chunks[2].type, "IDAT");
  EXPECT_EQ(chunks.back().type, "IEND");
}

TEST(PngEncoder, RefusesPixelsItCannotWrite) {
  const TestImage image = picture(4, 4, 3);
  PngPixels grey = image.rows();
  grey.channels = 2;
  EXPECT_THROW(png_bytes(grey, 96), Error);
  PngPixels empty = image.rows();
  empty.height = 0;
  EXPECT_THROW(png_bytes(empty, 96), Error);
}

}  // namespace
}  // namespace foci
