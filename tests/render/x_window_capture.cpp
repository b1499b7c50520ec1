#include "x_window_capture.hpp"

#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkPNGWriter.h>

#include <memory>

// Xlib last: its macros (None, Status, Bool) would rename things in VTK's headers.
#include <X11/Xlib.h>
#include <X11/Xutil.h>

namespace foci::testing {

bool capture_x_window(const std::string& display, const std::string& window_id,
                      const std::string& png_path) {
  std::unique_ptr<Display, int (*)(Display*)> x(XOpenDisplay(display.c_str()), XCloseDisplay);
  if (!x) return false;
  const Window window = std::stoul(window_id);
  XWindowAttributes attributes;
  if (!XGetWindowAttributes(x.get(), window, &attributes)) return false;
  const int width = attributes.width, height = attributes.height;
  // XDestroyImage is a macro, hence the lambda.
  const auto destroy = [](XImage* image) { XDestroyImage(image); };
  std::unique_ptr<XImage, decltype(destroy)> image(
      XGetImage(x.get(), window, 0, 0, width, height, AllPlanes, ZPixmap), destroy);
  if (!image) return false;
  // The channel a mask selects, scaled to 8 bits (TrueColor visuals of 24 bits here).
  const auto channel = [](unsigned long pixel, unsigned long mask) {
    int shift = 0;
    while (mask && !(mask & 1)) mask >>= 1, ++shift;
    return static_cast<unsigned char>(((pixel >> shift) & mask) * 255 / (mask ? mask : 1));
  };
  vtkNew<vtkImageData> rgb;
  rgb->SetDimensions(width, height, 1);
  rgb->AllocateScalars(VTK_UNSIGNED_CHAR, 3);
  for (int y = 0; y < height; ++y) {
    for (int x_ = 0; x_ < width; ++x_) {
      const unsigned long pixel = XGetPixel(image.get(), x_, y);
      // VTK's rows go bottom to top.
      auto* out = static_cast<unsigned char*>(rgb->GetScalarPointer(x_, height - 1 - y, 0));
      out[0] = channel(pixel, image->red_mask);
      out[1] = channel(pixel, image->green_mask);
      out[2] = channel(pixel, image->blue_mask);
    }
  }
  vtkNew<vtkPNGWriter> writer;
  writer->SetInputData(rgb);
  writer->SetFileName(png_path.c_str());
  writer->Write();
  return writer->GetErrorCode() == 0;
}

}  // namespace foci::testing
