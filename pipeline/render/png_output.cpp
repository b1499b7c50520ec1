#include "render/png_output.hpp"

#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkPNGWriter.h>
#include <vtkSmartPointer.h>
#include <vtkTrivialProducer.h>
#include <vtkUnsignedCharArray.h>
#include <vtkWindowToImageFilter.h>
#include <zlib.h>

#include <cmath>
#include <cstdint>
#include <cstring>

namespace foci {

namespace {

/// Inserts a pHYs chunk (pixels per metre from DPI) after the IHDR chunk of a PNG.
std::string with_dpi(const unsigned char* png, std::size_t size, int dpi) {
  const std::size_t ihdr_end = 8 + 8 + 13 + 4;  // signature, IHDR length+type, data, CRC
  const auto ppm = static_cast<std::uint32_t>(std::lround(dpi / 0.0254));
  unsigned char chunk[21];
  const auto put32 = [](unsigned char* at, std::uint32_t v) {
    at[0] = v >> 24, at[1] = (v >> 16) & 255, at[2] = (v >> 8) & 255, at[3] = v & 255;
  };
  put32(chunk, 9);
  std::memcpy(chunk + 4, "pHYs", 4);
  put32(chunk + 8, ppm);
  put32(chunk + 12, ppm);
  chunk[16] = 1;  // unit: metre
  put32(chunk + 17, static_cast<std::uint32_t>(crc32(0, chunk + 4, 13)));
  std::string out(reinterpret_cast<const char*>(png), ihdr_end);
  out.append(reinterpret_cast<const char*>(chunk), sizeof chunk);
  out.append(reinterpret_cast<const char*>(png) + ihdr_end, size - ihdr_end);
  return out;
}

/// Encodes an image as PNG with the resolution recorded. The compression level is fixed: the
/// same pixels give the same bytes every time, and quicker than the default.
std::string encoded_png(vtkAlgorithmOutput* image, int dpi) {
  vtkNew<vtkPNGWriter> writer;
  writer->SetInputConnection(image);
  writer->WriteToMemoryOn();
  writer->SetCompressionLevel(4);
  writer->Write();
  vtkUnsignedCharArray* png = writer->GetResult();
  return with_dpi(png->GetPointer(0), static_cast<std::size_t>(png->GetNumberOfTuples()), dpi);
}

}  // namespace

namespace {

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
  return encoded_png(grabbed(window, with_alpha, true)->GetOutputPort(), dpi);
}

vtkSmartPointer<vtkImageData> drawn_image(vtkRenderWindow* window, bool with_alpha) {
  const auto grab = grabbed(window, with_alpha, false);
  vtkSmartPointer<vtkImageData> image = grab->GetOutput();
  return image;
}

std::string image_png(vtkImageData* image, int dpi) {
  vtkNew<vtkTrivialProducer> producer;
  producer->SetOutput(image);
  return encoded_png(producer->GetOutputPort(), dpi);
}

RasterImage drawn_pixels(vtkRenderWindow* window, bool with_alpha) {
  const auto grab = grabbed(window, with_alpha, false);
  vtkImageData* image = grab->GetOutput();
  int dimensions[3];
  image->GetDimensions(dimensions);
  RasterImage raster;
  raster.width = dimensions[0];
  raster.height = dimensions[1];
  raster.channels = with_alpha ? 4 : 3;
  const std::size_t row = static_cast<std::size_t>(raster.width) * raster.channels;
  raster.pixels.resize(row * raster.height);
  const auto* in = static_cast<const unsigned char*>(image->GetScalarPointer());
  // VTK's rows run bottom to top.
  for (int y = 0; y < raster.height; ++y) {
    std::memcpy(raster.pixels.data() + row * y,
                in + row * static_cast<std::size_t>(raster.height - 1 - y), row);
  }
  return raster;
}

std::string raster_png(const RasterImage& raster, int dpi) {
  vtkNew<vtkImageData> image;
  image->SetDimensions(raster.width, raster.height, 1);
  image->AllocateScalars(VTK_UNSIGNED_CHAR, raster.channels);
  auto* out = static_cast<unsigned char*>(image->GetScalarPointer());
  const std::size_t row = static_cast<std::size_t>(raster.width) * raster.channels;
  for (int y = 0; y < raster.height; ++y) {
    std::memcpy(out + row * static_cast<std::size_t>(raster.height - 1 - y),
                raster.pixels.data() + row * y, row);
  }
  vtkNew<vtkTrivialProducer> producer;
  producer->SetOutput(image);
  return encoded_png(producer->GetOutputPort(), dpi);
}

std::string rgb_png(const unsigned char* rgb, int width, int height, int dpi) {
  vtkNew<vtkImageData> image;
  image->SetDimensions(width, height, 1);
  image->AllocateScalars(VTK_UNSIGNED_CHAR, 3);
  auto* out = static_cast<unsigned char*>(image->GetScalarPointer());
  const std::size_t row = static_cast<std::size_t>(width) * 3;
  // VTK's rows run bottom to top.
  for (int y = 0; y < height; ++y) {
    std::memcpy(out + row * static_cast<std::size_t>(height - 1 - y), rgb + row * y, row);
  }
  vtkNew<vtkTrivialProducer> producer;
  producer->SetOutput(image);
  return encoded_png(producer->GetOutputPort(), dpi);
}

}  // namespace foci
