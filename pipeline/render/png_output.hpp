#pragma once
// A render window's pixels as PNG bytes, with the resolution recorded, for figures and the
// inspector's screenshots alike. Internal to the render stage.
#include <vtkRenderWindow.h>

#include <string>

#include "render/figure_files.hpp"

namespace foci {

/// The window's back buffer as PNG bytes (RGBA when `with_alpha`), with a pHYs chunk saying
/// `dpi`. The same pixels give the same bytes.
std::string window_png(vtkRenderWindow* window, bool with_alpha, int dpi);

/// RGB pixels (three bytes each, top row first) as PNG bytes with a pHYs chunk saying `dpi`.
std::string rgb_png(const unsigned char* rgb, int width, int height, int dpi);

/// The window's back buffer as pixels, top row first (RGBA when `with_alpha`).
RasterImage window_pixels(vtkRenderWindow* window, bool with_alpha);

/// Pixels as PNG bytes with a pHYs chunk saying `dpi`.
std::string raster_png(const RasterImage& image, int dpi);

}  // namespace foci
