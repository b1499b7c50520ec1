// foci slices checked for meaning: a warm ball at a left coordinate and a cool one at its
// mirror, in maps stored RAS 1 mm and LAS 2 mm on grids other than the template's, appear at
// the pixels where the figure's own layout puts those coordinates, on the side they belong.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>

#include "atlas/manifest.hpp"
#include "atlas/nifti_io.hpp"
#include "nifti_fixture.hpp"
#include "overlay/overlay_map.hpp"
#include "png_image.hpp"
#include "process.hpp"
#include "slices/cut_point.hpp"
#include "slices/slices_figure.hpp"

namespace foci {
namespace {

namespace fs = std::filesystem;
using testing::Image;
using testing::ProcessResult;
using testing::read_png;
using testing::shell_quote;
using testing::slurp;
using testing::TempDir;

const Vec3 kWarm{-40, -20, 50}, kCool{40, -20, 50}, kWeak{0, 40, 10};
constexpr double kRadius = 8;

/// The pixel under a point given in fractional pixels (layouts place views at fractions).
const unsigned char* pixel(const Image& image, double x, double y) {
  return image.at(static_cast<int>(x), static_cast<int>(y));
}

bool warm(const unsigned char* p) { return p[0] > 180 && p[2] < 100; }
bool cool(const unsigned char* p) { return p[2] > 180 && p[0] < 100; }
bool coloured(const unsigned char* p) {
  return warm(p) || cool(p) || (p[0] > 150 && p[1] > 150 && p[2] < 100);
}

/// Voxels of the maps: +5 within kRadius of kWarm, -5 of kCool, +2 of kWeak.
double ball_value(Vec3 w) {
  if (norm(w - kWarm) <= kRadius) return 5;
  if (norm(w - kCool) <= kRadius) return -5;
  if (norm(w - kWeak) <= kRadius) return 2;
  return 0;
}

/// RAS 1 mm on a grid smaller than the template's and offset from it.
Affine ras_1mm() { return Affine::from_rows({{{1, 0, 0, -70}, {0, 1, 0, -60}, {0, 0, 1, -10}}}); }
/// LAS 2 mm: i runs right to left.
Affine las_2mm() { return Affine::from_rows({{{-2, 0, 0, 90}, {0, 2, 0, -126}, {0, 0, 2, -72}}}); }

class Slices : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists("/usr/share/mricron/templates/ch2.nii.gz")) {
      GTEST_SKIP() << "mricron-data is not installed";
    }
  }
  std::string write_map(const std::string& name, const Affine& affine, std::array<int, 3> size) {
    testing::SyntheticHeader header;
    header.size = size;
    header.sform = affine;
    header.datatype = 16;
    const std::string path = dir_.path(name);
    testing::write_synthetic_nifti(path, header, [&](int i, int j, int k) {
      return ball_value(affine.apply({double(i), double(j), double(k)}));
    });
    return path;
  }
  std::string ras_map() { return write_map("ras1.nii.gz", ras_1mm(), {141, 100, 90}); }
  std::string las_map() { return write_map("las2.nii.gz", las_2mm(), {91, 109, 91}); }

  ProcessResult run(const std::string& args) {
    return testing::run_shell(shell_quote(FOCI_BINARY) + " slices " + args, dir_.root());
  }
  /// A figure as the command builds it: this mode and size, one map (so a colour bar)
  /// unless `with_map` is false.
  static SlicesFigure figure_of(SlicesMode mode, int w, int h, bool with_map = true) {
    SlicesFigure figure;
    figure.mode = mode;
    figure.width = w;
    figure.height = h;
    if (with_map) figure.overlays.push_back({});
    return figure;
  }
  /// The layout foci gives `figure` on the real templates.
  static SlicesLayout layout_of(SlicesFigure figure) {
    static const LabelVolume ch2 = read_template("ch2"), ch2bet = read_template("ch2bet");
    figure.anatomy = &ch2;
    figure.brain_mask = &ch2bet;
    return lay_out_slices(figure);
  }
  static LabelVolume read_template(const std::string& name) {
    const auto manifest = find_atlas_manifest(name);
    return read_label_volume(locate_atlas_file(manifest, manifest.volume_file));
  }
  std::string q(const std::string& name) const { return shell_quote(dir_.path(name)); }

  TempDir dir_;
};

/// The centre x of a view's box.
double middle(const SliceView& view) { return view.box.x + view.box.width / 2; }

TEST_F(Slices, OrthoAxialSliceShowsWarmLeftCoolRightForRasAndLasMaps) {
  for (const std::string& map : {ras_map(), las_map()}) {
    SCOPED_TRACE(map);
    const ProcessResult r =
        run("--overlay " + shell_quote(map) + " --cut-coords -40,-20,50 --size 1200x450 -o " +
            q("ortho.png") + " --force");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const Image image = read_png(dir_.path("ortho.png"));
    ASSERT_EQ(image.width, 1200);
    SlicesFigure figure = figure_of(SlicesMode::ortho, 1200, 450);
    figure.cut = kWarm;
    const SlicesLayout layout = layout_of(figure);
    const SliceView& axial = layout.views[2];
    ASSERT_EQ(axial.axis, SliceAxis::axial);
    const auto w = axial.pixel_of(kWarm), c = axial.pixel_of(kCool);
    EXPECT_LT(w[0], middle(axial));
    EXPECT_GT(c[0], middle(axial));
    // A few pixels off the crosshair, which runs through the warm ball's centre.
    EXPECT_TRUE(warm(pixel(image, w[0] + 5, w[1] + 5)));
    EXPECT_TRUE(cool(pixel(image, c[0] + 5, c[1] + 5)));
    // Beside the balls (15 mm away), no colour.
    EXPECT_FALSE(coloured(pixel(image, w[0] + 15 * axial.scale(), w[1] + 15 * axial.scale())));
  }
}

TEST_F(Slices, RadiologicalSwapsSidesAndSaysSo) {
  const std::string map = las_map();
  const ProcessResult r =
      run("--overlay " + shell_quote(map) +
          " --cut-coords -40,-20,50 --radiological --size 1200x450 -o " + q("r.png"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Image image = read_png(dir_.path("r.png"));
  SlicesFigure figure = figure_of(SlicesMode::ortho, 1200, 450);
  figure.cut = kWarm;
  figure.radiological = true;
  const SlicesLayout layout = layout_of(figure);
  ASSERT_GT(layout.footer.height, 0) << "the radiological note has a line";
  for (const std::size_t v : {std::size_t{1}, std::size_t{2}}) {
    const SliceView& view = layout.views[v];
    const auto w = view.pixel_of(kWarm), c = view.pixel_of(kCool);
    EXPECT_GT(w[0], middle(view));
    EXPECT_LT(c[0], middle(view));
    EXPECT_TRUE(warm(pixel(image, w[0] + 5, w[1] + 5)));
    EXPECT_TRUE(cool(pixel(image, c[0] + 5, c[1] + 5)));
  }
}

TEST_F(Slices, MosaicShowsTheBallsOnlyInTheirSlice) {
  const std::string map = ras_map();
  const MosaicSpec spec = parse_mosaic_spec("axial:30:60:10");
  const ProcessResult r = run("--overlay " + shell_quote(map) +
                              " --mode mosaic --mosaic axial:30:60:10 "
                              "--size 1600x600 -o " +
                              q("m.png"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Image image = read_png(dir_.path("m.png"));
  SlicesFigure figure = figure_of(SlicesMode::mosaic, 1600, 600);
  figure.mosaic = spec;
  const SlicesLayout layout = layout_of(figure);
  ASSERT_EQ(layout.views.size(), 4u);
  const SliceView& at50 = layout.views[2];
  ASSERT_DOUBLE_EQ(at50.position, 50);
  const auto w = at50.pixel_of(kWarm), c = at50.pixel_of(kCool);
  EXPECT_LT(w[0], middle(at50));
  EXPECT_TRUE(warm(pixel(image, w[0], w[1])));
  EXPECT_TRUE(cool(pixel(image, c[0], c[1])));
  const SliceView& at30 = layout.views[0];  // 20 mm below the balls' centres
  const auto w30 = at30.pixel_of(kWarm);
  EXPECT_FALSE(coloured(pixel(image, w30[0], w30[1])));
}

TEST_F(Slices, GlassProjectionsPutTheWarmBallLeftInCoronalAndAxialAndDropWeakValues) {
  const std::string map = las_map();
  const ProcessResult r = run("--overlay " + shell_quote(map) +
                              " --mode glass --threshold 3 --size 1200x450 -o " + q("g.png"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Image image = read_png(dir_.path("g.png"));
  const SlicesLayout layout = layout_of(figure_of(SlicesMode::glass, 1200, 450));
  for (const std::size_t v : {std::size_t{1}, std::size_t{2}}) {
    const SliceView& view = layout.views[v];
    const auto w = view.pixel_of(kWarm);
    EXPECT_LT(w[0], middle(view)) << to_string(view.axis);
    EXPECT_TRUE(warm(pixel(image, w[0], w[1]))) << to_string(view.axis);
  }
  // The weak ball (2, below the threshold of 3) leaves no colour in any projection.
  for (const auto& view : layout.views) {
    const auto weak = view.pixel_of(kWeak);
    EXPECT_FALSE(coloured(pixel(image, weak[0], weak[1]))) << to_string(view.axis);
  }
}

TEST_F(Slices, GlassDrawsFindingsInTheColoursOfTheirDirectionOnTheirSide) {
  // A rise at the left coordinate and a fall at the right one; no map.
  const std::string node = R"({"id": "ID", "study": "s", "measure": "ReHo", "direction": "DIR",
      "location": {"coordinate": {"x": X, "y": -20, "z": 50, "space": "MNI"}},
      "source_anchor": "test"})";
  const auto finding = [&](const char* id, const char* direction, const char* x) {
    std::string f = node;
    f.replace(f.find("ID"), 2, id);
    f.replace(f.find("DIR"), 3, direction);
    f.replace(f.find('X'), 1, x);
    return f;
  };
  testing::write_text(dir_.path("f.json"),
                      R"({"foci_findings": 1, "title": "t", "source": {"citation": "c"},
      "studies": [{"id": "s", "citation": "s"}], "findings": [)" +
                          finding("a", "increase", "-40") + "," + finding("b", "decrease", "40") +
                          "]}");
  // The file after --atlas is a findings file, not a second atlas.
  const ProcessResult r =
      run("--atlas aal,jhu-wm " + q("f.json") + " --mode glass --size 1200x450 -o " + q("f.png"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Image image = read_png(dir_.path("f.png"));
  SlicesFigure figure = figure_of(SlicesMode::glass, 1200, 450, false);
  figure.legend = {{increase_colour(), "increase"}, {decrease_colour(), "decrease"}};
  const SlicesLayout layout = layout_of(figure);
  for (const std::size_t v : {std::size_t{1}, std::size_t{2}}) {
    const SliceView& view = layout.views[v];
    const auto up = view.pixel_of(kWarm), down = view.pixel_of(kCool);
    EXPECT_LT(up[0], middle(view));
    // increase_colour() and decrease_colour() of the 3D figures.
    const unsigned char* red = pixel(image, up[0], up[1]);
    const unsigned char* blue = pixel(image, down[0], down[1]);
    EXPECT_TRUE(red[0] > 150 && red[2] < 90)
        << int(red[0]) << "," << int(red[1]) << "," << int(red[2]);
    EXPECT_TRUE(blue[2] > 120 && blue[0] < 90)
        << int(blue[0]) << "," << int(blue[1]) << "," << int(blue[2]);
  }
}

TEST_F(Slices, ALabelMapIsDrawnInItsLabelsColoursWithALegendOfTheLabelsShown) {
  testing::SyntheticHeader header;
  header.size = {91, 109, 91};
  header.sform = las_2mm();
  const std::string map = dir_.path("balls.nii.gz");
  testing::write_synthetic_nifti(map, header, [](int i, int j, int k) {
    const double v = ball_value(las_2mm().apply({double(i), double(j), double(k)}));
    return v == 5 ? 1 : v == -5 ? 2 : v == 2 ? 3 : 0;
  });
  testing::write_text(dir_.path("balls.nii.txt"), "1 LeftBall\n2 RightBall\n3 FrontBall\n");
  const ProcessResult r = run("--overlay " + shell_quote(map) +
                              " --cut-coords -40,-20,50 --size 1200x450 -o " + q("l.png"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Image image = read_png(dir_.path("l.png"));
  const OverlayMap loaded = load_overlay({map, 0}, {});
  ASSERT_EQ(loaded.kind, OverlayKind::labels);
  const OverlayColours colours = overlay_colours(loaded, "auto", 0, std::nullopt);
  SlicesFigure figure = figure_of(SlicesMode::ortho, 1200, 450, false);
  figure.cut = kWarm;
  figure.overlays.push_back({});
  figure.overlays.back().labels.push_back({1, {}, "LeftBall"});
  const SlicesLayout layout = layout_of(figure);
  const auto is = [](const unsigned char* p, const Rgba8& c) {
    return p[0] == c[0] && p[1] == c[1] && p[2] == c[2];
  };
  // Each label in its own colour where it is, at the nearest voxel's value.
  const SliceView& axial = layout.views[2];
  const auto w = axial.pixel_of(kWarm), c = axial.pixel_of(kCool);
  EXPECT_TRUE(is(pixel(image, w[0] + 5, w[1] + 5), colours.colour_of(1)));
  EXPECT_TRUE(is(pixel(image, c[0] + 5, c[1] + 5), colours.colour_of(2)));
  // The legend beside the views has swatches of the two labels the slices show, and none of
  // the third, which no slice crosses.
  const auto swatches = [&](int value) {
    std::size_t n = 0;
    const PixelRect& legend = layout.colour_bars;
    for (int y = static_cast<int>(legend.y); y < legend.y + legend.height; ++y)
      for (int x = static_cast<int>(legend.x); x < legend.x + legend.width; ++x)
        n += is(image.at(x, y), colours.colour_of(value));
    return n;
  };
  EXPECT_GT(swatches(1), 20u);
  EXPECT_GT(swatches(2), 20u);
  EXPECT_EQ(swatches(3), 0u);
}

TEST_F(Slices, ThresholdAboveTheMaximumDrawsAFigureThatSaysSo) {
  const std::string map = ras_map();
  const ProcessResult r = run("--overlay " + shell_quote(map) +
                              " --threshold 9 --cut-coords -40,-20,50 "
                              "--size 1200x450 -o " +
                              q("t.png"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("ras1: no voxel reaches the threshold 9 (largest |value| 5)"),
            std::string::npos)
      << r.err;
  const Image image = read_png(dir_.path("t.png"));
  std::size_t colour = 0;
  for (int y = 0; y < image.height; ++y)
    for (int x = 0; x < image.width * 4 / 5; ++x)
      colour += warm(image.at(x, y)) || cool(image.at(x, y));
  EXPECT_EQ(colour, 0u);
}

TEST_F(Slices, SameInputsGiveTheSameBytesWithTheDpiRecorded) {
  const std::string map = las_map();
  ASSERT_EQ(
      run("--overlay " + shell_quote(map) + " --dpi 150 --size 600x240 -o " + q("a.png")).exit_code,
      0);
  ASSERT_EQ(
      run("--overlay " + shell_quote(map) + " --dpi 150 --size 600x240 -o " + q("b.png")).exit_code,
      0);
  const std::string a = slurp(dir_.path("a.png"));
  EXPECT_EQ(a, slurp(dir_.path("b.png")));
  // pHYs: 150 dpi is 5906 pixels per metre (0x1712), unit metre.
  const auto phys = a.find("pHYs");
  ASSERT_NE(phys, std::string::npos);
  EXPECT_EQ(a.substr(phys + 4, 9), std::string("\0\0\x17\x12\0\0\x17\x12\x01", 9));
}

TEST_F(Slices, AnExistingOutputIsRefusedWithoutForce) {
  const std::string map = las_map();
  testing::write_text(dir_.path("taken.png"), "keep me");
  const ProcessResult r = run("--overlay " + shell_quote(map) + " -o " + q("taken.png"));
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find("exists; use --force to overwrite it"), std::string::npos) << r.err;
  EXPECT_EQ(slurp(dir_.path("taken.png")), "keep me");
}

TEST_F(Slices, BadOptionsAreUsageErrors) {
  const std::string map = las_map();
  ProcessResult r = run("--overlay " + shell_quote(map) +
                        " --mode mosaic --mosaic axial:60:-40:10 -o " + q("x.png"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--mosaic: 'axial:60:-40:10': TO must not be below FROM"), std::string::npos)
      << r.err;
  r = run("--overlay " + shell_quote(map) + " --cut-coords 1,2 -o " + q("x.png"));
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("--cut-coords: '1,2': expected X,Y,Z in mm"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(dir_.path("x.png")));
}

TEST(CutPoint, APlateauPeakGivesTheMiddleOfItsClusterNotItsEdge) {
  // The LAS 2 mm map as the loader gives it: the peak (ties: lowest index) is an edge voxel
  // of one of the balls.
  OverlayMap map;
  map.size = {91, 109, 91};
  map.voxel_to_mni = las_2mm();
  map.mni_to_voxel = las_2mm().inverse();
  map.values.resize(static_cast<std::size_t>(91) * 109 * 91);
  std::size_t n = 0;
  for (int k = 0; k < 91; ++k)
    for (int j = 0; j < 109; ++j)
      for (int i = 0; i < 91; ++i, ++n)
        map.values[n] =
            static_cast<float>(ball_value(las_2mm().apply({double(i), double(j), double(k)})));
  map.peak_value = -5;
  map.peak_mni = {40, -20, 42};  // the cool ball's lowest voxel
  const Vec3 cut = peak_cluster_centre(map);
  EXPECT_NEAR(cut.x, kCool.x, 1e-9);
  EXPECT_NEAR(cut.y, kCool.y, 1e-9);
  EXPECT_NEAR(cut.z, kCool.z, 1e-9);
}

TEST(SliceGeometry, MosaicSpecGivesItsPositions) {
  const MosaicSpec spec = parse_mosaic_spec("axial:-40:60:10");
  EXPECT_EQ(spec.positions().size(), 11u);
  EXPECT_EQ(spec.positions().front(), -40);
  EXPECT_EQ(spec.positions().back(), 60);
  EXPECT_EQ(parse_mosaic_spec("y:0:1:0.5").axis, SliceAxis::coronal);
}

TEST(SliceGeometry, ViewsMapWorldToPixelsAndBack) {
  SliceView view{
      SliceAxis::coronal, -20, {100, 50, 180, 180}, {{-90, -126, -72}, {90, 90, 108}}, false};
  const auto p = view.pixel_of({-40, -20, 50});
  const Vec3 back = view.world_at(p[0], p[1]);
  EXPECT_NEAR(back.x, -40, 1e-9);
  EXPECT_NEAR(back.z, 50, 1e-9);
  EXPECT_EQ(back.y, -20);
  EXPECT_EQ(view.left_mark(), "L");
  view.radiological = true;
  EXPECT_GT(view.pixel_of({-40, -20, 50})[0], 190);
  EXPECT_EQ(view.left_mark(), "R");
}

}  // namespace
}  // namespace foci
