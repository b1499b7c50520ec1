// foci render's other files: TIFF read back with libtiff, PDF through poppler's tools, SVG
// as text. Each keeps the figure's size and resolution, and PDF and SVG keep its text as text.
#include <gtest/gtest.h>
#include <tiffio.h>

#include <cstdlib>
#include <filesystem>
#include <regex>
#include <sstream>

#include "nifti_fixture.hpp"
#include "png_image.hpp"
#include "process.hpp"

namespace foci {
namespace {

namespace fs = std::filesystem;
using testing::Image;
using testing::ProcessResult;
using testing::read_png;
using testing::slurp;
using testing::TempDir;
using testing::write_text;

/// The centroid's x of the strongly red pixels in the top 85% of an RGB image (above the
/// legend, whose swatches are red too); -1 when there are none.
double red_x(const unsigned char* rgb, int width, int height, std::size_t stride) {
  double sum = 0;
  std::size_t n = 0;
  for (int y = 0; y < height * 85 / 100; ++y) {
    for (int x = 0; x < width; ++x) {
      const unsigned char* p = rgb + stride * (static_cast<std::size_t>(y) * width + x);
      if (p[0] > 150 && p[1] < 90 && p[2] < 90) sum += x, ++n;
    }
  }
  return n ? sum / n : -1;
}

bool have(const char* tool) {
  return std::system((std::string("command -v ") + tool + " >/dev/null 2>&1").c_str()) == 0;
}

class RenderFormats : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists("/usr/share/mricron/templates/ch2bet.nii.gz")) {
      GTEST_SKIP() << "mricron-data is not installed";
    }
    write_text(dir_.path("findings.json"),
               R"({"foci_findings": 1, "title": "t", "source": {"citation": "c"},
      "studies": [{"id": "s", "citation": "s"}], "findings": [
      {"id": "a", "study": "s", "measure": "ReHo", "direction": "increase",
       "location": {"coordinate": {"x": -45, "y": -20, "z": 30, "space": "MNI"}},
       "source_anchor": "test"}]})");
  }
  /// Renders the one left node, dorsal, 800x600 at 200 dpi, titled, into `name`.
  ProcessResult render(const std::string& name, const std::string& extra = "") {
    return testing::run_shell(std::string("FOCI_CACHE_DIR='") + FOCI_MESH_CACHE + "' '" +
                                  FOCI_BINARY + "' render '" + dir_.path("findings.json") +
                                  "' --views dorsal --size 800x600 --dpi 200 --figure-title "
                                  "'Left node (a) & more' -o '" +
                                  dir_.path(name) + "' " + extra,
                              dir_.root());
  }
  /// Runs `command` in the test's folder.
  ProcessResult shell(const std::string& command) {
    return testing::run_shell("cd '" + dir_.root() + "' && " + command, dir_.root());
  }
  TempDir dir_;
};

TEST_F(RenderFormats, TiffIsLzwWithTheDpiAndSizeRequestedAndTheSameBytesEachTime) {
  ASSERT_EQ(render("f.tiff").exit_code, 0);
  ASSERT_EQ(render("g.tif").exit_code, 0);
  EXPECT_EQ(slurp(dir_.path("f.tiff")), slurp(dir_.path("g.tif")));
  TIFF* tiff = TIFFOpen(dir_.path("f.tiff").c_str(), "r");
  ASSERT_NE(tiff, nullptr) << "libtiff reads it";
  std::uint32_t width = 0, height = 0;
  std::uint16_t compression = 0, samples = 0, unit = 0, photometric = 0;
  float x_resolution = 0, y_resolution = 0;
  TIFFGetField(tiff, TIFFTAG_IMAGEWIDTH, &width);
  TIFFGetField(tiff, TIFFTAG_IMAGELENGTH, &height);
  TIFFGetField(tiff, TIFFTAG_COMPRESSION, &compression);
  TIFFGetField(tiff, TIFFTAG_SAMPLESPERPIXEL, &samples);
  TIFFGetField(tiff, TIFFTAG_PHOTOMETRIC, &photometric);
  TIFFGetField(tiff, TIFFTAG_XRESOLUTION, &x_resolution);
  TIFFGetField(tiff, TIFFTAG_YRESOLUTION, &y_resolution);
  TIFFGetField(tiff, TIFFTAG_RESOLUTIONUNIT, &unit);
  EXPECT_EQ(width, 800u);
  EXPECT_EQ(height, 600u);
  EXPECT_EQ(compression, COMPRESSION_LZW);
  EXPECT_EQ(samples, 3);
  EXPECT_EQ(photometric, PHOTOMETRIC_RGB);
  EXPECT_FLOAT_EQ(x_resolution, 200);
  EXPECT_FLOAT_EQ(y_resolution, 200);
  EXPECT_EQ(unit, RESUNIT_INCH);
  std::vector<unsigned char> pixels(static_cast<std::size_t>(width) * height * 3);
  for (std::uint32_t y = 0; y < height; ++y) {
    ASSERT_EQ(TIFFReadScanline(tiff, pixels.data() + y * width * 3, y, 0), 1);
  }
  TIFFClose(tiff);
  const double x = red_x(pixels.data(), 800, 600, 3);
  ASSERT_GE(x, 0) << "the node is drawn";
  EXPECT_LT(x, 800 * 0.45) << "the left node on the left seen from above";
  // The same picture as the PNG.
  ASSERT_EQ(render("f.png").exit_code, 0);
  const Image png = read_png(dir_.path("f.png"));
  EXPECT_EQ(png.rgb, pixels);
}

TEST_F(RenderFormats, PdfPageIsTheFigureAtItsDpiWithTheTitleAsText) {
  if (!have("pdfinfo") || !have("pdftotext") || !have("pdftoppm")) {
    GTEST_SKIP() << "poppler-utils is not installed";
  }
  ASSERT_EQ(render("f.pdf").exit_code, 0);
  ASSERT_EQ(render("g.pdf").exit_code, 0);
  EXPECT_EQ(slurp(dir_.path("f.pdf")), slurp(dir_.path("g.pdf"))) << "no dates, no IDs";
  const auto info = shell("pdfinfo f.pdf");
  ASSERT_EQ(info.exit_code, 0) << info.err;
  EXPECT_TRUE(std::regex_search(info.out, std::regex(R"(Pages: +1\n)"))) << info.out;
  // 800 x 600 pixels at 200 dpi: 4 x 3 inches.
  EXPECT_TRUE(std::regex_search(info.out, std::regex(R"(Page size: +288 x 216 pts\n)")))
      << info.out;
  const auto text = shell("pdftotext f.pdf -");
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("Left node (a) & more"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("increase"), std::string::npos) << "the legend: " << text.out;
  EXPECT_NE(text.out.find("dorsal"), std::string::npos) << "the view's name: " << text.out;
  // Drawn at 200 dpi, the page is the figure again: the left node on the left.
  ASSERT_EQ(shell("pdftoppm -png -r 200 -singlefile f.pdf page").exit_code, 0);
  const Image page = read_png(dir_.path("page.png"));
  EXPECT_EQ(page.width, 800);
  EXPECT_EQ(page.height, 600);
  const double x = red_x(page.rgb.data(), page.width, page.height, 3);
  ASSERT_GE(x, 0);
  EXPECT_LT(x, 800 * 0.45);
}

TEST_F(RenderFormats, SvgHasTheSizeAndTheTitleInATextElement) {
  ASSERT_EQ(render("f.svg").exit_code, 0);
  const std::string svg = slurp(dir_.path("f.svg"));
  ASSERT_EQ(render("g.svg").exit_code, 0);
  EXPECT_EQ(svg, slurp(dir_.path("g.svg")));
  EXPECT_EQ(svg.rfind("<?xml", 0), 0u);
  const std::regex root(R"(<svg [^>]*width="288.00pt" height="216.00pt" viewBox="0 0 800 600")");
  EXPECT_TRUE(std::regex_search(svg, root)) << svg.substr(0, 400);
  EXPECT_TRUE(
      std::regex_search(svg, std::regex(R"(<text [^>]*>Left node \(a\) &amp; more</text>)")));
  EXPECT_TRUE(std::regex_search(svg, std::regex(R"(<text [^>]*>increase</text>)")));
  EXPECT_NE(svg.find("xlink:href=\"data:image/png;base64,"), std::string::npos);
  EXPECT_EQ(svg.substr(svg.size() - 7), "</svg>\n");
  // Every element opened is closed: a cheap check that it is well-formed XML.
  const auto count = [&](const std::string& s) {
    std::size_t n = 0;
    for (auto at = svg.find(s); at != std::string::npos; at = svg.find(s, at + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("<text "), count("</text>"));
  EXPECT_EQ(count("<g "), count("</g>"));
}

TEST_F(RenderFormats, AnUnknownExtensionIsRefusedNamingIt) {
  const auto r = render("f.jpg");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n')),
            "foci: [ERROR] cannot tell the figure format of '" + dir_.path("f.jpg") +
                "': its extension '.jpg' names none (formats: .png, .tif/.tiff, .pdf, .svg)");
  EXPECT_FALSE(fs::exists(dir_.path("f.jpg")));
}

}  // namespace
}  // namespace foci
