// foci batch: spec errors, shards, workers and resumption, checked on real runs.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

#include "nifti_fixture.hpp"
#include "process.hpp"

namespace foci {
namespace {

namespace fs = std::filesystem;
using testing::ProcessResult;
using testing::slurp;
using testing::TempDir;
using testing::write_text;

class CliBatch : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists("/usr/share/mricron/templates/ch2bet.nii.gz")) {
      GTEST_SKIP() << "mricron-data is not installed";
    }
    fs::copy_file(FOCI_SOURCE_DIR "/findings/examples/minimal.json", dir_.path("minimal.json"));
    spec_ = dir_.path("figures.json");
    write_spec(spec_, {"left", "dorsal", "right", "posterior"});
  }
  /// A spec of small one-view figures on minimal.json, named fig-<name> and drawn from the
  /// view <name> (text before any '-').
  void write_spec(const std::string& path, const std::vector<std::string>& names) {
    std::string figures;
    for (const auto& name : names) {
      figures += std::string(figures.empty() ? "" : ",") + R"({"name": "fig-)" + name +
                 R"(", "size": "160x120", "views": [")" + name.substr(0, name.find('-')) +
                 R"("], "panels": [{"title": "all"}]})";
    }
    write_text(path, R"({"foci_figures": 1, "findings": ["minimal.json"], "atlases": ["aal"],
                         "figures": [)" +
                         figures + "]}");
  }
  ProcessResult batch(const std::string& args) {
    return testing::run_shell(
        std::string("FOCI_CACHE_DIR='") + FOCI_MESH_CACHE + "' '" + FOCI_BINARY + "' batch " + args,
        dir_.root());
  }
  std::map<std::string, std::string> pngs(const std::string& folder) {
    std::map<std::string, std::string> out;
    for (const auto& e : fs::directory_iterator(folder)) {
      if (e.path().extension() == ".png")
        out[e.path().filename().string()] = slurp(e.path().string());
    }
    return out;
  }
  TempDir dir_;
  std::string spec_;
};

TEST_F(CliBatch, ShardsTogetherEqualASingleRunAndJobsDoNotChangeBytes) {
  const auto one = batch("'" + spec_ + "' --out '" + dir_.path("one") + "' --jobs 1 --quiet");
  ASSERT_EQ(one.exit_code, 0) << one.err;
  const auto single = pngs(dir_.path("one"));
  ASSERT_EQ(single.size(), 4u);
  for (const auto& [name, bytes] : single) {
    // The size the spec asks for, from the PNG's header (IHDR: width, height, big-endian).
    ASSERT_GE(bytes.size(), 24u) << name;
    EXPECT_EQ(bytes.substr(1, 3), "PNG") << name;
    const auto word = [&](std::size_t at) {
      std::uint32_t v = 0;
      for (std::size_t i = 0; i < 4; ++i) v = v << 8 | static_cast<unsigned char>(bytes[at + i]);
      return v;
    };
    EXPECT_EQ(word(16), 160u) << name;
    EXPECT_EQ(word(20), 120u) << name;
  }
  EXPECT_NE(single.at("fig-left.png"), single.at("fig-right.png")) << "each view is drawn";
  for (int shard = 0; shard < 3; ++shard) {
    const auto r = batch("'" + spec_ + "' --out '" + dir_.path("sharded") + "' --jobs 1 --shard " +
                         std::to_string(shard) + "/3 --quiet");
    ASSERT_EQ(r.exit_code, 0) << r.err;
  }
  EXPECT_EQ(pngs(dir_.path("sharded")), single) << "the union of the shards is the single run";
  const auto two = batch("'" + spec_ + "' --out '" + dir_.path("two") + "' --jobs 2 --quiet");
  ASSERT_EQ(two.exit_code, 0) << two.err;
  EXPECT_EQ(pngs(dir_.path("two")), single) << "--jobs 2 draws the same bytes as --jobs 1";
}

TEST_F(CliBatch, FormatsWriteEachFigureAsTiffPdfAndSvgToo) {
  write_text(spec_, R"({"foci_figures": 1, "findings": ["minimal.json"], "atlases": ["aal"],
    "figures": [{"name": "f", "size": "160x120", "dpi": 144, "views": ["dorsal"],
                 "title": "Minimal", "formats": ["svg", "pdf", "tiff"],
                 "panels": [{"title": "all"}]}]})");
  const auto r = batch("'" + spec_ + "' --out '" + dir_.path("out") + "' --jobs 1 --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string tiff = slurp(dir_.path("out/f.tiff")), pdf = slurp(dir_.path("out/f.pdf")),
                    svg = slurp(dir_.path("out/f.svg"));
  EXPECT_EQ(tiff.substr(0, 4), std::string("II*\0", 4)) << "a little-endian TIFF";
  EXPECT_EQ(pdf.substr(0, 8), "%PDF-1.4");
  EXPECT_NE(pdf.find("/MediaBox [0 0 80.00 60.00]"), std::string::npos) << "160x120 at 144 dpi";
  EXPECT_NE(svg.find("viewBox=\"0 0 160 120\""), std::string::npos);
  EXPECT_FALSE(fs::exists(dir_.path("out/f.png"))) << "only the formats asked for";
}

TEST_F(CliBatch, ResumeRendersOnlyWhatIsMissingOrChanged) {
  ASSERT_EQ(batch("'" + spec_ + "' --out '" + dir_.path("out") + "' --jobs 1").exit_code, 0);
  fs::remove(dir_.path("out/fig-dorsal.png"));
  auto r = batch("'" + spec_ + "' --out '" + dir_.path("out") + "' --resume --jobs 1");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, dir_.path("out/fig-dorsal.png") + "\n") << "only the missing figure";
  EXPECT_NE(r.err.find("1 figure(s) written, 3 up to date"), std::string::npos) << r.err;
  // A changed input makes every figure out of date.
  std::string findings = slurp(dir_.path("minimal.json"));
  findings.replace(findings.find("\"increase\""), 10, "\"decrease\"");
  write_text(dir_.path("minimal.json"), findings);
  r = batch("'" + spec_ + "' --out '" + dir_.path("out") + "' --resume --jobs 1");
  EXPECT_NE(r.err.find("4 figure(s) written, 0 up to date"), std::string::npos) << r.err;
  // Without --resume or --force, nothing is overwritten.
  r = batch("'" + spec_ + "' --out '" + dir_.path("out") + "' --jobs 1");
  EXPECT_EQ(r.exit_code, 5);
  EXPECT_NE(r.err.find("exists; use --force"), std::string::npos) << r.err;
  // The manifest records every figure: its PNG, its spec, its inputs and their hash.
  const auto manifest = nlohmann::json::parse(slurp(dir_.path("out/manifest.json")));
  const auto& figures = manifest.at("figures");
  ASSERT_EQ(figures.size(), 4u) << manifest.dump(2);
  std::set<std::string> hashes;
  for (const char* view : {"left", "dorsal", "right", "posterior"}) {
    const std::string name = std::string("fig-") + view;
    ASSERT_TRUE(figures.contains(name)) << name;
    const auto& f = figures[name];
    EXPECT_EQ(f.at("output"), dir_.path("out/" + name + ".png"));
    EXPECT_EQ(f.at("spec"), spec_);
    EXPECT_EQ(f.at("atlases"), nlohmann::json::array({"aal"}));
    ASSERT_EQ(f.at("inputs").size(), 1u);
    EXPECT_NE(f["inputs"][0].at("path").get<std::string>().find("minimal.json"), std::string::npos);
    hashes.insert(f.at("input_hash").get<std::string>());
  }
  EXPECT_EQ(hashes.size(), 4u) << "each figure's own settings are part of its hash";
  EXPECT_EQ(manifest.at("software").at("renderer").get<std::string>().rfind("VTK", 0), 0u);
}

TEST_F(CliBatch, ABadFigureEntryFailsAloneAndBadSpecsAreRefused) {
  std::string spec = slurp(spec_);
  spec.replace(spec.find("\"views\": [\"right\"]"), 18, "\"views\": [\"rigth\"]");
  write_text(dir_.path("bad.json"), spec);
  auto r =
      batch("'" + dir_.path("bad.json") + "' --out '" + dir_.path("out") + "' --jobs 1 --quiet");
  EXPECT_EQ(r.exit_code, 5) << r.err;
  EXPECT_NE(r.err.find("fig-right: "), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("/figures/2/views/0: expected one of"), std::string::npos) << r.err;
  const auto written = pngs(dir_.path("out"));
  EXPECT_EQ(written.size(), 3u) << "the other figures still render";
  for (const char* name : {"fig-left.png", "fig-dorsal.png", "fig-posterior.png"}) {
    EXPECT_EQ(written.count(name), 1u) << name;
  }
  EXPECT_EQ(written.count("fig-right.png"), 0u) << "the bad entry draws nothing";
  write_text(dir_.path("typo.json"),
             R"({"foci_figures": 1, "findings": ["minimal.json"], "figurs": []})");
  r = batch("'" + dir_.path("typo.json") + "' --out '" + dir_.path("out2") + "'");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("typo.json: /figurs: unknown key"), std::string::npos) << r.err;
}

TEST_F(CliBatch, AKilledRunLeavesNoBrokenPngAndResumeFinishesIt) {
  // Enough figures that the kill, sent when the first one exists, lands mid-run.
  std::vector<std::string> names;
  const char* views[] = {"left", "right", "dorsal", "ventral", "anterior", "posterior"};
  for (int n = 0; n < 18; ++n) names.push_back(views[n % 6] + std::string("-") + std::to_string(n));
  const std::string spec = dir_.path("many.json");
  write_spec(spec, names);
  // Start a batch in its own process group, kill it when the first figure exists.
  const std::string out = dir_.path("out");
  const std::string command = std::string("cd '") + dir_.root() + "' && FOCI_CACHE_DIR='" +
                              FOCI_MESH_CACHE + "' setsid '" + FOCI_BINARY + "' batch '" + spec +
                              "' --out '" + out + "' --jobs 2 --quiet >/dev/null 2>&1 & echo $!";
  FILE* pipe = popen(command.c_str(), "r");
  ASSERT_NE(pipe, nullptr);
  int pid = 0;
  ASSERT_EQ(fscanf(pipe, "%d", &pid), 1);
  pclose(pipe);
  ASSERT_GT(pid, 1);
  for (int wait = 0; wait < 6000 && (!fs::exists(out) || pngs(out).empty()); ++wait) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  const bool running = kill(-pid, 0) == 0;
  // The run's private X server leaves with it (it is told when foci dies), but takes a moment.
  const int xvfb = testing::child_named(pid, "Xvfb");
  kill(-pid, SIGKILL);
  // Until every process of the killed run is gone (on a loaded machine that can take more
  // than a moment), its workers may still hold the folder's lock the resumed run needs, and
  // its dying X server may take down the display the resumed run starts under the same number.
  for (int wait = 0; wait < 1000 && (kill(-pid, 0) == 0 || (xvfb > 0 && kill(xvfb, 0) == 0));
       ++wait) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  EXPECT_TRUE(running) << "the batch had finished before the kill";
  const auto before = pngs(out);
  ASSERT_FALSE(before.empty()) << "no figure appeared within 60 s";
  // A kill after the last figure would leave nothing to resume: the test would pass without
  // testing resumption.
  ASSERT_LT(before.size(), names.size()) << "the kill landed after every figure was written";
  // The manifest is written as figures finish: it records some of the figures on disk and
  // never one that is not there.
  if (fs::exists(out + "/manifest.json")) {
    const auto partial = nlohmann::json::parse(slurp(out + "/manifest.json"));
    EXPECT_LT(partial.at("figures").size(), names.size()) << "the killed run did not finish";
    for (const auto& [name, record] : partial.at("figures").items()) {
      EXPECT_EQ(before.count(name + ".png"), 1u) << name << " is recorded but missing";
    }
  }
  // Whatever was written is a whole PNG: it ends with the IEND chunk.
  for (const auto& [name, bytes] : before) {
    ASSERT_GE(bytes.size(), 12u) << name;
    EXPECT_EQ(bytes.substr(bytes.size() - 8, 4), "IEND") << name;
  }

  const auto r = batch("'" + spec + "' --out '" + out + "' --resume --jobs 2 --quiet");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto after = pngs(out);
  EXPECT_EQ(after.size(), names.size());
  for (const auto& name : names) {
    const std::string png = "fig-" + name + ".png";
    ASSERT_EQ(after.count(png), 1u) << png;
    const std::string& bytes = after.at(png);
    ASSERT_GE(bytes.size(), 12u) << png;
    EXPECT_EQ(bytes.substr(bytes.size() - 8, 4), "IEND") << png;
    // The figures the kill stopped are the ones resume wrote.
    if (!before.count(png)) {
      EXPECT_NE(r.out.find(out + "/" + png + "\n"), std::string::npos) << png << "\n" << r.out;
    }
  }
  const auto manifest = nlohmann::json::parse(slurp(out + "/manifest.json"));
  EXPECT_EQ(manifest.at("figures").size(), names.size()) << "the resumed run records them all";
}

}  // namespace
}  // namespace foci

namespace foci {
namespace {

// Defect: a panel whose filter matches nothing counted as a failed figure (exit 5), while
// `foci render` on the same input draws the brain, warns and exits 0.
TEST(CliBatchWarnings, APanelMatchingNothingIsAWarningNotAFailure) {
  if (!fs::exists("/usr/share/mricron/templates/ch2bet.nii.gz")) {
    GTEST_SKIP() << "mricron-data is not installed";
  }
  TempDir dir;
  fs::copy_file(FOCI_SOURCE_DIR "/findings/examples/minimal.json", dir.path("minimal.json"));
  write_text(dir.path("figures.json"),
             R"({"foci_figures": 1, "findings": ["minimal.json"], "atlases": ["aal"],
                 "figures": [{"name": "empty", "size": "160x120", "views": ["dorsal"],
                              "panels": [{"title": "none", "filter": {"measure": "no-such"}}]},
                             {"name": "all", "size": "160x120", "views": ["dorsal"],
                              "panels": [{"title": "all"}]}]})");
  for (const char* jobs : {"1", "2"}) {
    const std::string out = dir.path(std::string("out-") + jobs);
    const auto r = testing::run_shell(std::string("FOCI_CACHE_DIR='") + FOCI_MESH_CACHE + "' '" +
                                          FOCI_BINARY + "' batch '" + dir.path("figures.json") + "' --out '" + out +
                                          "' --jobs " + jobs,
                                      dir.root());
    EXPECT_EQ(r.exit_code, 0) << "--jobs " << jobs << ": " << r.err;
    // Workers finish in any order; both figures are listed as written.
    EXPECT_TRUE(r.out == out + "/all.png\n" + out + "/empty.png\n" ||
                r.out == out + "/empty.png\n" + out + "/all.png\n")
        << "--jobs " << jobs << ": " << r.out;
    EXPECT_NE(r.err.find("foci: [WARNING] empty: panel 'none': the filter matches none of the"),
              std::string::npos)
        << r.err;
    EXPECT_NE(r.err.find("2 figure(s) written, 0 up to date, 0 failed"), std::string::npos)
        << r.err;
    EXPECT_TRUE(fs::exists(out + "/empty.png"));
  }
}

}  // namespace
}  // namespace foci
