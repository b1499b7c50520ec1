#include "slices/slice_text.hpp"

#include <vtkFreeTypeTools.h>
#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkTextProperty.h>

#include <cmath>

#include "core/error.hpp"
#include "render/png_output.hpp"
#include "render/scene_actors.hpp"

namespace foci {

namespace {

// Font sizes are given in pixels: FreeType renders a point as a pixel at 72 dpi.
constexpr int kPixelDpi = 72;

void style_property(vtkTextProperty* property, const std::string& text, const TextStyle& style) {
  scene_parts::set_text_style(property, text, style.size_px, style.colour, style.bold);
  property->SetJustificationToLeft();
  property->SetVerticalJustificationToBottom();
}

}  // namespace

std::array<int, 2> text_extent(const std::string& text, const TextStyle& style) {
  if (text.empty()) return {0, 0};
  vtkNew<vtkTextProperty> property;
  style_property(property, text, style);
  int bbox[4] = {0, 0, 0, 0};
  if (!vtkFreeTypeTools::GetInstance()->GetBoundingBox(property, text, kPixelDpi, bbox)) {
    return {0, 0};
  }
  return {bbox[1] - bbox[0] + 1, bbox[3] - bbox[2] + 1};
}

void draw_text(RgbImage& image, const std::string& text, double x, double y, const TextStyle& style,
               Align horizontal, Align vertical) {
  if (text.empty()) return;
  vtkNew<vtkTextProperty> property;
  style_property(property, text, style);
  vtkNew<vtkImageData> rendered;
  int dims[2] = {0, 0};
  if (!vtkFreeTypeTools::GetInstance()->RenderString(property, text, kPixelDpi, rendered, dims)) {
    throw Error(ExitCode::internal, "cannot draw the text '" + text + "'");
  }
  const double w = dims[0], h = dims[1];
  const double left = horizontal == Align::start    ? x
                      : horizontal == Align::centre ? x - w / 2
                                                    : x - w;
  const double top = vertical == Align::start ? y : vertical == Align::centre ? y - h / 2 : y - h;
  const int x0 = static_cast<int>(std::lround(left)), y0 = static_cast<int>(std::lround(top));
  int extent[6];
  rendered->GetExtent(extent);
  const int components = rendered->GetNumberOfScalarComponents();
  const PixelColour ink = to_pixel_colour(style.colour);
  // The text's own pixels are the first dims[0] x dims[1] of the image, rows bottom to top.
  for (int j = 0; j < dims[1]; ++j) {
    for (int i = 0; i < dims[0]; ++i) {
      const auto* p = static_cast<const unsigned char*>(
          rendered->GetScalarPointer(extent[0] + i, extent[2] + j, extent[4]));
      const unsigned char alpha = components == 4 ? p[3] : p[0];
      image.blend(x0 + i, y0 + (dims[1] - 1 - j), ink, alpha / 255.0);
    }
  }
}

std::string image_png(const RgbImage& image, int dpi) {
  return rgb_png(image.rgb.data(), image.width, image.height, dpi);
}

}  // namespace foci
