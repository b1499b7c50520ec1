#include "png_image.hpp"

#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkPNGReader.h>

#include <algorithm>
#include <cstring>

namespace foci::testing {

Image read_png(const std::string& path) {
  vtkNew<vtkPNGReader> reader;
  reader->SetFileName(path.c_str());
  reader->Update();
  vtkImageData* data = reader->GetOutput();
  int dims[3];
  data->GetDimensions(dims);
  Image image;
  image.width = dims[0];
  image.height = dims[1];
  const int components = data->GetNumberOfScalarComponents();
  image.rgb.resize(3 * static_cast<std::size_t>(image.width) * image.height);
  for (int y = 0; y < image.height; ++y) {
    for (int x = 0; x < image.width; ++x) {
      // VTK's rows run bottom to top.
      const auto* p =
          static_cast<unsigned char*>(data->GetScalarPointer(x, image.height - 1 - y, 0));
      for (int c = 0; c < 3; ++c)
        image.rgb[3 * (y * image.width + x) + c] = p[std::min(c, components - 1)];
    }
  }
  return image;
}

DecodedPng decode_png(const std::string& bytes) {
  vtkNew<vtkPNGReader> reader;
  reader->SetMemoryBuffer(bytes.data());
  reader->SetMemoryBufferLength(bytes.size());
  reader->Update();
  vtkImageData* data = reader->GetOutput();
  int dims[3];
  data->GetDimensions(dims);
  DecodedPng image;
  image.width = dims[0];
  image.height = dims[1];
  image.channels = data->GetNumberOfScalarComponents();
  const std::size_t row = static_cast<std::size_t>(image.width) * image.channels;
  image.pixels.resize(row * image.height);
  if (image.pixels.empty()) return image;
  const auto* first = static_cast<const unsigned char*>(data->GetScalarPointer());
  for (int y = 0; y < image.height; ++y) {  // VTK's rows run bottom to top
    std::memcpy(image.pixels.data() + row * y, first + row * (image.height - 1 - y), row);
  }
  return image;
}

}  // namespace foci::testing
