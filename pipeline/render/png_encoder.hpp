#pragma once
// PNG encoding of 8-bit RGB or RGBA pixels, compressed on several threads. Plain bytes, no VTK.
//
// A figure's PNG was a third of the time of a large figure: libpng tries five filters on
// every row and deflates the whole image on one thread. Here every row is filtered by "up"
// (a rendered figure's rows resemble the row above; this also gave the smallest files of the
// single filters on our figures) and the image is deflated in strips of rows on as many
// threads as there are cores. Each strip starts from the last 32 KiB of the one before as its
// dictionary, so the strips join into one zlib stream that compresses almost as well as a
// single one. Strips are cut by row count alone, so the bytes never depend on the machine.
#include <cstddef>
#include <string>

namespace foci {

struct PngPixels {
  const unsigned char* first_row = nullptr;  ///< the top row's first byte
  std::ptrdiff_t row_stride = 0;  ///< bytes from one row to the next below (negative: bottom-up)
  int width = 0;
  int height = 0;
  int channels = 3;  ///< 3 (RGB) or 4 (RGBA)
};

/// The pixels as PNG bytes with a pHYs chunk saying `dpi`. The same pixels give the same bytes
/// whatever `threads` is (0: one per core).
std::string png_bytes(const PngPixels& pixels, int dpi, unsigned threads = 0);

}  // namespace foci
