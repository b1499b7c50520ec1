// foci inspect driven like a user: a real window on Xvfb, real pointer and key events
// (xdotool), and the JSON lines it prints.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vtkImageData.h>
#include <vtkNew.h>
#include <vtkPNGReader.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <thread>

#include "app/display.hpp"
#include "nifti_fixture.hpp"
#include "process.hpp"
#include "x_window_capture.hpp"

namespace foci {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using testing::slurp;
using testing::TempDir;
using testing::write_text;

struct Blob {
  std::size_t pixels = 0;
  double x = 0, y = 0;  ///< centroid, from the top-left
};

enum class Kind { red, blue, text };

struct Count {
  std::size_t pixels = 0;
  double x = 0, y = 0;  ///< centroid, from the top-left
  int width = 0, height = 0;
};

/// The pixels of a screenshot (within a box) for which `test(rgb)` holds, and their centroid.
template <typename Test>
Count count_pixels(const std::string& path, Test test, int x0 = 0, int y0 = 0, int x1 = 1 << 20,
                   int y1 = 1 << 20) {
  vtkNew<vtkPNGReader> reader;
  reader->SetFileName(path.c_str());
  reader->Update();
  int dims[3];
  reader->GetOutput()->GetDimensions(dims);
  Count c;
  c.width = dims[0], c.height = dims[1];
  for (int y = std::max(0, y0); y < std::min(dims[1], y1); ++y) {
    for (int x = std::max(0, x0); x < std::min(dims[0], x1); ++x) {
      const auto* p =
          static_cast<unsigned char*>(reader->GetOutput()->GetScalarPointer(x, dims[1] - 1 - y, 0));
      if (!test(p)) continue;
      ++c.pixels;
      c.x += x;
      c.y += y;
    }
  }
  if (c.pixels) c.x /= c.pixels, c.y /= c.pixels;
  return c;
}

/// Pixels of one kind in a screenshot: the increase or decrease colour, or dark text.
Blob find_kind(const std::string& path, Kind kind, int x0 = 0, int y0 = 0, int x1 = 1 << 20,
               int y1 = 1 << 20) {
  const Count c = count_pixels(
      path,
      [kind](const unsigned char* p) {
        return kind == Kind::red    ? (p[0] > 150 && p[1] < 90 && p[2] < 90)
               : kind == Kind::blue ? (p[2] > 150 && p[0] < 90 && p[1] < 140)
                                    : (p[0] < 80 && p[1] < 80 && p[2] < 80);
      },
      x0, y0, x1, y1);
  return {c.pixels, c.x, c.y};
}

Blob find_in_png(const std::string& path, bool red, int x0 = 0, int y0 = 0, int x1 = 1 << 20,
                 int y1 = 1 << 20) {
  return find_kind(path, red ? Kind::red : Kind::text, x0, y0, x1, y1);
}

bool have_tools() {
  return fs::exists("/usr/share/mricron/templates/ch2bet.nii.gz") &&
         std::system("command -v Xvfb >/dev/null && command -v xdotool >/dev/null") == 0;
}

class Inspect : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!have_tools()) GTEST_SKIP() << "needs mricron-data, Xvfb and xdotool";
    // A private X server for the window, started as foci starts its own.
    xserver_ = std::make_unique<PrivateXServer>(1280, 1024);
    display_ = xserver_->display();
    write_text(dir_.path("hip.json"),
               R"({"foci_findings": 1, "title": "t", "source": {"citation": "c"},
      "studies": [{"id": "s", "citation": "Smith 2020", "reference": "[12]"}],
      "findings": [
        {"id": "h", "study": "s", "measure": "grey-matter volume", "direction": "increase",
         "location": {"region": "左侧海马"}, "source_anchor": "Table 1, ref [12]",
         "associations": [{"with": "delayed recall", "category": "cognition", "sign": "negative"}]},
        {"id": "n", "study": "s", "measure": "ReHo", "direction": "decrease",
         "location": {"coordinate": {"x": 40, "y": 20, "z": 30, "space": "MNI"}},
         "source_anchor": "Table 2"}]})");
  }
  void TearDown() override {
    if (foci_ > 0) {
      kill(foci_, SIGKILL);
      waitpid(foci_, nullptr, 0);
    }
    xserver_.reset();
  }
  /// Starts foci inspect; `ready_line` is the line that says the window takes input (after
  /// the --focus line when there is one).
  void start(const std::string& args, std::size_t ready_line = 0) {
    foci_ = fork();
    if (foci_ == 0) {
      if (chdir(dir_.root().c_str()) != 0) _exit(126);
      setenv("DISPLAY", display_.c_str(), 1);
      setenv("FOCI_CACHE_DIR", FOCI_MESH_CACHE, 1);
      const std::string command = std::string("exec '") + FOCI_BINARY + "' inspect " + args +
                                  " >'" + dir_.path("events") + "' 2>'" + dir_.path("log") + "'";
      execl("/bin/sh", "sh", "-c", command.c_str(), static_cast<char*>(nullptr));
      _exit(127);
    }
    xdo("search --sync --name 'foci inspect'");
    window_ = xdo_output("search --name 'foci inspect'");
    window_ = window_.substr(0, window_.find('\n'));
    ASSERT_EQ(event(ready_line)["event"], "ready") << "this line says the window takes input";
  }
  int xdo(const std::string& args) {
    return std::system(
        ("DISPLAY=" + display_ + " timeout 20 xdotool " + args + " >/dev/null").c_str());
  }
  std::string xdo_output(const std::string& args) {
    const auto r = testing::run_shell("DISPLAY=" + display_ + " xdotool " + args, dir_.root());
    return r.out;
  }
  /// The n-th JSON line foci printed (0-based), waiting for it up to `seconds`.
  json event(std::size_t n, int seconds = 10) {
    for (int wait = 0; wait < seconds * 20; ++wait) {
      std::istringstream lines(slurp(dir_.path("events")));
      std::string line;
      for (std::size_t i = 0; std::getline(lines, line); ++i) {
        if (i == n) return json::parse(line);
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "no event " << n << "; log: " << slurp(dir_.path("log"));
    return json();
  }
  void key(const std::string& k) { xdo("key --window " + window_ + " " + k); }
  void click_at(double x, double y) {
    xdo("mousemove --window " + window_ + " " + std::to_string(static_cast<int>(x)) + " " +
        std::to_string(static_cast<int>(y)));
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    xdo("click 1");
  }
  int wait_exit() {
    for (int wait = 0; wait < 100; ++wait) {
      int status = 0;
      if (waitpid(foci_, &status, WNOHANG) == foci_) {
        foci_ = -1;
        return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return -2;
  }
  TempDir dir_;
  std::unique_ptr<PrivateXServer> xserver_;
  pid_t foci_ = -1;
  std::string display_, window_;
};

TEST_F(Inspect, AClickOnTheLeftHippocampusListsItsFindingsAndTheScreenshotShowsThem) {
  start("'" + dir_.path("hip.json") + "'");
  key("s");
  const auto first = event(1);
  ASSERT_EQ(first["event"], "screenshot");
  const std::string before = first["path"];
  const Blob region = find_in_png(before, true);
  ASSERT_GT(region.pixels, 100u) << "the region is drawn";
  EXPECT_LT(region.x, 600) << "left hippocampus in the left half of the dorsal view";
  EXPECT_LT(find_in_png(before, false, 0, 0, 500, 60).pixels, 20u) << "no info panel yet";

  click_at(region.x, region.y);
  const auto click = event(2);
  ASSERT_EQ(click["event"], "click");
  ASSERT_TRUE(click["picked"].is_object()) << click.dump();
  EXPECT_EQ(click["picked"]["kind"], "region");
  ASSERT_FALSE(click["picked"].value("labels", json::array()).empty()) << click.dump();
  ASSERT_FALSE(click["picked"].value("findings", json::array()).empty()) << click.dump();
  ASSERT_FALSE(click["picked"]["findings"][0].value("associations", json::array()).empty())
      << click.dump();
  EXPECT_EQ(click["picked"]["labels"][0]["name"], "Hippocampus_L");
  EXPECT_EQ(click["picked"]["findings"][0]["id"], "h");
  EXPECT_EQ(click["picked"]["findings"][0]["study_citation"], "Smith 2020");
  EXPECT_EQ(click["picked"]["findings"][0]["associations"][0]["with"], "delayed recall");

  key("s");
  const std::string after = event(3)["path"];
  EXPECT_GT(find_in_png(after, false, 0, 0, 500, 60).pixels, 50u) << "the info panel lists it";

  click_at(80, 700);  // empty space clears the selection, and says so
  const auto empty = event(4);
  EXPECT_EQ(empty["event"], "click");
  EXPECT_TRUE(empty["picked"].is_null());

  // A small node is picked too, through the translucent brain.
  const Blob node = find_kind(before, Kind::blue, 0, 0, 1200, 840);
  ASSERT_GT(node.pixels, 20u);
  click_at(node.x, node.y);
  const auto on_node = event(5);
  ASSERT_TRUE(on_node["picked"].is_object()) << on_node.dump();
  EXPECT_EQ(on_node["picked"]["kind"], "node");
  ASSERT_FALSE(on_node["picked"].value("findings", json::array()).empty()) << on_node.dump();
  EXPECT_EQ(on_node["picked"]["findings"][0]["id"], "n");
  key("q");
  EXPECT_EQ(wait_exit(), 0);
}

TEST_F(Inspect, HoverHighlightsAViewKeyTurnsTheBrainAndQQuits) {
  start("'" + dir_.path("hip.json") + "'");
  key("s");
  const Blob region = find_in_png(event(1)["path"], true);
  ASSERT_GT(region.pixels, 100u);
  xdo("mousemove --window " + window_ + " " + std::to_string(static_cast<int>(region.x)) + " " +
      std::to_string(static_cast<int>(region.y)));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  key("s");
  const std::string hovered = event(2)["path"];
  EXPECT_LT(find_in_png(hovered, true).pixels, region.pixels / 2) << "highlighted, no longer red";
  EXPECT_GT(find_in_png(hovered, false, 0, 860, 600, 900).pixels, 30u)
      << "named on the status line";
  xdo("mousemove --window " + window_ + " 5 5");
  key("5");  // anterior: the left hemisphere appears on the right
  key("s");
  const Blob front = find_in_png(event(3)["path"], true);
  ASSERT_GT(front.pixels, 50u);
  EXPECT_GT(front.x, 600);
  key("q");
  EXPECT_EQ(wait_exit(), 0);
}

/// Pixels of the increase colour, red.
bool red(const unsigned char* p) { return p[0] > 150 && p[1] < 90 && p[2] < 90; }
/// Pixels of the decrease colour, blue, or of its light see-through tint (a hemisphere).
bool blue(const unsigned char* p) { return p[2] > p[0] + 30 && p[2] > p[1] + 10; }
/// The info panel's paper tint: near white, warmer than the background's pure white.
bool paper(const unsigned char* p) {
  return p[0] >= 236 && p[0] < 255 && p[0] - p[2] >= 6 && p[0] - p[2] <= 20;
}
/// Warm and cool overlay colours, as the render tests see them.
bool warm(const unsigned char* p) { return p[0] > 120 && p[0] > p[2] + 70 && p[0] >= p[1]; }
bool cool(const unsigned char* p) { return p[2] > 120 && p[2] > p[0] + 70; }


class InspectFocus : public Inspect {
 protected:
  void SetUp() override {
    Inspect::SetUp();
    if (IsSkipped()) return;
    // The whole left hemisphere falls, the left hippocampus (in it) rises: the hemisphere is
    // a coarse finding, a see-through tint of the decrease colour, and the hippocampus
    // inside it is drawn in the increase colour.
    write_text(dir_.path("hemi.json"),
               R"({"foci_findings": 1, "title": "t", "source": {"citation": "c"},
      "studies": [{"id": "s", "citation": "Smith 2020"}],
      "findings": [
        {"id": "hemi", "study": "s", "measure": "T1 relaxation time", "direction": "decrease",
         "location": {"region": "左侧大脑半球"}, "source_anchor": "Section 1"},
        {"id": "h", "study": "s", "measure": "grey-matter volume", "direction": "increase",
         "location": {"region": "左侧海马"}, "source_anchor": "Table 1"}]})");
  }
  std::string screenshot(std::size_t line) {
    key("s");
    const json shot = event(line);
    EXPECT_EQ(shot["event"], "screenshot") << shot.dump();
    return shot.value("path", "");
  }
};

TEST_F(InspectFocus, TheFocusedHippocampusStandsOutOfAWholeHemisphereWithAPanelInChinese) {
  // Without a focus: a dorsal view of a blue hemisphere, no panel.
  start("'" + dir_.path("hemi.json") + "'");
  const std::string plain = screenshot(1);
  const Count plain_blue = count_pixels(plain, blue);
  ASSERT_GT(plain_blue.pixels, 20000u) << "the hemisphere is drawn, a blue tint";
  EXPECT_LT(count_pixels(plain, paper, 8, 8, 480, 60).pixels, 100u) << "no panel yet";
  key("q");
  ASSERT_EQ(wait_exit(), 0);

  start("'" + dir_.path("hemi.json") + "' --focus 左侧海马", 1);
  const json focus = event(0);
  ASSERT_EQ(focus["event"], "focus") << focus.dump();
  // The hippocampus lies deep: it is seen from the side of its hemisphere or from below.
  const std::string view = focus.value("view", "");
  EXPECT_TRUE(view == "left" || view == "ventral") << view;
  EXPECT_EQ(focus["picked"]["labels"][0]["name"], "Hippocampus_L") << focus.dump();
  const std::string focused = screenshot(2);
  const Count hippocampus = count_pixels(focused, red);
  ASSERT_GT(hippocampus.pixels, 2000u) << "the hippocampus in its own colour";
  // Centred: the camera turned to it.
  EXPECT_NEAR(hippocampus.x, hippocampus.width / 2.0, hippocampus.width * 0.15);
  EXPECT_NEAR(hippocampus.y, hippocampus.height / 2.0, hippocampus.height * 0.15);
  EXPECT_LT(count_pixels(focused, blue).pixels, plain_blue.pixels / 20)
      << "the hemisphere dimmed, its blue much fainter";
  // The info panel: a tinted box behind the text in the top-left corner, with text in it
  // (the names, Chinese among them, in a font that has their glyphs).
  const Count box = count_pixels(focused, paper, 8, 8, 480, 60);
  EXPECT_GT(box.pixels, 472u * 52 / 2) << "the panel's box";
  const Count text = count_pixels(
      focused, [](const unsigned char* p) { return p[0] < 80 && p[1] < 80 && p[2] < 80; }, 8, 8,
      480, 60);
  EXPECT_GT(text.pixels, 300u) << "its text";
  key("q");
  EXPECT_EQ(wait_exit(), 0);
}

TEST_F(InspectFocus, TheWindowsSearchFocusesARegionByName) {
  start("'" + dir_.path("hemi.json") + "'");
  key("slash");
  for (const char c : std::string("hippocampus")) key(std::string(1, c));
  key("Return");
  // Each key redraws the window (the search line); a loaded machine takes its time.
  const json focus = event(1, 90);
  ASSERT_EQ(focus["event"], "focus") << focus.dump();
  EXPECT_EQ(focus["region"], "hippocampus");
  EXPECT_EQ(focus["picked"]["labels"][0]["name"], "Hippocampus_L") << focus.dump();
  EXPECT_GT(count_pixels(screenshot(2), red).pixels, 2000u);
  key("slash");
  for (const char c : std::string("hipo")) key(std::string(1, c));
  key("Return");
  EXPECT_TRUE(event(3, 90)["found"].is_null()) << "a name that is no region says so";
  key("q");
  EXPECT_EQ(wait_exit(), 0);
}

/// +5 around (-35, -65, 50) (left parietal), -3 around its mirror, in MNI 2 mm RAS.
std::string write_ball_map(const TempDir& dir) {
  testing::SyntheticHeader header;
  const Affine affine = Affine::from_rows({{{2, 0, 0, -90}, {0, 2, 0, -126}, {0, 0, 2, -72}}});
  header.size = {91, 109, 91};
  header.sform = affine;
  header.datatype = 16;
  const Vec3 left{-35, -65, 50}, right{35, -65, 50};
  testing::write_synthetic_nifti(dir.path("balls.nii.gz"), header, [&](int i, int j, int k) {
    const Vec3 p = affine.apply({double(i), double(j), double(k)});
    if (norm(p - left) <= 12) return 5.0;
    if (norm(p - right) <= 12) return -3.0;
    return 0.0;
  });
  return dir.path("balls.nii.gz");
}

TEST_F(Inspect, AnOverlayShowsWarmOnTheLeftAndCoolOnTheRightFromAbove) {
  start("--overlay '" + write_ball_map(dir_) + "' --threshold 1");
  key("s");
  const std::string path = event(1)["path"];
  const Count hot = count_pixels(path, warm), cold = count_pixels(path, cool);
  ASSERT_GT(hot.pixels, 200u);
  ASSERT_GT(cold.pixels, 200u);
  EXPECT_LT(hot.x, hot.width / 2.0) << "the positive ball is on the left of a dorsal view";
  EXPECT_GT(cold.x, cold.width / 2.0);
  key("q");
  EXPECT_EQ(wait_exit(), 0);
}

TEST_F(Inspect, ALateralViewShowsOnlyTheNearHemispheresFindings) {
  // hip.json: the left hippocampus (red) and a node at x = 40, in the right hemisphere (blue).
  start("'" + dir_.path("hip.json") + "'");
  key("1");  // left
  key("s");
  const std::string left = event(1)["path"];
  EXPECT_GT(find_kind(left, Kind::red, 0, 0, 1200, 840).pixels, 100u) << "the left hippocampus";
  EXPECT_EQ(find_kind(left, Kind::blue, 0, 0, 1200, 840).pixels, 0u)
      << "the right hemisphere's node would show through the glass";
  key("2");  // right
  key("s");
  const std::string right = event(2)["path"];
  EXPECT_GT(find_kind(right, Kind::blue, 0, 0, 1200, 840).pixels, 20u) << "the node, near now";
  EXPECT_EQ(find_kind(right, Kind::red, 0, 0, 1200, 840).pixels, 0u);
  key("q");
  EXPECT_EQ(wait_exit(), 0);
}

/// Horizontal neighbours in a screenshot (within rows y0..y1) that differ by more than
/// `jump` in some channel: the crisp edges of a picture drawn at the window's resolution,
/// which a smaller picture scaled up turns into ramps.
std::size_t sharp_steps(const std::string& path, int jump, int y0, int y1) {
  vtkNew<vtkPNGReader> reader;
  reader->SetFileName(path.c_str());
  reader->Update();
  int dims[3];
  reader->GetOutput()->GetDimensions(dims);
  std::size_t steps = 0;
  for (int y = std::max(0, y0); y < std::min(dims[1], y1); ++y) {
    for (int x = 0; x + 1 < dims[0]; ++x) {
      const auto* p =
          static_cast<unsigned char*>(reader->GetOutput()->GetScalarPointer(x, dims[1] - 1 - y, 0));
      const auto* q = static_cast<unsigned char*>(
          reader->GetOutput()->GetScalarPointer(x + 1, dims[1] - 1 - y, 0));
      for (int c = 0; c < 3; ++c) {
        if (std::abs(p[c] - q[c]) > jump) {
          ++steps;
          break;
        }
      }
    }
  }
  return steps;
}

TEST_F(Inspect, WhileTheCameraTurnsTheSceneIsDrawnSmallerInPlaceAndTheTextStaysSharp) {
  start("'" + dir_.path("hip.json") + "'");
  // A press on the background starts a rotation. What the X server shows in the window
  // while the button is held is the picture drawn while turning (it reaches the screen by
  // its own, shorter way: render/turning_window); after the release, the still picture;
  // both from the same camera (the pointer has not moved). A screenshot key pressed while
  // turning saves the still picture.
  xdo("mousemove --window " + window_ + " 60 450");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  xdo("mousedown 1");
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  key("s");
  const json turning_shot = event(1);
  ASSERT_EQ(turning_shot["event"], "screenshot") << turning_shot.dump();
  const std::string turning = dir_.path("turning-screen.png");
  ASSERT_TRUE(testing::capture_x_window(display_, window_, turning));
  xdo("mouseup 1");
  ASSERT_EQ(event(2)["event"], "click");  // pressed and let go in one place
  key("s");
  const json still_shot = event(3);
  ASSERT_EQ(still_shot["event"], "screenshot") << still_shot.dump();
  const std::string still = dir_.path("still-screen.png");
  ASSERT_TRUE(testing::capture_x_window(display_, window_, still));

  // The same window, the region in the same place and about the same size.
  const Blob region_turning = find_in_png(turning, true), region_still = find_in_png(still, true);
  ASSERT_GT(region_still.pixels, 100u);
  ASSERT_GT(region_turning.pixels, 50u) << "the hippocampus is drawn while turning";
  EXPECT_NEAR(region_turning.x, region_still.x, 12);
  EXPECT_NEAR(region_turning.y, region_still.y, 12);
  EXPECT_NEAR(static_cast<double>(region_turning.pixels), static_cast<double>(region_still.pixels),
              0.4 * region_still.pixels);
  EXPECT_EQ(count_pixels(turning, red).width, count_pixels(still, red).width);
  // Drawn with fewer pixels: the scene's crisp edges become ramps...
  const std::size_t edges_turning = sharp_steps(turning, 60, 0, 850),
                    edges_still = sharp_steps(still, 60, 0, 850);
  ASSERT_GT(edges_still, 200u);
  EXPECT_LT(edges_turning, edges_still / 2) << edges_turning << " vs " << edges_still;
  // ... but the status line is text drawn at the window's resolution in both.
  const std::size_t text_turning = find_in_png(turning, false, 0, 860, 600, 900).pixels,
                    text_still = find_in_png(still, false, 0, 860, 600, 900).pixels;
  ASSERT_GT(text_still, 30u);
  EXPECT_GT(text_turning, text_still * 8 / 10);
  EXPECT_GT(sharp_steps(turning, 60, 860, 900), sharp_steps(still, 60, 860, 900) * 8 / 10);

  // The screenshots: both the sharp still picture, and what the screen shows when still.
  const std::string turning_file = turning_shot["path"], still_file = still_shot["path"];
  EXPECT_GT(sharp_steps(turning_file, 60, 0, 850), edges_still * 9 / 10);
  EXPECT_EQ(find_in_png(still_file, true).pixels, region_still.pixels);
  EXPECT_EQ(sharp_steps(still_file, 60, 0, 850), edges_still);
  key("q");
  EXPECT_EQ(wait_exit(), 0);
}

TEST(InspectRefusals, UnknownFocusAndNoDisplay) {
  TempDir dir;
  write_text(dir.path("f.json"), R"({"foci_findings": 1, "title": "t", "source": {"citation": "c"},
      "studies": [{"id": "s", "citation": "s"}], "findings": []})");
  auto r = testing::run_shell(std::string("env -u DISPLAY '") + FOCI_BINARY + "' inspect '" +
                                  dir.path("f.json") + "' --focus hipocampus",
                              dir.root());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("cannot resolve --focus 'hipocampus'; closest names: 'hippocampus'"),
            std::string::npos)
      << r.err;
  r = testing::run_shell(
      std::string("env -u DISPLAY '") + FOCI_BINARY + "' inspect '" + dir.path("f.json") + "'",
      dir.root());
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("needs a display"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("xvfb-run"), std::string::npos) << r.err;
}

}  // namespace
}  // namespace foci
