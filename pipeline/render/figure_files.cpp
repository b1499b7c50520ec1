#include "render/figure_files.hpp"

#include <tiffio.h>
#include <zlib.h>

#include <algorithm>
#include <cctype>
#include <cstdio>
#include <cstring>
#include <filesystem>

#include "core/error.hpp"

namespace foci {

FigureFormat figure_format_of(const std::string& path) {
  std::string extension = std::filesystem::path(path).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension == ".png") return FigureFormat::png;
  if (extension == ".tif" || extension == ".tiff") return FigureFormat::tiff;
  if (extension == ".pdf") return FigureFormat::pdf;
  if (extension == ".svg") return FigureFormat::svg;
  const std::string said =
      extension.empty() ? "it has no extension" : "its extension '" + extension + "' names none";
  throw usage_error("cannot tell the figure format of '" + path + "': " + said +
                    " (formats: .png, .tif/.tiff, .pdf, .svg)");
}

namespace {

std::string fixed(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.2f", value);
  return buffer;
}

// ---- TIFF through libtiff, into memory ----

struct MemoryFile {
  std::string bytes;
  toff_t at = 0;
};

tsize_t memory_read(thandle_t handle, tdata_t data, tsize_t size) {
  auto* file = static_cast<MemoryFile*>(handle);
  const auto n = std::min<toff_t>(
      static_cast<toff_t>(size), file->at < file->bytes.size() ? file->bytes.size() - file->at : 0);
  std::memcpy(data, file->bytes.data() + file->at, n);
  file->at += n;
  return static_cast<tsize_t>(n);
}

tsize_t memory_write(thandle_t handle, tdata_t data, tsize_t size) {
  auto* file = static_cast<MemoryFile*>(handle);
  const auto end = file->at + static_cast<toff_t>(size);
  if (file->bytes.size() < end) file->bytes.resize(end);
  std::memcpy(file->bytes.data() + file->at, data, static_cast<std::size_t>(size));
  file->at = end;
  return size;
}

toff_t memory_seek(thandle_t handle, toff_t offset, int whence) {
  auto* file = static_cast<MemoryFile*>(handle);
  if (whence == SEEK_SET) file->at = offset;
  if (whence == SEEK_CUR) file->at += offset;
  if (whence == SEEK_END) file->at = file->bytes.size() + offset;
  return file->at;
}

int memory_close(thandle_t) { return 0; }
toff_t memory_size(thandle_t handle) { return static_cast<MemoryFile*>(handle)->bytes.size(); }
int memory_map(thandle_t, tdata_t*, toff_t*) { return 0; }
void memory_unmap(thandle_t, tdata_t, toff_t) {}

/// libtiff reports through global handlers; foci keeps them quiet and reports the failure.
void quiet(const char*, const char*, va_list) {}

}  // namespace

std::string tiff_bytes(const RasterImage& image, int dpi) {
  const TIFFErrorHandler previous_error = TIFFSetErrorHandler(quiet);
  const TIFFErrorHandler previous_warning = TIFFSetWarningHandler(quiet);
  MemoryFile file;
  TIFF* tiff = TIFFClientOpen("figure.tiff", "w", &file, memory_read, memory_write, memory_seek,
                              memory_close, memory_size, memory_map, memory_unmap);
  bool ok = tiff != nullptr;
  if (ok) {
    const auto channels = static_cast<std::uint16_t>(image.channels);
    TIFFSetField(tiff, TIFFTAG_IMAGEWIDTH, static_cast<std::uint32_t>(image.width));
    TIFFSetField(tiff, TIFFTAG_IMAGELENGTH, static_cast<std::uint32_t>(image.height));
    TIFFSetField(tiff, TIFFTAG_BITSPERSAMPLE, 8);
    TIFFSetField(tiff, TIFFTAG_SAMPLESPERPIXEL, channels);
    TIFFSetField(tiff, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB);
    TIFFSetField(tiff, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(tiff, TIFFTAG_ORIENTATION, ORIENTATION_TOPLEFT);
    if (channels == 4) {
      const std::uint16_t extra[] = {EXTRASAMPLE_UNASSALPHA};
      TIFFSetField(tiff, TIFFTAG_EXTRASAMPLES, 1, extra);
    }
    TIFFSetField(tiff, TIFFTAG_COMPRESSION, COMPRESSION_LZW);
    TIFFSetField(tiff, TIFFTAG_PREDICTOR, PREDICTOR_HORIZONTAL);
    TIFFSetField(tiff, TIFFTAG_ROWSPERSTRIP, TIFFDefaultStripSize(tiff, 0));
    TIFFSetField(tiff, TIFFTAG_XRESOLUTION, static_cast<float>(dpi));
    TIFFSetField(tiff, TIFFTAG_YRESOLUTION, static_cast<float>(dpi));
    TIFFSetField(tiff, TIFFTAG_RESOLUTIONUNIT, RESUNIT_INCH);
    const std::size_t row = static_cast<std::size_t>(image.width) * channels;
    std::vector<std::uint8_t> line(row);
    for (int y = 0; ok && y < image.height; ++y) {
      // libtiff may change the buffer it is given (the predictor works in place).
      std::memcpy(line.data(), image.pixels.data() + row * static_cast<std::size_t>(y), row);
      ok = TIFFWriteScanline(tiff, line.data(), static_cast<std::uint32_t>(y), 0) == 1;
    }
    ok = ok && TIFFWriteDirectory(tiff) == 1;
    TIFFClose(tiff);
  }
  TIFFSetErrorHandler(previous_error);
  TIFFSetWarningHandler(previous_warning);
  if (!ok) throw Error(ExitCode::internal, "libtiff could not encode the figure");
  return file.bytes;
}

// ---- SVG ----

namespace {

std::string base64(const std::string& bytes) {
  static const char* digits = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((bytes.size() + 2) / 3 * 4);
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const std::size_t n = std::min<std::size_t>(3, bytes.size() - i);
    std::uint32_t v = 0;
    for (std::size_t k = 0; k < 3; ++k) {
      v = (v << 8) | (k < n ? static_cast<unsigned char>(bytes[i + k]) : 0u);
    }
    for (std::size_t k = 0; k < 4; ++k) {
      out += k <= n ? digits[(v >> (18 - 6 * k)) & 63] : '=';
    }
  }
  return out;
}

std::string xml_escaped(const std::string& text) {
  std::string out;
  for (const char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        // Control characters are not allowed in XML 1.0.
        if (static_cast<unsigned char>(c) >= 0x20 || c == '\t') out += c;
    }
  }
  return out;
}

std::string svg_colour(Rgb c) {
  char buffer[16];
  const auto byte = [](double v) { return static_cast<int>(std::clamp(v, 0.0, 1.0) * 255 + 0.5); };
  std::snprintf(buffer, sizeof buffer, "#%02x%02x%02x", byte(c.r), byte(c.g), byte(c.b));
  return buffer;
}

}  // namespace

std::string svg_document(const std::string& raster_png, int width, int height, int dpi,
                         const std::vector<FigureText>& texts) {
  const double points = 72.0 / dpi;
  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out +=
      "<svg xmlns=\"http://www.w3.org/2000/svg\" "
      "xmlns:xlink=\"http://www.w3.org/1999/xlink\" version=\"1.1\" width=\"" +
      fixed(width * points) + "pt\" height=\"" + fixed(height * points) + "pt\" viewBox=\"0 0 " +
      std::to_string(width) + " " + std::to_string(height) + "\">\n";
  out += "<image x=\"0\" y=\"0\" width=\"" + std::to_string(width) + "\" height=\"" +
         std::to_string(height) +
         "\" preserveAspectRatio=\"none\" xlink:href=\"data:image/png;base64," +
         base64(raster_png) + "\"/>\n";
  // Arial's metrics are Helvetica's (and Liberation Sans'): text set in any of them fills the
  // width the raster figure gave it.
  out +=
      "<g font-family=\"Arial, Helvetica, 'Liberation Sans', 'WenQuanYi Micro Hei', "
      "sans-serif\" xml:space=\"preserve\">\n";
  for (const auto& t : texts) {
    if (t.backing) {
      out += "<rect x=\"" + fixed(t.x - t.size_px * 0.1) + "\" y=\"" +
             fixed(t.baseline - t.size_px * 0.95) + "\" width=\"" +
             fixed(t.width_px + t.size_px * 0.2) + "\" height=\"" + fixed(t.size_px * 1.2) +
             "\" fill=\"#ffffff\" fill-opacity=\"0.75\"/>\n";
    }
    out += "<text x=\"" + fixed(t.x) + "\" y=\"" + fixed(t.baseline) + "\" font-size=\"" +
           fixed(t.size_px) + "\" fill=\"" + svg_colour(t.colour) + "\"" +
           (t.bold ? " font-weight=\"bold\"" : "") + ">" + xml_escaped(t.text) + "</text>\n";
  }
  out += "</g>\n</svg>\n";
  return out;
}

// ---- PDF ----

namespace {

/// UTF-8 to WinAnsiEncoding (Latin-1 plus typographic marks); false for anything else.
bool win_ansi(const std::string& utf8, std::string* out) {
  for (std::size_t i = 0; i < utf8.size();) {
    const auto c = static_cast<unsigned char>(utf8[i]);
    std::uint32_t code = 0;
    std::size_t length = 1;
    if (c < 0x80) {
      code = c;
    } else if ((c & 0xE0) == 0xC0 && i + 1 < utf8.size()) {
      code = ((c & 0x1Fu) << 6) | (static_cast<unsigned char>(utf8[i + 1]) & 0x3Fu);
      length = 2;
    } else if ((c & 0xF0) == 0xE0 && i + 2 < utf8.size()) {
      code = ((c & 0x0Fu) << 12) | ((static_cast<unsigned char>(utf8[i + 1]) & 0x3Fu) << 6) |
             (static_cast<unsigned char>(utf8[i + 2]) & 0x3Fu);
      length = 3;
    } else {
      return false;
    }
    i += length;
    unsigned char byte = 0;
    if (code >= 0x20 && code < 0x7F) {
      byte = static_cast<unsigned char>(code);
    } else if (code >= 0xA0 && code <= 0xFF) {
      byte = static_cast<unsigned char>(code);
    } else if (code == 0x2013) {
      byte = 0x96;  // en dash
    } else if (code == 0x2014) {
      byte = 0x97;  // em dash
    } else if (code == 0x2022) {
      byte = 0x95;  // bullet
    } else if (code == 0x2019) {
      byte = 0x92;  // right single quote
    } else {
      return false;
    }
    if (out) *out += static_cast<char>(byte);
  }
  return true;
}

std::string pdf_string(const std::string& utf8) {
  std::string encoded;
  win_ansi(utf8, &encoded);
  std::string out = "(";
  for (const char c : encoded) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '(' || c == ')' || c == '\\') {
      out += '\\';
      out += c;
    } else if (byte >= 0x80) {
      char octal[8];
      std::snprintf(octal, sizeof octal, "\\%03o", byte);
      out += octal;
    } else {
      out += c;
    }
  }
  return out + ")";
}

std::string deflated(const std::vector<std::uint8_t>& bytes) {
  uLongf size = compressBound(static_cast<uLong>(bytes.size()));
  std::string out(size, '\0');
  if (compress2(reinterpret_cast<Bytef*>(out.data()), &size, bytes.data(),
                static_cast<uLong>(bytes.size()), 6) != Z_OK) {
    throw Error(ExitCode::internal, "zlib could not compress the figure's image");
  }
  out.resize(size);
  return out;
}

}  // namespace

bool pdf_can_set(const std::string& utf8) { return win_ansi(utf8, nullptr); }

std::string pdf_document(const RasterImage& raster, int dpi, const std::vector<FigureText>& texts) {
  const double scale = 72.0 / dpi;
  const double page_w = raster.width * scale, page_h = raster.height * scale;
  // RGB on white: PDF images have no alpha of their own (a transparent figure is laid on
  // the white page).
  std::vector<std::uint8_t> rgb(static_cast<std::size_t>(raster.width) * raster.height * 3);
  for (std::size_t p = 0, n = rgb.size() / 3; p < n; ++p) {
    const std::uint8_t* in = raster.pixels.data() + p * raster.channels;
    const double alpha = raster.channels == 4 ? in[3] / 255.0 : 1.0;
    for (int k = 0; k < 3; ++k) {
      rgb[p * 3 + k] = static_cast<std::uint8_t>(in[k] * alpha + 255 * (1 - alpha) + 0.5);
    }
  }
  std::string content = "q " + fixed(page_w) + " 0 0 " + fixed(page_h) + " 0 0 cm /Im0 Do Q\n";
  for (const auto& t : texts) {
    const double x = t.x * scale, y = (raster.height - t.baseline) * scale;
    const double size = t.size_px * scale;
    if (t.backing) {
      content += "q /Pale gs 1 1 1 rg " + fixed(x - size * 0.1) + " " + fixed(y - size * 0.25) +
                 " " + fixed(t.width_px * scale + size * 0.2) + " " + fixed(size * 1.2) +
                 " re f Q\n";
    }
    content += "BT " + std::string(t.bold ? "/F2 " : "/F1 ") + fixed(size) + " Tf " +
               fixed(t.colour.r) + " " + fixed(t.colour.g) + " " + fixed(t.colour.b) + " rg " +
               fixed(x) + " " + fixed(y) + " Td " + pdf_string(t.text) + " Tj ET\n";
  }
  const std::string image = deflated(rgb);

  std::vector<std::string> objects;
  objects.push_back("<< /Type /Catalog /Pages 2 0 R >>");
  objects.push_back("<< /Type /Pages /Kids [3 0 R] /Count 1 >>");
  objects.push_back("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 " + fixed(page_w) + " " +
                    fixed(page_h) +
                    "] /Resources << /XObject << /Im0 5 0 R >> /Font << /F1 6 0 R /F2 7 0 R >> "
                    "/ExtGState << /Pale 8 0 R >> >> /Contents 4 0 R >>");
  objects.push_back("<< /Length " + std::to_string(content.size()) + " >>\nstream\n" + content +
                    "endstream");
  objects.push_back("<< /Type /XObject /Subtype /Image /Width " + std::to_string(raster.width) +
                    " /Height " + std::to_string(raster.height) +
                    " /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /FlateDecode /Length " +
                    std::to_string(image.size()) + " >>\nstream\n" + image + "\nendstream");
  objects.push_back(
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  objects.push_back(
      "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>");
  objects.push_back("<< /Type /ExtGState /ca 0.75 >>");

  std::string out = "%PDF-1.4\n%\xE2\xE3\xCF\xD3\n";
  std::vector<std::size_t> offsets;
  for (std::size_t n = 0; n < objects.size(); ++n) {
    offsets.push_back(out.size());
    out += std::to_string(n + 1) + " 0 obj\n" + objects[n] + "\nendobj\n";
  }
  const std::size_t xref = out.size();
  out += "xref\n0 " + std::to_string(objects.size() + 1) + "\n0000000000 65535 f \n";
  for (const std::size_t offset : offsets) {
    char line[24];
    std::snprintf(line, sizeof line, "%010zu 00000 n \n", offset);
    out += line;
  }
  out += "trailer\n<< /Size " + std::to_string(objects.size() + 1) +
         " /Root 1 0 R >>\nstartxref\n" + std::to_string(xref) + "\n%%EOF\n";
  return out;
}

}  // namespace foci
