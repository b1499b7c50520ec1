#pragma once
// The files a figure can be written as: PNG, TIFF (LZW), and PDF or SVG in which the text is
// text over a raster of the drawing. Plain bytes from plain pixels and text items, no VTK, so
// the writers are the same for every figure and can be read and tested on their own.
#include <cstdint>
#include <string>
#include <vector>

#include "render/scene.hpp"

namespace foci {

enum class FigureFormat { png, tiff, pdf, svg };

/// The format an output path's extension names, in any case: .png, .tif or .tiff, .pdf, .svg.
/// Throws Error (usage) naming the path and its extension otherwise.
FigureFormat figure_format_of(const std::string& path);

/// Whether a figure in this format carries its text as text (PDF, SVG).
inline bool has_vector_text(FigureFormat format) {
  return format == FigureFormat::pdf || format == FigureFormat::svg;
}

/// Pixels of a whole figure, top row first, 3 (RGB) or 4 (RGBA) bytes each.
struct RasterImage {
  int width = 0, height = 0, channels = 3;
  std::vector<std::uint8_t> pixels;
};

/// One line of text of a figure, placed where the drawn figure had it.
struct FigureText {
  std::string text;     ///< UTF-8
  double x = 0;         ///< left end, pixels from the image's left
  double baseline = 0;  ///< pixels from the image's top
  double size_px = 11;  ///< font size in pixels
  Rgb colour;
  bool bold = false;
  bool backing = false;  ///< a pale box behind it (node labels over the brain)
  double width_px = 0;   ///< the drawn width, for the backing box
};

/// TIFF bytes: RGB (or RGBA, unassociated alpha), LZW with horizontal differencing,
/// XResolution and YResolution = `dpi` per inch. No date or software tag: the same pixels
/// give the same bytes. Throws Error (internal) when libtiff fails.
std::string tiff_bytes(const RasterImage& image, int dpi);

/// An SVG of `width` x `height` pixels (its width and height in points at `dpi`, so it
/// prints at the size a PNG of the same figure would): `raster_png` as an embedded image
/// under `texts` as <text> elements.
std::string svg_document(const std::string& raster_png, int width, int height, int dpi,
                         const std::vector<FigureText>& texts);

/// Whether the PDF writer can set this text as text: its standard fonts (Helvetica) cover
/// Latin-1 and a few typographic marks (WinAnsiEncoding); other text (Chinese) stays in the
/// raster.
bool pdf_can_set(const std::string& utf8);

/// A one-page PDF, the page `width` x `height` pixels at `dpi` in points: `raster` as an image
/// (Flate) under `texts` in Helvetica. No creation date or ID: the same figure gives the
/// same bytes. Every text must pass pdf_can_set.
std::string pdf_document(const RasterImage& raster, int dpi, const std::vector<FigureText>& texts);

}  // namespace foci
