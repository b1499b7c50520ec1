#pragma once
// Anti-aliasing of a figure's drawn pixels: FXAA (fast approximate anti-aliasing, after
// Lottes' FXAA 3.11) on the CPU, over the boxes the views are drawn in.
//
// VTK's FXAA pass runs the same kind of filter as a fragment shader; on a software renderer
// its texture reads cost a third of a six-view 4800x2400 figure's drawing (0.4 s of CPU).
// Here a pixel far from any edge costs five luma reads and a comparison.
#include <vector>

namespace foci {

/// Pixels [x0, x1) x [y0, y1) of an image, in its stored rows.
struct ImageRect {
  int x0 = 0, y0 = 0, x1 = 0, y1 = 0;
};

/// What FXAA looks for: the thresholds VTK's FXAA uses by default.
struct EdgeSmoothing {
  float relative_contrast = 1.f / 8;  ///< least luma range, as a share of the brightest luma
  float hard_contrast = 1.f / 16;     ///< least luma range at all
  float subpixel_blend = 3.f / 4;     ///< most blending of a lone pixel with its neighbours
  float subpixel_contrast = 1.f / 4;  ///< least contrast for subpixel blending
  int endpoint_steps = 12;            ///< pixels searched along an edge either way
};

/// Smooths the edges inside `area` of an image of `width` x `height` pixels of `channels`
/// bytes (3: RGB, 4: RGBA; every channel blended alike), rows stored one after another.
/// Reads only pixels inside `area` (beyond it, its border pixels repeat), so what lies around
/// it does not matter; pixels inside any of `keep` (text, which is anti-aliased already) are
/// left as they are. Rows are shared among the cores; the result does not depend on how.
void smooth_edges(unsigned char* pixels, int width, int height, int channels, ImageRect area,
                  const std::vector<ImageRect>& keep, const EdgeSmoothing& settings = {});

}  // namespace foci
