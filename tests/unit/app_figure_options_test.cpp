// One parser for figure options, shared by `foci render` and figure specs: its defaults,
// the words it takes and the exact messages it gives.
#include <gtest/gtest.h>

#include "app/figure_options.hpp"
#include "core/error.hpp"

namespace foci {
namespace {

std::string error_of(const std::string& key, const std::string& text) {
  FigureOptions options;
  try {
    set_figure_option(options, key, text);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::usage);
    return e.lines().back();
  }
  return "";
}

TEST(AppFigureOptions, DefaultsAreWrittenOnceAndSaidInHelp) {
  const FigureOptions defaults;
  EXPECT_EQ(figure_option_default("size"),
            std::to_string(defaults.width) + "x" + std::to_string(defaults.height));
  EXPECT_EQ(figure_option_default("views"), "left,dorsal,right,anterior,posterior,ventral");
  EXPECT_EQ(figure_option_default("style"), "glass");
  EXPECT_EQ(figure_option_default("colour_by"), "direction");
  EXPECT_EQ(figure_option_default("regions"), "surface");
  EXPECT_EQ(defaults.views, default_views());
  for (const auto& key : figure_option_keys()) {
    EXPECT_FALSE(figure_option_help(key).empty()) << key;
    EXPECT_FALSE(figure_option_default(key).empty()) << key;
  }
}

TEST(AppFigureOptions, FormatsAreKeptInOneOrderAndCheckedWord) {
  FigureOptions o;
  EXPECT_EQ(o.formats, std::vector<std::string>{"png"});
  set_figure_option(o, "formats", "html, png");
  EXPECT_EQ(o.formats, (std::vector<std::string>{"png", "html"}));
  set_figure_option(o, "formats", "html");
  EXPECT_EQ(o.formats, std::vector<std::string>{"html"});
  set_figure_option(o, "formats", "svg pdf,tiff png");
  EXPECT_EQ(o.formats, (std::vector<std::string>{"png", "tiff", "pdf", "svg"}));
  try {
    set_figure_option(o, "formats", "png,htm");
    FAIL() << "htm accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.lines().back(), "expected png, tiff, pdf, svg, html; got 'htm'; did you mean 'html'?");
  }
}

TEST(AppFigureOptions, ParsesEveryKey) {
  FigureOptions o;
  set_figure_option(o, "size", "800x600");
  set_figure_option(o, "dpi", "600");
  set_figure_option(o, "style", "opaque");
  set_figure_option(o, "regions", "node");
  set_figure_option(o, "colour_by", "value");
  set_figure_option(o, "labels", "true");
  set_figure_option(o, "views", "medial-left, dorsal");
  set_figure_option(o, "overlay", "a.nii.gz");
  set_figure_option(o, "overlay", "b.nii:2");
  set_figure_option(o, "threshold", "2.3");
  set_figure_option(o, "cluster_min", "10");
  set_figure_option(o, "colormap", "viridis");
  set_figure_option(o, "vmax", "8");
  set_figure_option(o, "projection", "trilinear");
  set_figure_option(o, "overlay_style", "blobs");
  set_figure_option(o, "overlay_title", "z");
  set_figure_option(o, "space_ok", "true");
  ASSERT_EQ(o.overlay.maps.size(), 2u);
  EXPECT_EQ(o.overlay.maps[1].path, "b.nii");
  EXPECT_EQ(o.overlay.maps[1].volume, 2);
  EXPECT_DOUBLE_EQ(o.overlay.threshold, 2.3);
  EXPECT_EQ(o.overlay.cluster_min, 10);
  EXPECT_EQ(o.overlay.colormap, "viridis");
  EXPECT_EQ(o.overlay.vmax, 8.0);
  EXPECT_EQ(o.overlay.projection, OverlayProjection::trilinear);
  EXPECT_EQ(o.overlay.style, OverlayStyle::blobs);
  EXPECT_EQ(o.overlay.title, "z");
  EXPECT_TRUE(o.overlay.space_ok);
  EXPECT_EQ(o.width, 800);
  EXPECT_EQ(o.height, 600);
  EXPECT_EQ(o.dpi, 600);
  EXPECT_EQ(o.style, BrainStyle::opaque);
  EXPECT_EQ(o.scene.regions, RegionStyle::node);
  EXPECT_EQ(o.scene.colour_by, ColourBy::value);
  EXPECT_TRUE(o.scene.labels);
  EXPECT_EQ(o.views, (std::vector<View>{View::medial_left, View::dorsal}));
  const Figure f = empty_figure(o, "t");
  EXPECT_EQ(f.width, 800);
  EXPECT_EQ(f.dpi, 600);
  EXPECT_EQ(f.style, BrainStyle::opaque);
  EXPECT_EQ(f.title, "t");
  EXPECT_TRUE(f.panels.empty());
}

TEST(AppFigureOptions, BadWordsGetTheExactMessage) {
  EXPECT_EQ(error_of("size", "10x10"),
            "expected WIDTHxHEIGHT pixels of the whole image, each from 64 to 8192; got '10x10'");
  EXPECT_EQ(error_of("size", "big"),
            "expected WIDTHxHEIGHT pixels of the whole image, each from 64 to 8192; got 'big'");
  EXPECT_EQ(error_of("dpi", "20"), "expected a whole number from 30 to 2400; got '20'");
  EXPECT_EQ(error_of("style", "glas"), "expected glass, opaque; got 'glas'; did you mean 'glass'?");
  EXPECT_EQ(error_of("views", "dorsl"),
            "unknown view 'dorsl'; did you mean 'dorsal'? (views: left, right, dorsal, ventral, "
            "anterior, posterior, medial-left, medial-right)");
  EXPECT_EQ(error_of("views", " , "),
            "names no view (views: left, right, dorsal, ventral, anterior, posterior, "
            "medial-left, medial-right)");
  EXPECT_EQ(error_of("colour", "x"),
            "unknown figure option 'colour' (options: size, dpi, style, regions, colour_by, "
            "labels, views, overlay, threshold, cluster_min, colormap, vmax, projection, "
            "overlay_style, overlay_title, space_ok, formats, coarse)");
  EXPECT_EQ(error_of("threshold", "-1"), "expected a number >= 0; got '-1'");
  EXPECT_EQ(error_of("vmax", "0"), "expected a number > 0; got '0'");
  EXPECT_EQ(error_of("projection", "nearst"),
            "expected extremum, nearest, average, trilinear; got 'nearst'; did you mean "
            "'nearest'?");
  EXPECT_EQ(error_of("overlay_style", "blob"),
            "expected surface, blobs; got 'blob'; did you mean 'blobs'?");
}

}  // namespace
}  // namespace foci
