// foci render checked for meaning: where things appear, not only that a file exists.
#include <gtest/gtest.h>
#include <sys/wait.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
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

struct Blob {
  std::size_t pixels = 0;
  double x = 0, y = 0;  ///< centroid, pixels from the top-left
};

/// The pixels for which `hit(rgb)` holds in the top `percent` of the image, and their centroid.
template <typename Hit>
Blob find_pixels(const Image& image, int percent, Hit hit) {
  Blob b;
  for (int y = 0; y < image.height * percent / 100; ++y) {
    for (int x = 0; x < image.width; ++x) {
      if (!hit(image.at(x, y))) continue;
      ++b.pixels;
      b.x += x;
      b.y += y;
    }
  }
  if (b.pixels) b.x /= b.pixels, b.y /= b.pixels;
  return b;
}

/// Pixels of the direction colours, strongly red or strongly blue, above the legend (whose
/// swatches are red and blue too) in the bottom 15% of the image.
Blob find(const Image& image, bool red) {
  return find_pixels(image, 85, [red](const unsigned char* p) {
    return red ? (p[0] > 150 && p[1] < 90 && p[2] < 90) : (p[2] > 150 && p[0] < 90 && p[1] < 140);
  });
}

double non_white_fraction(const Image& image) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < image.rgb.size(); i += 3) {
    n += image.rgb[i] < 245 || image.rgb[i + 1] < 245 || image.rgb[i + 2] < 245;
  }
  return static_cast<double>(n) / (image.width * image.height);
}

class Render : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists("/usr/share/mricron/templates/ch2bet.nii.gz")) {
      GTEST_SKIP() << "mricron-data is not installed";
    }
  }
  ProcessResult render(const std::string& args) {
    return testing::run_shell(std::string("FOCI_CACHE_DIR='") + FOCI_MESH_CACHE + "' '" +
                                  FOCI_BINARY + "' render " + args,
                              dir_.root());
  }
  std::string findings(const std::string& body) {
    const auto path = dir_.path("findings.json");
    write_text(path, R"({"foci_findings": 1, "title": "t", "source": {"citation": "c"},
      "studies": [{"id": "s", "citation": "s"}], "findings": [)" +
                         body + "]}");
    return "'" + path + "'";
  }
  static std::string node(const char* id, double x, double y, double z, const char* direction) {
    std::ostringstream s;
    s << R"({"id": ")" << id << R"(", "study": "s", "measure": "ReHo", "direction": ")" << direction
      << R"(", "location": {"coordinate": {"x": )" << x << ", \"y\": " << y << ", \"z\": " << z
      << R"(, "space": "MNI"}}, "source_anchor": "test"})";
    return s.str();
  }
  std::string png(const std::string& name) { return dir_.path(name); }
  TempDir dir_;
};

TEST_F(Render, ALeftNodeIsOnTheLeftSeenFromBehindAndAboveAndOnTheRightSeenFromTheFront) {
  const auto input = findings(node("left", -45, -20, 10, "increase"));
  for (const auto& [view, expect_left] : std::vector<std::pair<std::string, bool>>{
           {"posterior", true}, {"dorsal", true}, {"ventral", true}, {"anterior", false}}) {
    const auto r =
        render(input + " -o '" + png(view + ".png") + "' --views " + view + " --size 320x260");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto image = read_png(png(view + ".png"));
    const auto red = find(image, true);
    ASSERT_GT(red.pixels, 20u) << view << ": the node is drawn";
    if (expect_left) {
      EXPECT_LT(red.x, image.width * 0.45) << view;
    } else {
      EXPECT_GT(red.x, image.width * 0.55) << view;
    }
  }
}

// A view's renderers cover only what they draw (the brain's box and every finding's): a
// finding far outside the brain, still within the view, is drawn where it projects.
TEST_F(Render, AFindingFarOutsideTheBrainIsStillDrawnWhereItProjects) {
  const auto input = findings(node("far", 150, -20, 10, "increase"));
  ASSERT_EQ(
      render(input + " -o '" + png("dorsal.png") + "' --views dorsal --size 640x260").exit_code, 0);
  const auto image = read_png(png("dorsal.png"));
  const auto red = find(image, true);
  ASSERT_GT(red.pixels, 20u) << "the finding is drawn";
  EXPECT_GT(red.x, image.width * 0.75) << "far right of the brain, seen from above";
}

TEST_F(Render, TheLeftHippocampusColoursWhereItProjects) {
  const auto input = findings(R"({"id": "h", "study": "s", "measure": "grey-matter volume",
      "direction": "decrease", "location": {"region": "左侧海马"}, "source_anchor": "test"})");
  ASSERT_EQ(
      render(input + " -o '" + png("dorsal.png") + "' --views dorsal --size 320x260").exit_code, 0);
  const auto dorsal = find(read_png(png("dorsal.png")), false);
  ASSERT_GT(dorsal.pixels, 50u);
  EXPECT_LT(dorsal.x, 320 * 0.42) << "left of the midline, seen from above";
  ASSERT_EQ(render(input + " -o '" + png("left.png") + "' --views left --size 320x260").exit_code,
            0);
  const auto lateral = find(read_png(png("left.png")), false);
  ASSERT_GT(lateral.pixels, 50u);
  EXPECT_GT(lateral.y, 260 * 0.5) << "below the middle: the hippocampus is ventral";
  EXPECT_EQ(find(read_png(png("left.png")), true).pixels, 0u) << "a decrease is not red";
}

// A finding on the whole left hemisphere (red, increase) must not bury one on the left
// hippocampus (blue, decrease) inside it: the hemisphere is a tint beneath, the hippocampus
// keeps its colour in the left and ventral views; with --coarse omit the tint is gone.
TEST_F(Render, AHemisphereFindingNeverHidesTheHippocampusInIt) {
  const auto input = findings(R"({"id": "hemi", "study": "s", "measure": "T1 relaxation",
      "direction": "increase", "location": {"region": "左侧大脑半球"}, "source_anchor": "test"},
      {"id": "h", "study": "s", "measure": "grey-matter volume", "direction": "decrease",
      "location": {"region": "左侧海马"}, "source_anchor": "test"})");
  // A light red: the tint of the hemisphere over the glass brain.
  const auto tint = [](const unsigned char* p) {
    return p[0] > 170 && p[0] > p[1] + 25 && p[0] > p[2] + 25 && p[1] > 90;
  };
  for (const std::string view : {"left", "ventral"}) {
    const std::string out = png(view + ".png"), alone = png(view + "-omit.png");
    auto r = render(input + " -o '" + out + "' --views " + view + " --size 400x320");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    r = render(input + " -o '" + alone + "' --views " + view + " --size 400x320 --coarse omit");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto image = read_png(out), without = read_png(alone);
    const auto hippocampus = find(image, false).pixels;
    EXPECT_GT(hippocampus, 150u) << view << ": the hippocampus shows its colour";
    EXPECT_GE(hippocampus, find(without, false).pixels * 9 / 10)
        << view << ": the hemisphere hides none of the hippocampus";
    EXPECT_GT(find_pixels(image, 80, tint).pixels, 2000u) << view << ": the hemisphere's tint";
    EXPECT_LT(find_pixels(without, 80, tint).pixels, 50u) << view << ": omitted, no tint";
  }
  EXPECT_NE(render(input + " -o '" + png("x.png") + "' --coarse hide").exit_code, 0);
}

// In a lateral view of the glass brain, the far hemisphere's regions would show through and
// merge with the near ones: a left view draws no right-hemisphere region, a right view does.
TEST_F(Render, ALeftViewDrawsNoRegionOfTheRightHemisphere) {
  const auto input = findings(R"({"id": "p", "study": "s", "measure": "ReHo",
      "direction": "increase", "location": {"region": "右侧中央前回"}, "source_anchor": "test"})");
  for (const auto& [view, drawn] :
       std::vector<std::pair<std::string, bool>>{{"left", false}, {"right", true}}) {
    const std::string out = png(view + ".png");
    ASSERT_EQ(render(input + " -o '" + out + "' --views " + view + " --size 320x260").exit_code, 0);
    const auto red = find(read_png(out), true).pixels;
    if (drawn) {
      EXPECT_GT(red, 200u) << view;
    } else {
      EXPECT_EQ(red, 0u) << view;
    }
  }
}

TEST_F(Render, AnEmptyFindingsFileStillDrawsABrain) {
  const auto r =
      render(findings("") + " -o '" + png("empty.png") + "' --size 320x260 --views dorsal");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("drawing the brain alone"), std::string::npos) << r.err;
  const auto image = read_png(png("empty.png"));
  EXPECT_GT(non_white_fraction(image), 0.2) << "the brain fills much of the view";
  EXPECT_EQ(find(image, true).pixels, 0u);
}

TEST_F(Render, AFilterThatMatchesNothingSaysSoAndDrawsTheBrain) {
  const auto r = render(findings(node("n", 30, 10, 20, "increase")) + " -o '" + png("f.png") +
                        "' --size 320x260 --views dorsal --filter measure=ALFF");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("the filter matches none of the 1 findings"), std::string::npos) << r.err;
  const auto image = read_png(png("f.png"));
  EXPECT_GT(non_white_fraction(image), 0.2);
  EXPECT_EQ(find(image, true).pixels, 0u);
}

TEST_F(Render, SameInputsGiveTheSameBytesWithSizeAndDpiRecorded) {
  const auto input =
      findings(node("a", -30, 20, 30, "increase") + "," + node("b", 40, -60, 10, "decrease"));
  ASSERT_EQ(render(input + " -o '" + png("one.png") + "' --size 400x300 --dpi 150").exit_code, 0);
  ASSERT_EQ(render(input + " -o '" + png("two.png") + "' --size 400x300 --dpi 150").exit_code, 0);
  const std::string one = slurp(png("one.png")), two = slurp(png("two.png"));
  EXPECT_EQ(one, two);
  const auto image = read_png(png("one.png"));
  EXPECT_EQ(image.width, 400);
  EXPECT_EQ(image.height, 300);
  const auto phys = one.find("pHYs");
  ASSERT_NE(phys, std::string::npos);
  const auto ppm = (static_cast<unsigned char>(one[phys + 4]) << 24) |
                   (static_cast<unsigned char>(one[phys + 5]) << 16) |
                   (static_cast<unsigned char>(one[phys + 6]) << 8) |
                   static_cast<unsigned char>(one[phys + 7]);
  EXPECT_EQ(ppm, 5906u) << "150 dpi in pixels per metre";
  EXPECT_GT(find(image, true).pixels, 0u);
  EXPECT_GT(find(image, false).pixels, 0u);
}

TEST_F(Render, ATallFigureDrawnInBandsKeepsEachPanelsFindingsInItsOwnPanelAndSide) {
  // Three panels stacked, one dorsal view each: drawn a band of rows at a time, each panel's
  // nodes must still land in its own third, the left node left of the midline, the right one
  // right of it, and every row of the figure must be drawn (its left margin white).
  const auto input =
      findings(node("l", -45, -20, 30, "increase") + "," + node("r", 45, -20, 30, "decrease"));
  const std::string args = input +
                           " --panel 'Rises|direction=increase' --panel 'Falls|direction=decrease'"
                           " --panel 'Both' --views dorsal --size 400x1200 -o '";
  const auto r =
      testing::run_shell(std::string("FOCI_CACHE_DIR='") + FOCI_MESH_CACHE + "' '" + FOCI_BINARY +
                             "' --verbose render " + args + png("tall.png") + "'",
                         dir_.root());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find(" bands of "), std::string::npos) << "drawn in bands: " << r.err;
  const auto image = read_png(png("tall.png"));
  ASSERT_EQ(image.height, 1200);
  const auto count = [&](int panel, bool red) {
    // The legend's swatches sit at the panel's left edge; the nodes are well inside.
    const int x0 = red ? image.width / 4 : image.width / 2, x1 = x0 + image.width / 4;
    std::size_t n = 0;
    for (int y = panel * 400; y < (panel + 1) * 400; ++y) {
      for (int x = x0; x < x1; ++x) {
        const unsigned char* p = image.at(x, y);
        n += red ? (p[0] > 150 && p[1] < 90 && p[2] < 90) : (p[2] > 150 && p[0] < 90 && p[1] < 140);
      }
    }
    return n;
  };
  EXPECT_GT(count(0, true), 20u) << "(a) rises: the left node, left of the midline";
  EXPECT_EQ(count(0, false), 0u) << "(a) draws no fall";
  EXPECT_EQ(count(1, true), 0u) << "(b) draws no rise";
  EXPECT_GT(count(1, false), 20u) << "(b) falls: the right node, right of the midline";
  EXPECT_GT(count(2, true), 20u) << "(c) both";
  EXPECT_GT(count(2, false), 20u) << "(c) both";
  for (int y = 0; y < image.height; ++y) {
    const unsigned char* p = image.at(0, y);
    ASSERT_TRUE(p[0] > 245 && p[1] > 245 && p[2] > 245) << "row " << y << " is drawn";
  }
  ASSERT_EQ(render(args + png("again.png") + "'").exit_code, 0);
  EXPECT_EQ(slurp(png("tall.png")), slurp(png("again.png"))) << "the same bytes each time";
}

TEST_F(Render, AColdFigureIsTheSameBytesAsAWarmOneAndCachesTheBrain) {
  // An empty mesh cache: the brain's mesh is made, drawn and cached; drawn from the cache, the
  // figure must not change, here or with the tests' shared cache.
  const auto input =
      findings(node("a", -30, 20, 30, "increase") + "," + node("b", 40, -60, 10, "decrease"));
  const std::string cache = dir_.path("cold-cache");
  const auto render_with_own_cache = [&](const std::string& out) {
    return testing::run_shell("FOCI_CACHE_DIR='" + cache + "' '" + FOCI_BINARY + "' render " +
                                  input + " -o '" + out + "' --size 400x300",
                              dir_.root());
  };
  ASSERT_EQ(render_with_own_cache(png("cold.png")).exit_code, 0);
  std::size_t brain_meshes = 0;
  for (const auto& entry : fs::directory_iterator(cache)) {
    brain_meshes += entry.path().filename().string().find("-brain-") != std::string::npos;
  }
  EXPECT_EQ(brain_meshes, 1u) << "the whole brain's mesh is cached";
  ASSERT_EQ(render_with_own_cache(png("warm.png")).exit_code, 0);
  ASSERT_EQ(render(input + " -o '" + png("shared.png") + "' --size 400x300").exit_code, 0);
  EXPECT_EQ(slurp(png("cold.png")), slurp(png("warm.png")));
  EXPECT_EQ(slurp(png("cold.png")), slurp(png("shared.png")));
  EXPECT_GT(find(read_png(png("cold.png")), true).pixels, 0u);
}

TEST_F(Render, BadRequestsAreRefusedClearly) {
  const auto input = findings(node("a", -30, 20, 30, "increase"));
  auto r = render(input + " -o '" + png("x.png") + "' --views dorsl");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n')),
            "foci: [ERROR] --views: unknown view 'dorsl'; did you mean 'dorsal'? (views: left, "
            "right, dorsal, ventral, anterior, posterior, medial-left, medial-right)");
  r = render(input + " -o '" + png("x.png") + "' --size 10x10");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n')),
            "foci: [ERROR] --size: expected WIDTHxHEIGHT pixels of the whole image, each from 64 "
            "to 8192; got '10x10'");
  r = render(input + " -o '" + dir_.path("no/such/dir/x.png") + "' --size 200x200");
  EXPECT_EQ(r.exit_code, 4);
  EXPECT_NE(r.err.find("does not exist"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(png("x.png")));
}

TEST_F(Render, ColourByMeasureGivesEachMeasureItsColourAndLabelsDrawText) {
  auto reho = node("a", -40, 10, 30, "increase");
  auto alff = node("b", 40, 10, 30, "increase");
  alff.replace(alff.find("ReHo"), 4, "ALFF");
  const auto input = findings(reho + "," + alff);
  ASSERT_EQ(
      render(input + " -o '" + png("m.png") + "' --views dorsal --size 320x260 --colour-by measure")
          .exit_code,
      0);
  const auto image = read_png(png("m.png"));
  // Okabe-Ito orange (ALFF, first in order) and sky blue (ReHo): left node sky blue.
  Blob orange, sky;
  for (int y = 0; y < image.height * 85 / 100; ++y) {
    for (int x = 0; x < image.width; ++x) {
      const auto* p = image.at(x, y);
      if (p[0] > 170 && p[1] > 100 && p[1] < 190 && p[2] < 60) ++orange.pixels, orange.x += x;
      if (p[0] < 120 && p[1] > 140 && p[2] > 180) ++sky.pixels, sky.x += x;
    }
  }
  ASSERT_GT(orange.pixels, 10u);
  ASSERT_GT(sky.pixels, 10u);
  EXPECT_GT(orange.x / orange.pixels, image.width * 0.5) << "ALFF node on the right";
  EXPECT_LT(sky.x / sky.pixels, image.width * 0.5) << "ReHo node on the left";
  EXPECT_EQ(find(image, true).pixels, 0u) << "no direction colours when colouring by measure";

  ASSERT_EQ(
      render(input + " -o '" + png("l.png") + "' --views dorsal --size 320x260 --labels").exit_code,
      0);
  ASSERT_EQ(render(input + " -o '" + png("n.png") + "' --views dorsal --size 320x260").exit_code,
            0);
  EXPECT_NE(slurp(png("l.png")), slurp(png("n.png"))) << "labels change the picture";
}

// Defect: `foci render -o` wrote over any file, its own input included (`render in.json -o
// in.json` turned the findings into a PNG).
TEST_F(Render, AnExistingOutputIsKeptWithoutForce) {
  const auto input = findings(node("a", -30, 20, 30, "increase"));
  write_text(png("taken.png"), "someone's figure");
  auto r = render(input + " -o '" + png("taken.png") + "' --size 200x160 --views dorsal");
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_EQ(r.err,
            "foci: [ERROR] '" + png("taken.png") + "' exists; use --force to overwrite it\n");
  EXPECT_EQ(slurp(png("taken.png")), "someone's figure");
  r = render(input + " -o '" + png("taken.png") + "' --size 200x160 --views dorsal --force");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(slurp(png("taken.png")).substr(1, 3), "PNG");
}

TEST_F(Render, AnInputIsNeverOverwrittenEvenWithForce) {
  const auto input = findings(node("a", -30, 20, 30, "increase"));
  const std::string path = dir_.path("findings.json"), before = slurp(path);
  fs::create_symlink(path, dir_.path("link.png"));
  for (const std::string& out : {path, dir_.path("link.png"), dir_.root() + "/./findings.json"}) {
    for (const char* force : {"", " --force"}) {
      const auto r = render(input + " -o '" + out + "' --size 200x160 --views dorsal" + force);
      EXPECT_EQ(r.exit_code, 2) << out << force << ": " << r.err;
      EXPECT_EQ(r.err, "foci: [ERROR] '" + out + "' is an input of this command ('" + path +
                           "'); foci never writes over its inputs, --force or not\n");
      EXPECT_EQ(slurp(path), before) << out << force;
    }
  }
  EXPECT_TRUE(fs::is_symlink(dir_.path("link.png")));
}

/// Renders and compares with a reviewed image: mean channel difference under 2 and under 1%
/// of channels far off. FOCI_UPDATE_GOLDEN=1 rewrites the reviewed image from this render
/// instead, and fails: comparing the render with its own copy would pass whatever was drawn,
/// so the new image must be reviewed and the test rerun without the variable.
void expect_like_golden(const std::string& got_path, const std::string& golden) {
  if (std::getenv("FOCI_UPDATE_GOLDEN")) {
    fs::copy_file(got_path, golden, fs::copy_options::overwrite_existing);
    FAIL() << golden << " rewritten from this render and not compared; review it, then rerun "
           << "without FOCI_UPDATE_GOLDEN";
  }
  ASSERT_TRUE(fs::exists(golden)) << golden;
  const auto got = read_png(got_path), want = read_png(golden);
  ASSERT_EQ(got.width, want.width);
  ASSERT_EQ(got.height, want.height);
  double total = 0;
  std::size_t far = 0;
  for (std::size_t i = 0; i < got.rgb.size(); ++i) {
    const int d = std::abs(int(got.rgb[i]) - int(want.rgb[i]));
    total += d;
    far += d > 48;
  }
  EXPECT_LT(total / got.rgb.size(), 2.0) << golden << ": mean difference per channel";
  EXPECT_LT(static_cast<double>(far) / got.rgb.size(), 0.01) << golden << ": channels far off";
}

// The look, guarded with a tolerance: small figures against reviewed images.
TEST_F(Render, GoldenGlassBrainWithTwoNodes) {
  const auto input =
      findings(node("a", -40, 10, 30, "increase") + "," + node("b", 35, -50, 20, "decrease"));
  ASSERT_EQ(
      render(input + " -o '" + png("g.png") + "' --size 360x200 --views dorsal,left").exit_code, 0);
  expect_like_golden(png("g.png"), FOCI_SOURCE_DIR "/tests/golden/two-nodes-dorsal-left.png");
}

TEST_F(Render, GoldenOpaqueMedialViewsWithARegion) {
  const auto input =
      findings(R"({"id": "m", "study": "s", "measure": "ReHo", "direction": "decrease",
      "location": {"region": "双侧内侧额上回"}, "source_anchor": "test"})");
  ASSERT_EQ(render(input + " -o '" + png("o.png") +
                   "' --size 360x200 --views medial-left,medial-right --style opaque")
                .exit_code,
            0);
  expect_like_golden(png("o.png"), FOCI_SOURCE_DIR "/tests/golden/medial-region-opaque.png");
}

// ---- Overlays: maps built in the test, two balls of opposite sign at mirror coordinates.

/// Warm (red to yellow) and cool (blue to cyan) overlay pixels above the footer (the bottom
/// quarter, where colour bars hold both).
Blob find_overlay(const Image& image, bool warm) {
  return find_pixels(image, 75, [warm](const unsigned char* p) {
    const int r = p[0], g = p[1], b = p[2];
    return warm ? (r > 120 && r > b + 70 && r >= g) : (b > 120 && b > r + 70);
  });
}

// Parietal, where the cortex faces both up and back: seen from above and from behind.
constexpr Vec3 kLeftBall{-35, -65, 50};
constexpr double kBallRadius = 12;

/// +5 around (-35, -65, 50), -3 around its mirror (35, -65, 50), 0 elsewhere; stored as RAS
/// 1 mm or as LAS 2 mm (i running right to left, as FSL's MNI152 files).
std::string write_ball_map(const TempDir& dir, const std::string& name, bool las_2mm) {
  testing::SyntheticHeader header;
  const Affine affine =
      las_2mm ? Affine::from_rows({{{-2, 0, 0, 90}, {0, 2, 0, -126}, {0, 0, 2, -72}}})
              : Affine::from_rows({{{1, 0, 0, -90}, {0, 1, 0, -126}, {0, 0, 1, -72}}});
  header.size = las_2mm ? std::array<int, 3>{91, 109, 91} : std::array<int, 3>{181, 217, 181};
  header.sform = affine;
  header.datatype = 16;
  const Vec3 right_ball{-kLeftBall.x, kLeftBall.y, kLeftBall.z};
  testing::write_synthetic_nifti(dir.path(name), header, [&](int i, int j, int k) {
    const Vec3 p = affine.apply({double(i), double(j), double(k)});
    if (norm(p - kLeftBall) <= kBallRadius) return 5.0;
    if (norm(p - right_ball) <= kBallRadius) return -3.0;
    return 0.0;
  });
  return dir.path(name);
}

TEST_F(Render, OverlayIsWarmOnTheLeftAndCoolOnTheRightFromAboveAndBehindInEveryStorage) {
  for (const bool las : {false, true}) {
    const std::string map = write_ball_map(dir_, las ? "las.nii.gz" : "ras.nii.gz", las);
    for (const std::string view : {"dorsal", "posterior"}) {
      const std::string out = png(view + (las ? "-las.png" : "-ras.png"));
      const auto r = render("--overlay '" + map + "' --threshold 1 -o '" + out + "' --views " +
                            view + " --size 400x320");
      ASSERT_EQ(r.exit_code, 0) << r.err;
      const Image image = read_png(out);
      const Blob warm = find_overlay(image, true), cool = find_overlay(image, false);
      ASSERT_GT(warm.pixels, 30u) << out;
      ASSERT_GT(cool.pixels, 30u) << out;
      // Left is on the image's left from above and from behind.
      EXPECT_LT(warm.x, image.width / 2.0) << out;
      EXPECT_GT(cool.x, image.width / 2.0) << out;
    }
  }
}

TEST_F(Render, OverlayValuesBelowTheThresholdLeaveNoColour) {
  const std::string map = write_ball_map(dir_, "balls.nii.gz", false);
  auto r = render("--overlay '" + map + "' --threshold 4 -o '" + png("t4.png") +
                  "' --views dorsal --size 400x320");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Image image = read_png(png("t4.png"));
  EXPECT_GT(find_overlay(image, true).pixels, 30u);
  EXPECT_EQ(find_overlay(image, false).pixels, 0u);  // -3 is below 4

  // Above the largest value: a figure that says so, and exit 0.
  r = render("--overlay '" + map + "' --threshold 6 -o '" + png("t6.png") +
             "' --views dorsal --size 400x320");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("balls: no value reaches the threshold 6 (largest magnitude 5)"),
            std::string::npos)
      << r.err;
  image = read_png(png("t6.png"));
  EXPECT_EQ(find_overlay(image, true).pixels, 0u);
  EXPECT_EQ(find_overlay(image, false).pixels, 0u);
}

TEST_F(Render, OverlayBlobsAreWarmOnTheLeftInsideTheGlassBrain) {
  const std::string map = write_ball_map(dir_, "balls.nii.gz", true);
  const auto r = render("--overlay '" + map + "' --overlay-style blobs --threshold 1 -o '" +
                        png("blobs.png") + "' --views posterior --size 400x320");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Image image = read_png(png("blobs.png"));
  const Blob warm = find_overlay(image, true), cool = find_overlay(image, false);
  ASSERT_GT(warm.pixels, 30u);
  ASSERT_GT(cool.pixels, 30u);
  EXPECT_LT(warm.x, image.width / 2.0);
  EXPECT_GT(cool.x, image.width / 2.0);
}

TEST_F(Render, OverlayLabelMapColoursItsLabels) {
  testing::SyntheticHeader header;
  const Affine affine = Affine::from_rows({{{2, 0, 0, -90}, {0, 2, 0, -126}, {0, 0, 2, -72}}});
  header.size = {91, 109, 91};
  header.sform = affine;
  testing::write_synthetic_nifti(dir_.path("parcels.nii.gz"), header, [&](int i, int j, int k) {
    const Vec3 p = affine.apply({double(i), double(j), double(k)});
    return norm(p - kLeftBall) <= kBallRadius ? 1.0 : 0.0;
  });
  write_text(dir_.path("parcels.nii.txt"), "1 Left_Blob 1\n");
  const auto r = render("--overlay '" + dir_.path("parcels.nii.gz") + "' -o '" + png("labels.png") +
                        "' --views dorsal --size 400x320");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  // Label 1 takes the first label colour, (230, 25, 75): a warm red.
  const Blob label = find_overlay(read_png(png("labels.png")), true);
  EXPECT_GT(label.pixels, 30u);
  EXPECT_LT(label.x, 200);
}

TEST_F(Render, BadOverlaysAreInputErrorsNamingTheMap) {
  write_text(dir_.path("notes.nii"), std::string(400, 'x'));
  auto r = render("--overlay '" + dir_.path("notes.nii") + "' -o '" + png("x.png") + "'");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n')),
            "foci: [ERROR] cannot read '" + dir_.path("notes.nii") +
                "': not a NIfTI-1 image (its first four bytes, the header size, are not 348)");
  const std::string map = write_ball_map(dir_, "balls.nii.gz", true);
  r = render("--overlay '" + map + ":1' -o '" + png("x.png") + "'");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n')), "foci: [ERROR] cannot read volume 1 of '" + map +
                                                   "': it has 1 volume (indices 0 to 0)");
  r = render("-o '" + png("x.png") + "'");
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_EQ(r.err.substr(0, r.err.find('\n')),
            "foci: [ERROR] nothing to draw: give findings files, --overlay maps, or both");
  EXPECT_FALSE(fs::exists(png("x.png")));
}

TEST_F(Render, OverlayFiguresAreTheSameBytesEachTime) {
  const std::string map = write_ball_map(dir_, "balls.nii.gz", true);
  for (const std::string name : {"one.png", "two.png"}) {
    const auto r = render("--overlay '" + map + "' --threshold 1 --views dorsal,medial-left -o '" +
                          png(name) + "' --size 360x240");
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  EXPECT_EQ(slurp(png("one.png")), slurp(png("two.png")));
}

/// A connection between two MNI points, seed first.
std::string connection(const char* id, const char* measure, double x0, double x1) {
  std::ostringstream s;
  s << R"({"id": ")" << id << R"(", "study": "s", "measure": ")" << measure
    << R"(", "direction": "increase", "endpoints": [)"
    << R"({"coordinate": {"x": )" << x0 << R"(, "y": -10, "z": 50, "space": "MNI"}},)"
    << R"({"coordinate": {"x": )" << x1 << R"(, "y": -10, "z": 50, "space": "MNI"}}],)"
    << R"( "source_anchor": "test"})";
  return s.str();
}

/// How many red pixels the thickest image column holds within the first and the last quarter
/// of the red's horizontal extent (left end, right end): a tube is as thick at both ends, an
/// arrowhead makes one end thicker.
std::pair<int, int> red_thickness_at_ends(const Image& image) {
  std::vector<int> column(image.width, 0);
  for (int y = 0; y < image.height * 85 / 100; ++y) {
    for (int x = 0; x < image.width; ++x) {
      const auto* p = image.at(x, y);
      column[x] += p[0] > 150 && p[1] < 90 && p[2] < 90;
    }
  }
  int first = image.width, last = -1;
  for (int x = 0; x < image.width; ++x) {
    if (column[x] > 0) first = std::min(first, x), last = std::max(last, x);
  }
  if (last < first + 8) return {0, 0};
  const int quarter = (last - first) / 4;
  const int left = *std::max_element(column.begin() + first, column.begin() + first + quarter);
  const int right = *std::max_element(column.begin() + last - quarter, column.begin() + last + 1);
  return {left, right};
}

TEST_F(Render, AnEffectiveConnectionHasItsArrowheadAtTheTargetAndAFunctionalOneNone) {
  // Seen from above, left on the left: seed left and target right, then the other way. At
  // 840x680 the head is a dozen pixels across; at half that size it was five, and a camera
  // framed a fraction of a millimetre differently (a new brain mesh) took two of them.
  const auto input = findings(connection("lr", "effective connectivity", -50, 50));
  ASSERT_EQ(render(input + " -o '" + png("lr.png") + "' --views dorsal --size 840x680").exit_code,
            0);
  const auto [lr_left, lr_right] = red_thickness_at_ends(read_png(png("lr.png")));
  ASSERT_GT(lr_left, 0) << "the edge is drawn";
  EXPECT_GT(lr_right, lr_left * 1.6) << "the head at the target (right)";

  const auto back = findings(connection("rl", "effective connectivity", 50, -50));
  ASSERT_EQ(render(back + " -o '" + png("rl.png") + "' --views dorsal --size 840x680").exit_code,
            0);
  const auto [rl_left, rl_right] = red_thickness_at_ends(read_png(png("rl.png")));
  EXPECT_GT(rl_left, rl_right * 1.6) << "the head at the target (left)";

  const auto plain = findings(connection("fc", "functional connectivity", -50, 50));
  ASSERT_EQ(render(plain + " -o '" + png("fc.png") + "' --views dorsal --size 840x680").exit_code,
            0);
  const auto [fc_left, fc_right] = red_thickness_at_ends(read_png(png("fc.png")));
  ASSERT_GT(fc_left, 0);
  EXPECT_LT(fc_right, fc_left * 1.3) << "an undirected edge is a plain tube";
  EXPECT_LT(fc_left, fc_right * 1.3) << "an undirected edge is a plain tube";
}

// In a left view the right hemisphere's nodes and edges would show through the glass brain
// and read as left ones (the regions were already left out): a lateral view draws the near
// hemisphere's findings only, as BrainNet Viewer draws one hemisphere's lateral view.
TEST_F(Render, ALeftViewDrawsNoNodeOrEdgeOfTheRightHemisphere) {
  const auto right = findings(node("r", 45, -20, 30, "increase") + "," +
                              connection("rr", "functional connectivity", 20, 50));
  for (const auto& [view, drawn] : std::vector<std::pair<std::string, bool>>{
           {"left", false}, {"right", true}, {"dorsal", true}}) {
    const std::string out = png("right-" + view + ".png");
    const auto r = render(right + " -o '" + out + "' --views " + view + " --size 320x260 --labels");
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const auto red = find(read_png(out), true).pixels;
    if (drawn) {
      EXPECT_GT(red, 30u) << view;
    } else {
      EXPECT_EQ(red, 0u) << view << ": no node or edge of the right hemisphere";
    }
  }
  const auto left = findings(node("l", -45, -20, 30, "increase"));
  ASSERT_EQ(render(left + " -o '" + png("left.png") + "' --views left --size 320x260").exit_code, 0);
  EXPECT_GT(find(read_png(png("left.png")), true).pixels, 30u) << "the near side's node";
}

/// The text of every <text> element of an SVG figure, in order.
std::vector<std::string> svg_texts(const std::string& svg) {
  std::vector<std::string> out;
  for (std::size_t at = svg.find("<text "); at != std::string::npos;
       at = svg.find("<text ", at + 1)) {
    const std::size_t open = svg.find('>', at), close = svg.find("</text>", at);
    out.push_back(svg.substr(open + 1, close - open - 1));
  }
  return out;
}

// Defect: a legend of more entries than one line holds ended in "+3 more" and left out the
// coarse findings' tints the figure drew. Every entry is listed, in rows, inside the figure.
TEST_F(Render, ALegendOfManyEntriesListsEveryOne) {
  const std::vector<std::string> measures{
      "grey-matter volume", "cortical thickness", "R2*", "FA", "MD", "ReHo", "ALFF", "fALFF",
      "degree centrality"};
  std::string body;
  for (std::size_t n = 0; n < measures.size(); ++n) {
    auto one = node(("n" + std::to_string(n)).c_str(), -60 + 15.0 * n, -20, 40, "increase");
    one.replace(one.find("ReHo"), 4, measures[n]);
    body += one + ",";
  }
  body += R"({"id": "lobe", "study": "s", "measure": "ReHo", "direction": "decrease",
      "location": {"region": "左侧额叶"}, "source_anchor": "test"})";
  const auto input = findings(body);
  const std::string out = dir_.path("legend.svg");
  const auto r = render(input + " -o '" + out + "' --views dorsal --size 480x400 --colour-by measure");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string svg = slurp(out);
  const auto texts = svg_texts(svg);
  std::vector<std::string> expected = measures;
  expected.push_back("tint, lobe or hemisphere: ReHo");
  for (const auto& entry : expected) {
    std::string escaped = entry;
    EXPECT_EQ(std::count(texts.begin(), texts.end(), escaped), 1) << entry << " in\n" << svg.substr(svg.find("<g "));
  }
  for (const auto& t : texts) {
    EXPECT_EQ(t.find(" more"), std::string::npos) << t;
  }
  // Every legend line inside the figure: the rows wrap instead of running off its edge.
  const std::regex line(R"re(<text x="([0-9.-]+)" y="([0-9.-]+)"[^>]*>([^<]*)</text>)re");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), line); it != std::sregex_iterator();
       ++it) {
    const double x = std::stod((*it)[1]), y = std::stod((*it)[2]);
    EXPECT_GE(x, 0) << (*it)[3];
    EXPECT_LE(y, 400) << (*it)[3];
    if (std::find(expected.begin(), expected.end(), (*it)[3].str()) != expected.end()) {
      EXPECT_GT(y, 400 * 0.6) << (*it)[3] << ": legend lines are under the views";
    }
  }
}

// A colour that only a lobe finding has is drawn as its tint, never at full strength: the
// legend names the tint ("tint, lobe or hemisphere: increase"), not a red the figure lacks.
TEST_F(Render, ALegendNamesOnlyColoursTheFigureDraws) {
  const auto input = findings(node("a", -40, 10, 30, "decrease") + "," +
                              R"({"id": "lobe", "study": "s", "measure": "ReHo",
      "direction": "increase", "location": {"region": "左侧额叶"}, "source_anchor": "test"})");
  const std::string out = dir_.path("only-tint.svg");
  const auto r = render(input + " -o '" + out + "' --views dorsal --size 480x400");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto texts = svg_texts(slurp(out));
  EXPECT_EQ(std::count(texts.begin(), texts.end(), "decrease"), 1);
  EXPECT_EQ(std::count(texts.begin(), texts.end(), "tint, lobe or hemisphere: increase"), 1);
  EXPECT_EQ(std::count(texts.begin(), texts.end(), "increase"), 0) << "no red is drawn";
}

/// How far the lowest non-white pixel lies above the image's bottom edge, in pixels.
int bottom_margin(const Image& image) {
  for (int y = image.height - 1; y >= 0; --y) {
    for (int x = 0; x < image.width; ++x) {
      const auto* p = image.at(x, y);
      if (p[0] < 235 || p[1] < 235 || p[2] < 235) return image.height - 1 - y;
    }
  }
  return image.height;
}

// Defect: at small figure heights the colour bar (and its threshold marks) touched the
// figure's bottom edge. Every figure keeps a margin below its footer.
TEST_F(Render, TheColourBarKeepsAMarginAboveTheFiguresBottomEdge) {
  const std::string map = write_ball_map(dir_, "balls.nii.gz", true);
  for (const std::string size : {"320x240", "640x300", "1200x900"}) {
    const std::string out = png("bar-" + size + ".png");
    const auto r = render("--overlay '" + map + "' --threshold 1 -o '" + out +
                          "' --views dorsal --size " + size);
    ASSERT_EQ(r.exit_code, 0) << r.err;
    const Image image = read_png(out);
    const double unit = std::max(11.0, std::min(image.width, image.height) / 55.0);
    EXPECT_GE(bottom_margin(image), static_cast<int>(unit * 0.4)) << size;
  }
}

// Defect: --coarse outline drew every crease of a lobe's folds, a tangle of lines over the
// lobe. An outline is the lobe's silhouette, one closed line round it: an image row crosses
// it about twice (more where the outline bends back), where the creases crossed it about
// five times.
TEST_F(Render, ACoarseOutlineIsTheRegionsSilhouetteWithoutItsFolds) {
  const auto input = findings(R"({"id": "lobe", "study": "s", "measure": "ReHo",
      "direction": "increase", "location": {"region": "左侧额叶"}, "source_anchor": "test"})");
  const std::string out = png("outline.png");
  const auto r = render(input + " -o '" + out + "' --views left --size 480x400 --coarse outline");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const Image image = read_png(out);
  const auto red = [](const unsigned char* p) { return p[0] > 150 && p[1] < 110 && p[2] < 110; };
  int rows = 0, crossings = 0, x0 = image.width, x1 = -1;
  for (int y = 0; y < image.height * 85 / 100; ++y) {
    int runs = 0;
    bool before = false;
    for (int x = 0; x < image.width; ++x) {
      const bool here = red(image.at(x, y));
      runs += here && !before;
      before = here;
      if (here) x0 = std::min(x0, x), x1 = std::max(x1, x);
    }
    rows += runs > 0;
    crossings += runs;
  }
  ASSERT_GT(rows, 100) << "the outline is drawn, as tall as a lobe";
  EXPECT_GT(x1 - x0, 100) << "round a lobe, not a dot";
  EXPECT_LT(static_cast<double>(crossings) / rows, 2.5) << "no fold lines inside the lobe";
}

}  // namespace
}  // namespace foci
