#include "render/edge_smoothing.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <optional>

#include "core/parallel.hpp"

namespace foci {

namespace {

// Rows are shared among the cores in parts of this many.
constexpr int kRowsPerPart = 64;
std::size_t parts(int rows) {
  return static_cast<std::size_t>((rows + kRowsPerPart - 1) / kRowsPerPart);
}
int first_row(std::size_t part) { return static_cast<int>(part) * kRowsPerPart; }
int last_row(std::size_t part, int rows) { return std::min(rows, first_row(part) + kRowsPerPart); }

/// The area's lumas and pixels before smoothing (smoothing reads only these), indexed from
/// the area's corner; coordinates beyond the area read its border.
class AreaCopy {
 public:
  AreaCopy(const unsigned char* pixels, int width, int channels, ImageRect area)
      : w_(area.x1 - area.x0), h_(area.y1 - area.y0), channels_(channels) {
    const std::size_t row_bytes = static_cast<std::size_t>(w_) * channels;
    bytes_.resize(row_bytes * static_cast<std::size_t>(h_));
    luma_.resize(static_cast<std::size_t>(w_) * static_cast<std::size_t>(h_));
    for_each_part_on_cores(parts(h_), [&](std::size_t part) {
      for (int y = first_row(part); y < last_row(part, h_); ++y) {
        const unsigned char* from =
            pixels + (static_cast<std::size_t>(area.y0 + y) * width + area.x0) * channels;
        unsigned char* row = bytes_.data() + row_bytes * static_cast<std::size_t>(y);
        std::memcpy(row, from, row_bytes);
        float* luma = luma_.data() + static_cast<std::size_t>(w_) * static_cast<std::size_t>(y);
        for (int x = 0; x < w_; ++x) {
          const unsigned char* p = row + static_cast<std::size_t>(x) * channels;
          // Rec. 601 weights, on the stored (not linearised) values, as VTK's FXAA.
          luma[x] = (0.299f * p[0] + 0.587f * p[1] + 0.114f * p[2]) * (1.f / 255);
        }
      }
    });
  }

  int width() const { return w_; }
  int height() const { return h_; }
  /// Row y's lumas (a row beyond the area: its nearest).
  const float* luma_row(int y) const {
    return luma_.data() +
           static_cast<std::size_t>(std::clamp(y, 0, h_ - 1)) * static_cast<std::size_t>(w_);
  }
  float luma(int x, int y) const {
    x = std::clamp(x, 0, w_ - 1);
    y = std::clamp(y, 0, h_ - 1);
    return luma_[static_cast<std::size_t>(y) * static_cast<std::size_t>(w_) +
                 static_cast<std::size_t>(x)];
  }
  const unsigned char* pixel(int x, int y) const {
    x = std::clamp(x, 0, w_ - 1);
    y = std::clamp(y, 0, h_ - 1);
    return bytes_.data() +
           (static_cast<std::size_t>(y) * static_cast<std::size_t>(w_) + x) * channels_;
  }

 private:
  int w_, h_, channels_;
  std::vector<unsigned char> bytes_;
  std::vector<float> luma_;
};

/// How far (0 to 1) to blend pixel (x, y) towards its neighbour across the edge it lies on,
/// and which neighbour: (x + step_x, y + step_y). 0 where there is no edge.
struct Blend {
  float amount = 0;
  int step_x = 0, step_y = 0;
};

/// A pixel's luma, its four neighbours' and their range: enough to tell most pixels, which
/// lie far from any edge.
struct Cross {
  float m, n, so, e, w, range;
};

/// The cross at (x, y), read straight from the rows (`below` is row y - 1), or nothing when
/// its range is too small for an edge worth smoothing.
std::optional<Cross> edge_cross(const float* below, const float* here, const float* above, int x,
                                int last, const EdgeSmoothing& s) {
  const Cross c{here[x], above[x], below[x], here[x < last ? x + 1 : last], here[x > 0 ? x - 1 : 0],
                0};
  const float brightest = std::max({c.m, c.n, c.so, c.e, c.w});
  const float range = brightest - std::min({c.m, c.n, c.so, c.e, c.w});
  if (range < std::max(s.hard_contrast, brightest * s.relative_contrast)) return std::nullopt;
  return Cross{c.m, c.n, c.so, c.e, c.w, range};
}

Blend blend_at(const AreaCopy& area, int x, int y, const Cross& c, const EdgeSmoothing& s) {
  const float m = c.m, n = c.n, so = c.so, e = c.e, w = c.w, range = c.range;
  const float nw = area.luma(x - 1, y + 1), ne = area.luma(x + 1, y + 1);
  const float sw = area.luma(x - 1, y - 1), se = area.luma(x + 1, y - 1);
  // An edge along x changes luma along y (and the other way): compare the second differences
  // across each direction, the middle row or column counted twice.
  const float across_y =
      std::abs(nw + sw - 2 * w) + 2 * std::abs(n + so - 2 * m) + std::abs(ne + se - 2 * e);
  const float across_x =
      std::abs(nw + ne - 2 * n) + 2 * std::abs(w + e - 2 * m) + std::abs(sw + se - 2 * so);
  const bool along_x = across_y >= across_x;

  // The neighbour across the edge: the one whose luma differs more from this pixel's.
  const float before = along_x ? so : w, after = along_x ? n : e;
  const bool towards_before = std::abs(before - m) >= std::abs(after - m);
  const float other = towards_before ? before : after;
  const int side = towards_before ? -1 : 1;
  const int step_x = along_x ? 0 : side, step_y = along_x ? side : 0;
  const int run_x = along_x ? 1 : 0, run_y = along_x ? 0 : 1;
  const float edge_luma = 0.5f * (m + other);
  const float end_contrast = 0.25f * std::abs(other - m);

  // Walk along the edge both ways (on the boundary between the two rows or columns, where a
  // read is their mean) until the mean leaves the edge's: the edge's ends.
  float end_before = 0, end_after = 0;
  int reach_before = s.endpoint_steps, reach_after = s.endpoint_steps;
  bool done_before = false, done_after = false;
  for (int i = 1; i <= s.endpoint_steps && !(done_before && done_after); ++i) {
    if (!done_before) {
      const int bx = x - i * run_x, by = y - i * run_y;
      end_before = 0.5f * (area.luma(bx, by) + area.luma(bx + step_x, by + step_y)) - edge_luma;
      if (std::abs(end_before) >= end_contrast) done_before = true, reach_before = i;
    }
    if (!done_after) {
      const int ax = x + i * run_x, ay = y + i * run_y;
      end_after = 0.5f * (area.luma(ax, ay) + area.luma(ax + step_x, ay + step_y)) - edge_luma;
      if (std::abs(end_after) >= end_contrast) done_after = true, reach_after = i;
    }
  }
  // Blend by how near the pixel lies to the end where the edge turns towards its side (half a
  // pixel at that end, nothing in the middle of the run): a staircase becomes a ramp.
  const bool nearer_before = reach_before < reach_after;
  const float end = nearer_before ? end_before : end_after;
  const float span = static_cast<float>(reach_before + reach_after);
  const float offset = 0.5f - static_cast<float>(std::min(reach_before, reach_after)) / span;
  const bool turns_here = (end < 0) != (m < edge_luma);
  float amount = turns_here ? offset : 0.f;

  // A pixel unlike all its neighbours (a lone speck, a thin line) is blended towards them.
  const float neighbours = (2 * (n + so + e + w) + (nw + ne + sw + se)) / 12;
  const float contrast = std::clamp(std::abs(neighbours - m) / range, 0.f, 1.f);
  if (contrast >= s.subpixel_contrast) {
    const float smooth = (3 - 2 * contrast) * contrast * contrast;
    amount = std::max(amount, smooth * smooth * s.subpixel_blend);
  }
  return {amount, step_x, step_y};
}

bool inside(const ImageRect& r, int x, int y) {
  return x >= r.x0 && x < r.x1 && y >= r.y0 && y < r.y1;
}

}  // namespace

void smooth_edges(unsigned char* pixels, int width, int height, int channels, ImageRect area,
                  const std::vector<ImageRect>& keep, const EdgeSmoothing& settings) {
  area.x0 = std::max(area.x0, 0), area.y0 = std::max(area.y0, 0);
  area.x1 = std::min(area.x1, width), area.y1 = std::min(area.y1, height);
  if (area.x1 - area.x0 < 3 || area.y1 - area.y0 < 3 || (channels != 3 && channels != 4)) return;
  const AreaCopy copy(pixels, width, channels, area);
  std::vector<ImageRect> kept;
  for (const auto& k : keep) {
    if (k.x0 < area.x1 && k.x1 > area.x0 && k.y0 < area.y1 && k.y1 > area.y0) kept.push_back(k);
  }
  for_each_part_on_cores(parts(copy.height()), [&](std::size_t part) {
    for (int y = first_row(part); y < last_row(part, copy.height()); ++y) {
      unsigned char* row =
          pixels + (static_cast<std::size_t>(area.y0 + y) * width + area.x0) * channels;
      // Most pixels are far from any edge: tell them by their four neighbours first, reading
      // straight from the rows.
      const float *below = copy.luma_row(y - 1), *here = copy.luma_row(y),
                  *above = copy.luma_row(y + 1);
      const int last = copy.width() - 1;
      for (int x = 0; x <= last; ++x) {
        const auto cross = edge_cross(below, here, above, x, last, settings);
        if (!cross) continue;
        const Blend blend = blend_at(copy, x, y, *cross, settings);
        if (!(blend.amount > 0)) continue;
        const int fx = area.x0 + x, fy = area.y0 + y;
        if (std::any_of(kept.begin(), kept.end(),
                        [&](const ImageRect& k) { return inside(k, fx, fy); })) {
          continue;
        }
        const unsigned char* a = copy.pixel(x, y);
        const unsigned char* b = copy.pixel(x + blend.step_x, y + blend.step_y);
        unsigned char* out = row + static_cast<std::size_t>(x) * channels;
        for (int c = 0; c < channels; ++c) {
          const float v = a[c] + (static_cast<float>(b[c]) - a[c]) * blend.amount;
          out[c] = static_cast<unsigned char>(std::lround(std::clamp(v, 0.f, 255.f)));
        }
      }
    }
  });
}

}  // namespace foci
