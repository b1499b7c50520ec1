#include "render/png_output.hpp"

#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkSmartPointer.h>
#include <vtkWindowToImageFilter.h>

#include <cstddef>
#include <cstring>

#include "render/png_encoder.hpp"

namespace foci {

namespace {

/// A VTK image's 8-bit pixels as rows from the top (VTK stores them bottom to top).
PngPixels rows_from_top(vtkImageData* image) {
  int dimensions[3];
  image->GetDimensions(dimensions);
  PngPixels pixels;
  pixels.width = dimensions[0];
  pixels.height = dimensions[1];
  pixels.channels = image->GetNumberOfScalarComponents();
  pixels.row_stride = -static_cast<std::ptrdiff_t>(pixels.width) * pixels.channels;
  pixels.first_row = static_cast<const unsigned char*>(image->GetScalarPointer()) -
                     pixels.row_stride * (pixels.height - 1);
  return pixels;
}

/// Pixels stored top row first as PNG bytes.
std::string top_down_png(const unsigned char* pixels, int width, int height, int channels,
                         int dpi) {
  PngPixels rows;
  rows.first_row = pixels;
  rows.width = width;
  rows.height = height;
  rows.channels = channels;
  rows.row_stride = static_cast<std::ptrdiff_t>(width) * channels;
  return png_bytes(rows, dpi);
}

/// What the window drew (its back buffer), RGB or RGBA; drawn again first when `redraw`.
vtkSmartPointer<vtkWindowToImageFilter> grabbed(vtkRenderWindow* window, bool with_alpha,
                                                bool redraw) {
  auto grab = vtkSmartPointer<vtkWindowToImageFilter>::New();
  grab->SetInput(window);
  if (with_alpha) {
    grab->SetInputBufferTypeToRGBA();
  } else {
    grab->SetInputBufferTypeToRGB();
  }
  grab->ReadFrontBufferOff();
  grab->SetShouldRerender(redraw ? 1 : 0);
  grab->Update();
  return grab;
}

}  // namespace

std::string window_png(vtkRenderWindow* window, bool with_alpha, int dpi) {
  return image_png(grabbed(window, with_alpha, true)->GetOutput(), dpi);
}

vtkSmartPointer<vtkImageData> drawn_image(vtkRenderWindow* window, bool with_alpha) {
  const auto grab = grabbed(window, with_alpha, false);
  vtkSmartPointer<vtkImageData> image = grab->GetOutput();
  return image;
}

std::string image_png(vtkImageData* image, int dpi) {
  return png_bytes(rows_from_top(image), dpi);
}

RasterImage image_pixels(vtkImageData* image) {
  const PngPixels rows = rows_from_top(image);
  RasterImage raster;
  raster.width = rows.width;
  raster.height = rows.height;
  raster.channels = rows.channels;
  const std::size_t row = static_cast<std::size_t>(raster.width) * raster.channels;
  raster.pixels.resize(row * raster.height);
  for (int y = 0; y < raster.height; ++y) {
    std::memcpy(raster.pixels.data() + row * y, rows.first_row + rows.row_stride * y, row);
  }
  return raster;
}

std::string raster_png(const RasterImage& raster, int dpi) {
  return top_down_png(raster.pixels.data(), raster.width, raster.height, raster.channels, dpi);
}

std::string rgb_png(const unsigned char* rgb, int width, int height, int dpi) {
  return top_down_png(rgb, width, height, 3, dpi);
}

}  // namespace foci
