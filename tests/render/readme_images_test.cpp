// The figures the README shows are what foci makes today: each is made again by
// pipeline/setup/readme-images.sh and compared with the committed copy in docs/images/.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <set>
#include <sstream>

#include "nifti_fixture.hpp"
#include "png_image.hpp"
#include "process.hpp"

namespace foci {
namespace {

namespace fs = std::filesystem;
using testing::Image;
using testing::read_png;
using testing::slurp;
using testing::TempDir;

const std::string kImages = FOCI_SOURCE_DIR "/docs/images";
const std::string kScript = FOCI_SOURCE_DIR "/pipeline/setup/readme-images.sh";

/// How far two renderings of one figure are apart: the mean difference per channel (0-255)
/// and the share of pixels where some channel differs by more than 64.
struct Difference {
  double mean = 0, share_far = 0;
};

Difference difference(const Image& a, const Image& b) {
  Difference d;
  std::size_t far = 0;
  double sum = 0;
  for (std::size_t p = 0; p < a.rgb.size(); p += 3) {
    int largest = 0;
    for (int c = 0; c < 3; ++c) {
      const int delta = std::abs(int(a.rgb[p + c]) - int(b.rgb[p + c]));
      sum += delta;
      largest = std::max(largest, delta);
    }
    far += largest > 64;
  }
  d.mean = sum / static_cast<double>(a.rgb.size());
  d.share_far = static_cast<double>(far) / static_cast<double>(a.rgb.size() / 3);
  return d;
}

/// The `foci ...` command lines of the script, as the README shows them.
std::vector<std::string> script_commands() {
  std::vector<std::string> commands;
  std::istringstream in(slurp(kScript));
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("foci ", 0) == 0) commands.push_back(line);
  }
  return commands;
}

TEST(ReadmeImages, AreCurrent) {
  TempDir dir;
  const auto run = testing::run_shell(
      "FOCI_CACHE_DIR='" FOCI_MESH_CACHE "' bash '" + kScript + "' '" FOCI_BINARY "' '" +
          dir.path("made") + "'",
      dir.root());
  ASSERT_EQ(run.exit_code, 0) << run.err;
  std::set<std::string> made;
  std::istringstream listed(run.out);
  for (std::string path; std::getline(listed, path);) {
    if (!path.empty()) made.insert(fs::path(path).filename().string());
  }
  ASSERT_GE(made.size(), 5u) << run.out;
  std::set<std::string> committed;
  for (const auto& entry : fs::directory_iterator(kImages)) {
    if (entry.path().extension() == ".png") committed.insert(entry.path().filename().string());
  }
  EXPECT_EQ(made, committed) << "docs/images/ holds exactly the images the script makes";
  for (const auto& name : made) {
    if (!committed.count(name)) continue;
    const Image now = read_png(dir.path("made/" + name));
    const Image then = read_png(kImages + "/" + name);
    ASSERT_EQ(now.width, then.width) << name;
    ASSERT_EQ(now.height, then.height) << name;
    const Difference d = difference(now, then);
    // Renderings on one set of packages are identical; the margin takes another Mesa or
    // font version, not a changed figure.
    EXPECT_LT(d.mean, 2.0) << name << ": made again, it differs from docs/images/" << name
                           << " (copy output/readme-images/" << name << " over it if meant)";
    EXPECT_LT(d.share_far, 0.01) << name;
  }
}

TEST(ReadmeImages, TheReadmeShowsEachImageWithTheCommandThatMakesIt) {
  const std::string readme = slurp(FOCI_SOURCE_DIR "/README.md");
  const auto commands = script_commands();
  ASSERT_GE(commands.size(), 5u);
  for (const auto& command : commands) {
    EXPECT_NE(readme.find(command), std::string::npos) << "README lacks: " << command;
  }
  for (const auto& entry : fs::directory_iterator(kImages)) {
    if (entry.path().extension() != ".png") continue;
    const std::string link = "docs/images/" + entry.path().filename().string();
    EXPECT_NE(readme.find(link), std::string::npos) << "README does not show " << link;
  }
}

}  // namespace
}  // namespace foci
