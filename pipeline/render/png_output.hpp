#pragma once
// A render window's pixels as PNG bytes, with the resolution recorded, for figures and the
// inspector's screenshots alike. Internal to the render stage.
#include <vtkImageData.h>
#include <vtkRenderWindow.h>
#include <vtkSmartPointer.h>

#include <string>

#include "render/figure_files.hpp"

namespace foci {

/// The window drawn again and its back buffer as PNG bytes (RGBA when `with_alpha`), with a
/// pHYs chunk saying `dpi`. The same pixels give the same bytes.
std::string window_png(vtkRenderWindow* window, bool with_alpha, int dpi);

/// RGB pixels (three bytes each, top row first) as PNG bytes with a pHYs chunk saying `dpi`.
std::string rgb_png(const unsigned char* rgb, int width, int height, int dpi);

/// What the window's last Render() left in its back buffer, not drawn again (a figure's
/// window is drawn once: a second drawing doubled the time and held a second frame's
/// buffers), RGB or RGBA. The image holds its own copy of the pixels, so the window may be
/// finalized before it is encoded.
vtkSmartPointer<vtkImageData> drawn_image(vtkRenderWindow* window, bool with_alpha);

/// drawn_image's pixels as PNG bytes with a pHYs chunk saying `dpi`; the same pixels give
/// the same bytes as window_png.
std::string image_png(vtkImageData* image, int dpi);

/// An 8-bit RGB or RGBA image's pixels (VTK's rows, bottom first), top row first.
RasterImage image_pixels(vtkImageData* image);

/// Pixels as PNG bytes with a pHYs chunk saying `dpi`.
std::string raster_png(const RasterImage& image, int dpi);

}  // namespace foci
