// What foci leaves on disk when things go wrong, checked on the real program: links planted
// at temporary names, a full disk, a damaged mesh cache, two runs into one folder, and runs
// killed part-way.
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "nifti_fixture.hpp"
#include "process.hpp"

namespace foci {
namespace {

namespace fs = std::filesystem;
using testing::ProcessResult;
using testing::shell_quote;
using testing::slurp;
using testing::TempDir;
using testing::write_text;
using Clock = std::chrono::steady_clock;

const std::string kMinimal = FOCI_SOURCE_DIR "/findings/examples/minimal.json";
const std::string kFunctional = FOCI_SOURCE_DIR "/findings/mect/functional.json";

/// Every file and folder under `root` (relative path -> bytes; folders end in '/'), the lock
/// file left out: what a reader of the results sees.
std::map<std::string, std::string> tree(const std::string& root) {
  std::map<std::string, std::string> out;
  std::error_code ec;
  for (auto it = fs::recursive_directory_iterator(root, ec); it != fs::end(it); it.increment(ec)) {
    const std::string name = fs::relative(it->path(), root).string();
    if (it->path().filename() == ".foci.lock") continue;
    if (it->is_directory()) {
      out[name + "/"] = "";
    } else {
      out[name] = slurp(it->path().string());
    }
  }
  return out;
}

std::map<std::string, std::string> pngs(const std::string& folder) {
  std::map<std::string, std::string> out;
  for (const auto& e : fs::directory_iterator(folder)) {
    if (e.path().extension() == ".png")
      out[e.path().filename().string()] = slurp(e.path().string());
  }
  return out;
}

std::set<std::string> names_in(const std::string& folder) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(folder)) names.insert(e.path().filename().string());
  return names;
}

bool starts_with(const std::string& text, const std::string& prefix) {
  return text.rfind(prefix, 0) == 0;
}

bool contains(const std::string& text, const std::string& part) {
  return text.find(part) != std::string::npos;
}

/// Two files hold the same bytes; a failure says how they differ without printing them.
::testing::AssertionResult same_bytes(const std::string& a, const std::string& b) {
  const std::string x = slurp(a), y = slurp(b);
  if (x == y) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << a << " (" << x.size() << " bytes) differs from " << b << " (" << y.size() << " bytes)";
}

/// Two sets of files (name -> bytes) are the same; a failure names what differs.
::testing::AssertionResult same_files(const std::map<std::string, std::string>& got,
                                      const std::map<std::string, std::string>& want) {
  std::string differ;
  for (const auto& [name, bytes] : got) {
    const auto it = want.find(name);
    if (it == want.end()) {
      differ += " extra:" + name;
    } else if (it->second != bytes) {
      differ += " changed:" + name;
    }
  }
  for (const auto& [name, bytes] : want) {
    if (!got.count(name)) differ += " missing:" + name;
  }
  if (differ.empty()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure() << "files differ:" << differ;
}

class OutputFiles : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::exists("/usr/share/mricron/templates/ch2bet.nii.gz")) {
      GTEST_SKIP() << "mricron-data is not installed";
    }
  }
  /// A foci command line for /bin/sh: no $DISPLAY (foci starts its own Xvfb), the mesh
  /// cache in `cache`.
  static std::string foci(const std::string& args, const std::string& cache = FOCI_MESH_CACHE) {
    return "env -u DISPLAY FOCI_CACHE_DIR=" + shell_quote(cache) + " " + shell_quote(FOCI_BINARY) +
           " " + args;
  }
  ProcessResult run(const std::string& args, const std::string& cache = FOCI_MESH_CACHE) {
    return testing::run_shell(foci(args, cache), dir_.root());
  }
  std::string q(const std::string& name) const { return shell_quote(dir_.path(name)); }
  /// A figure spec of one-view figures fig-<view> on `findings` (copied beside it).
  std::string spec(const std::string& name, const std::string& findings,
                   const std::vector<std::string>& views, const std::string& size = "160x120") {
    std::string figures;
    for (const auto& view : views) {
      figures += std::string(figures.empty() ? "" : ",") + R"({"name": "fig-)" + view +
                 R"(", "size": ")" + size + R"(", "views": [")" + view +
                 R"("], "panels": [{"title": "all"}]})";
    }
    const std::string path = dir_.path(name);
    write_text(path, R"({"foci_figures": 1, "findings": [")" + findings +
                         R"("], "atlases": ["aal"], "figures": [)" + figures + "]}");
    return path;
  }
  /// Runs `script` with /bin/sh in a private mount namespace in which `mount_point` is a tmpfs
  /// of `size` (a disk that fills up); the mount goes with the namespace. False when this
  /// machine does not allow it (not root, or no unshare).
  bool on_small_disk(const std::string& mount_point, const std::string& size,
                     const std::string& script) {
    fs::create_directories(mount_point);
    const std::string line =
        "mount -t tmpfs -o size=" + size + " tmpfs " + shell_quote(mount_point) + " && " + script;
    return testing::run_shell("unshare -m sh -c " + shell_quote(line), dir_.root()).exit_code == 0;
  }
  bool small_disks_allowed() {
    return testing::run_shell(
               "unshare -m sh -c " +
                   shell_quote("mount -t tmpfs -o size=64k tmpfs " + shell_quote(dir_.root())),
               dir_.root())
               .exit_code == 0;
  }
  TempDir dir_;
};

// ---------------------------------------------------------------------------------------
// Defect 1: temporaries were ".NAME.foci-tmp-PID" (and ".foci-tmp-PID.nii.gz", and
// ".KEY.tmp-PID.vtp" in the mesh cache), opened following links: whoever could write the
// output folder planted links at the next PIDs, and another user's run wrote through them.

class PlantedLinks : public OutputFiles {
 protected:
  void SetUp() override {
    OutputFiles::SetUp();
    victim_ = dir_.path("victim.txt");
    write_text(victim_, "precious");
    std::istringstream(slurp("/proc/sys/kernel/ns_last_pid")) >> last_pid_;
    if (last_pid_ <= 0) last_pid_ = ::getpid();
  }
  /// Links to the victim in `folder` at the names `names_for(PID)` gives, for the next few
  /// hundred process ids: where a foci started next would have put its temporaries.
  void plant(const std::string& folder,
             const std::function<std::vector<std::string>(const std::string&)>& names_for) {
    for (long pid = last_pid_ + 1; pid <= last_pid_ + 300; ++pid) {
      for (const auto& name : names_for(std::to_string(pid))) {
        fs::create_symlink(victim_, fs::path(folder) / name);
      }
    }
  }
  /// The names foci used for a temporary of NAME (".NAME.foci-tmp-PID"), and names shaped
  /// like today's random ones.
  static std::vector<std::string> temporaries_of(const std::vector<std::string>& targets,
                                                 const std::string& pid) {
    std::vector<std::string> names;
    for (const auto& t : targets) {
      names.push_back("." + t + ".foci-tmp-" + pid);
      names.push_back("." + t + ".foci-tmp-" + pid + "-000000000000");
    }
    return names;
  }
  std::string victim_;
  long last_pid_ = 0;
};

TEST_F(PlantedLinks, MapNeverWritesThroughALinkAtATemporaryName) {
  ASSERT_EQ(run("map " + shell_quote(kMinimal) + " --out " + q("ref")).exit_code, 0);
  ASSERT_EQ(run("map " + shell_quote(kMinimal) + " --out " + q("out")).exit_code, 0);
  plant(dir_.path("out"), [](const std::string& pid) {
    return temporaries_of({"mapped.json", "mapped.tsv", "summary.md", "summary.tsv"}, pid);
  });
  // The NIfTI writer's old temporaries: ".foci-tmp-PID.nii.gz".
  plant(dir_.path("out/maps"), [](const std::string& pid) {
    return std::vector<std::string>{".foci-tmp-" + pid + ".nii.gz"};
  });
  const auto r = run("map " + shell_quote(kMinimal) + " --out " + q("out") + " --force");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(slurp(victim_), "precious");
  EXPECT_FALSE(fs::is_symlink(dir_.path("out/mapped.json")));
  EXPECT_TRUE(same_files(tree(dir_.path("out")), tree(dir_.path("ref"))))
      << "the results are whole and right";
}

TEST_F(PlantedLinks, RenderAndTheMeshCacheNeverWriteThroughALinkAtATemporaryName) {
  const std::string args =
      "render " + shell_quote(kMinimal) + " --size 200x160 --views dorsal,left";
  // The cache's file names come from content hashes anyone can compute; a first render into
  // another cache shows them.
  const std::string warm = dir_.path("cache-warm");
  auto r = run(args + " -o " + q("ref.png"), warm);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::vector<std::string> cached;
  for (const auto& name : names_in(warm)) cached.push_back(name);
  ASSERT_FALSE(cached.empty());
  const std::string cache = dir_.path("cache"), figures = dir_.path("figures");
  fs::create_directories(cache);
  fs::create_directories(figures);
  plant(figures, [](const std::string& pid) { return temporaries_of({"fig.png"}, pid); });
  plant(cache, [&](const std::string& pid) {
    auto names = temporaries_of(cached, pid);
    // The cache's old temporaries: ".KEY.tmp-PID.vtp".
    for (const auto& name : cached) {
      names.push_back("." + fs::path(name).stem().string() + ".tmp-" + pid + ".vtp");
    }
    return names;
  });
  r = run(args + " -o " + q("figures/fig.png"), cache);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(slurp(victim_), "precious");
  EXPECT_TRUE(same_bytes(dir_.path("figures/fig.png"), dir_.path("ref.png")));
  // The meshes were cached whole, and a second render reads them back.
  for (const auto& name : cached) {
    EXPECT_FALSE(fs::is_symlink(fs::path(cache) / name)) << name;
    EXPECT_TRUE(same_bytes(cache + "/" + name, warm + "/" + name));
  }
  r = run(args + " -o " + q("figures/again.png"), cache);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(same_bytes(dir_.path("figures/again.png"), dir_.path("ref.png")));
  EXPECT_EQ(slurp(victim_), "precious");
}

// ---------------------------------------------------------------------------------------
// Defect 2: on a full disk, foci map left truncated maps under their final names and named
// the wrong file; foci render crashed when the mesh cache could not be written, and left
// zero-byte meshes that broke the next run.

class DiskFull : public OutputFiles {};

TEST_F(DiskFull, MapNamesTheFileThatFailedAndLeavesNothingHalfWritten) {
  if (!small_disks_allowed()) GTEST_SKIP() << "unshare -m and mount are not permitted here";
  const std::string disk = dir_.path("disk");
  // A disk too small for any result set: the run fails, names the file that did not fit by
  // its final name, and leaves nothing behind, not even the folder it made.
  ASSERT_TRUE(
      on_small_disk(disk, "64k",
                    foci("map " + shell_quote(kMinimal) + " --out " + shell_quote(disk + "/out")) +
                        " 2>" + q("map.err") + "; echo $? >" + q("map.rc") + "; find " +
                        shell_quote(disk) + " -mindepth 1 >" + q("left.txt")));
  const std::string err = slurp(dir_.path("map.err"));
  EXPECT_EQ(slurp(dir_.path("map.rc")), "4\n") << err;
  // One line, from foci (no library talking on stderr), naming a result by its final name.
  EXPECT_TRUE(starts_with(err, "foci: [ERROR] cannot write '" + disk + "/out/")) << err;
  const std::string reason = "': No space left on device\n";
  EXPECT_TRUE(err.size() > reason.size() && err.substr(err.size() - reason.size()) == reason)
      << err;
  EXPECT_EQ(std::count(err.begin(), err.end(), '\n'), 1) << err;
  EXPECT_FALSE(contains(err, "foci-tmp")) << "the final name, not a temporary's: " << err;
  EXPECT_EQ(slurp(dir_.path("left.txt")), "") << "nothing is left on the disk";

  // Room for a small result set but not for a larger one beside it: --force fails and the
  // old results stay whole.
  const std::string out = shell_quote(disk + "/out");
  ASSERT_TRUE(
      on_small_disk(disk, "400k",
                    foci("map " + shell_quote(kMinimal) + " --out " + out) +
                        " 2>/dev/null && cp -a " + out + " " + q("old") + " && " +
                        foci("map " + shell_quote(kFunctional) + " --out " + out + " --force") +
                        " 2>" + q("force.err") + "; echo $? >" + q("force.rc") +
                        "; diff -r -x .foci.lock " + out + " " + q("old") + " >" + q("diff.txt") +
                        " 2>&1; ls -A " + shell_quote(disk) + " >" + q("ls.txt")));
  const std::string force_err = slurp(dir_.path("force.err"));
  EXPECT_EQ(slurp(dir_.path("force.rc")), "4\n") << force_err;
  EXPECT_TRUE(contains(force_err, "No space left on device")) << force_err;
  EXPECT_EQ(slurp(dir_.path("diff.txt")), "") << "the old results are untouched";
  EXPECT_EQ(slurp(dir_.path("ls.txt")), "out\n") << "no half-written folder beside them";
  EXPECT_TRUE(fs::exists(dir_.path("old/mapped.json")));
}

TEST_F(DiskFull, RenderDrawsWithoutTheCacheWhenTheCacheDiskIsFull) {
  if (!small_disks_allowed()) GTEST_SKIP() << "unshare -m and mount are not permitted here";
  const std::string args =
      "render " + shell_quote(kMinimal) + " --size 240x180 --views dorsal,left --style opaque";
  auto r = run(args + " -o " + q("ref.png"));
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const std::string disk = dir_.path("disk"), cache = disk + "/cache";
  // Twice on one full disk (a first run must not leave anything that breaks the second),
  // then a figure that does not fit.
  std::string script;
  for (const char* n : {"1", "2"}) {
    script += foci(args + " -o " + q(std::string("full") + n + ".png"), cache) + " 2>" +
              q(std::string("err") + n) + "; echo $? >" + q(std::string("rc") + n) + "; ";
  }
  script += "cp -a " + shell_quote(cache) + " " + q("cache-after") + " 2>/dev/null; ";
  // With the warm cache of the other tests: the disk is full with the figure alone.
  script += foci("render " + shell_quote(kMinimal) + " --size 1200x900 -o " +
                 shell_quote(disk + "/big.png")) +
            " 2>" + q("err3") + "; echo $? >" + q("rc3") + "; find " + shell_quote(disk) +
            " -name '*png*' >" + q("pngs.txt");
  ASSERT_TRUE(on_small_disk(disk, "64k", script));
  for (const char* n : {"1", "2"}) {
    const std::string err = slurp(dir_.path(std::string("err") + n));
    EXPECT_EQ(slurp(dir_.path(std::string("rc") + n)), "0\n") << "run " << n << ": " << err;
    EXPECT_TRUE(same_bytes(dir_.path(std::string("full") + n + ".png"), dir_.path("ref.png")))
        << "run " << n << ": the same figure as with a working cache";
    EXPECT_FALSE(contains(err, "vtk") || contains(err, "VTK") || contains(err, "ERROR")) << err;
  }
  const std::string err1 = slurp(dir_.path("err1"));
  EXPECT_TRUE(contains(err1, "foci: [WARNING] meshes are not being cached (")) << err1;
  EXPECT_EQ(std::count(err1.begin(), err1.end(), '\n'), 1) << "one warning, once: " << err1;
  // What the cache holds is whole: no empty or cut-off mesh for the next run to trip on.
  if (fs::exists(dir_.path("cache-after"))) {
    for (const auto& e : fs::directory_iterator(dir_.path("cache-after"))) {
      const std::string bytes = slurp(e.path().string());
      EXPECT_FALSE(contains(e.path().filename().string(), "foci-tmp")) << e.path();
      EXPECT_TRUE(starts_with(bytes, "foci-mesh 1 ")) << e.path();
    }
  }
  const std::string err3 = slurp(dir_.path("err3"));
  EXPECT_EQ(slurp(dir_.path("rc3")), "4\n") << err3;
  EXPECT_TRUE(contains(err3, "cannot write '" + disk + "/big.png': No space left on device"))
      << err3;
  EXPECT_EQ(slurp(dir_.path("pngs.txt")), "") << "no partial PNG";
}

// A truncated cache file used to make the next render print ~500 lines of VTK errors and
// fail; a zero-byte one poisoned the cache.
TEST_F(DiskFull, ADamagedCacheFileIsRebuiltQuietlyAndTheFigureIsTheSame) {
  const std::string cache = dir_.path("cache");
  const std::string args = "render " + shell_quote(kMinimal) +
                           " --size 240x180 --views dorsal,medial-left --style opaque";
  auto r = run(args + " -o " + q("first.png"), cache);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  std::map<std::string, std::string> whole;
  fs::path brain, hemisphere, region;
  for (const auto& e : fs::directory_iterator(cache)) {
    const std::string name = e.path().filename().string();
    whole[name] = slurp(e.path().string());
    if (contains(name, "-brain-")) (contains(name, "-left") ? hemisphere : brain) = e.path();
    if (contains(name, "-region-")) region = e.path();
  }
  ASSERT_FALSE(brain.empty() || hemisphere.empty() || region.empty()) << whole.size();
  // Cut short, zeroed, and emptied.
  fs::resize_file(brain, fs::file_size(brain) / 2);
  write_text(region.string(), std::string(fs::file_size(region), '\0'));
  write_text(hemisphere.string(), "");
  r = run(args + " -o " + q("second.png"), cache);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err, "") << "rebuilt without a word";
  EXPECT_TRUE(same_bytes(dir_.path("second.png"), dir_.path("first.png")));
  for (const auto& [name, bytes] : whole) {
    EXPECT_TRUE(slurp(cache + "/" + name) == bytes) << name << " was not rebuilt as it was";
  }
}

// ---------------------------------------------------------------------------------------
// Defect 3: two runs into one folder mixed their outputs: figures from one spec credited to
// the other in manifest.json.

class ConcurrentRuns : public OutputFiles {
 protected:
  /// Starts `command`, waits until it holds `lock`, and stops it there (SIGSTOP), so a second
  /// run meets a first one that is certainly mid-run. Returns its pid.
  int start_and_hold(const std::string& command, const std::string& lock) {
    const int pid = testing::start_shell(command);
    const auto give_up = Clock::now() + std::chrono::seconds(120);
    while (!testing::flock_held(lock) && Clock::now() < give_up) {
      int status = 0;
      if (waitpid(pid, &status, WNOHANG) == pid) {
        ADD_FAILURE() << "the first run ended before it was seen holding " << lock;
        return -1;
      }
      std::this_thread::sleep_for(std::chrono::microseconds(500));
    }
    kill(pid, SIGSTOP);
    return pid;
  }
};

TEST_F(ConcurrentRuns, ASecondBatchIntoTheSameFolderIsRefusedAndTheManifestCreditsOnlyTheFirst) {
  fs::copy_file(kMinimal, dir_.path("a.json"));
  std::string other = slurp(kMinimal);
  other.replace(other.find("\"increase\""), 10, "\"decrease\"");
  write_text(dir_.path("b.json"), other);
  const std::vector<std::string> views{"left", "dorsal", "right", "posterior"};
  const std::string spec_a = spec("spec-a.json", "a.json", views);
  const std::string spec_b = spec("spec-b.json", "b.json", views);
  ASSERT_EQ(
      run("batch " + shell_quote(spec_a) + " --out " + q("ref") + " --jobs 1 --quiet").exit_code,
      0);
  const std::string out = dir_.path("out");
  const int first = start_and_hold(
      foci("batch " + shell_quote(spec_a) + " --out " + shell_quote(out) + " --jobs 1 --quiet") +
          " >/dev/null 2>" + q("first.err"),
      out + "/.foci.lock");
  ASSERT_GT(first, 0);
  const auto second =
      run("batch " + shell_quote(spec_b) + " --out " + shell_quote(out) + " --jobs 1 --quiet");
  kill(first, SIGCONT);
  EXPECT_EQ(second.exit_code, 4) << second.err;
  EXPECT_EQ(second.err, "foci: [ERROR] another foci run is writing to '" + out + "' (pid " +
                            std::to_string(first) + "); wait for it or use another folder\n");
  EXPECT_EQ(second.out, "");
  ASSERT_EQ(testing::wait_for(first), 0) << slurp(dir_.path("first.err"));
  EXPECT_TRUE(same_files(pngs(out), pngs(dir_.path("ref")))) << "every figure is the first run's";
  const auto manifest = nlohmann::json::parse(slurp(out + "/manifest.json"));
  ASSERT_EQ(manifest.at("figures").size(), views.size());
  for (const auto& [name, figure] : manifest["figures"].items()) {
    EXPECT_EQ(figure.at("spec"), spec_a) << name;
  }
}

TEST_F(ConcurrentRuns, ASecondMapIntoTheSameFolderIsRefused) {
  ASSERT_EQ(run("map " + shell_quote(kMinimal) + " --out " + q("ref")).exit_code, 0);
  const std::string out = dir_.path("out");
  const int first = start_and_hold(
      foci("map " + shell_quote(kMinimal) + " --out " + shell_quote(out)) + " 2>/dev/null",
      out + "/.foci.lock");
  ASSERT_GT(first, 0);
  const auto second = run("map " + shell_quote(kFunctional) + " --out " + shell_quote(out));
  kill(first, SIGCONT);
  EXPECT_EQ(second.exit_code, 4) << second.err;
  EXPECT_EQ(second.err, "foci: [ERROR] another foci run is writing to '" + out + "' (pid " +
                            std::to_string(first) + "); wait for it or use another folder\n");
  ASSERT_EQ(testing::wait_for(first), 0);
  EXPECT_TRUE(same_files(tree(out), tree(dir_.path("ref")))) << "the first run's results, whole";
}

// Shards of one run (a Slurm array) still write one folder at the same time.
TEST_F(ConcurrentRuns, ShardsOfOneRunStillWriteOneFolderTogether) {
  fs::copy_file(kMinimal, dir_.path("a.json"));
  const std::string spec_a =
      spec("spec-a.json", "a.json", {"left", "dorsal", "right", "posterior", "anterior"});
  ASSERT_EQ(
      run("batch " + shell_quote(spec_a) + " --out " + q("ref") + " --jobs 1 --quiet").exit_code,
      0);
  std::vector<int> shards;
  for (int i = 0; i < 3; ++i) {
    shards.push_back(
        testing::start_shell(foci("batch " + shell_quote(spec_a) + " --out " + q("out") +
                                  " --jobs 1 --quiet --shard " + std::to_string(i) + "/3") +
                             " >/dev/null 2>" + q("shard" + std::to_string(i) + ".err")));
  }
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ(testing::wait_for(shards[i]), 0)
        << slurp(dir_.path("shard" + std::to_string(i) + ".err"));
  }
  EXPECT_TRUE(same_files(pngs(dir_.path("out")), pngs(dir_.path("ref"))));
  for (int i = 0; i < 3; ++i) {
    EXPECT_TRUE(fs::exists(dir_.path("out/manifest.shard-" + std::to_string(i) + "-of-3.json")));
  }
}

// ---------------------------------------------------------------------------------------
// Defect 5: a killed foci left its Xvfb running, and a killed `foci map --force` left a mix
// of old and new results.

class KilledRuns : public OutputFiles {
 protected:
  /// Starts `command` (a foci that starts Xvfb), finds its Xvfb, ends foci with `signal` and
  /// says whether the Xvfb is gone within 10 s. This test process adopts orphans meanwhile
  /// (a child subreaper), so an Xvfb left behind is found and stopped.
  void expect_xvfb_ends_with_foci(const std::string& command, int signal) {
    ASSERT_EQ(prctl(PR_SET_CHILD_SUBREAPER, 1), 0);
    const int pid = testing::start_shell(command + " >/dev/null 2>&1");
    int xvfb = 0;
    const auto give_up = Clock::now() + std::chrono::seconds(120);
    while (!(xvfb = testing::child_named(pid, "Xvfb")) && Clock::now() < give_up) {
      if (waitpid(pid, nullptr, WNOHANG) == pid) break;
      std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ASSERT_GT(xvfb, 0) << "foci started no Xvfb";
    // Killed before it is up, an Xvfb dies anyway writing its display number to the pipe
    // nobody reads: the kill comes once it listens for clients (it has a socket open) and
    // foci has had time to connect.
    bool up = false;
    while (!up && Clock::now() < give_up) {
      std::error_code ec;
      for (const auto& fd : fs::directory_iterator("/proc/" + std::to_string(xvfb) + "/fd", ec)) {
        up = up || starts_with(fs::read_symlink(fd.path(), ec).string(), "socket:");
      }
      if (!up) std::this_thread::sleep_for(std::chrono::milliseconds(2));
    }
    ASSERT_TRUE(up) << "Xvfb " << xvfb << " took no display";
    std::this_thread::sleep_for(std::chrono::milliseconds(500));
    ASSERT_EQ(waitpid(pid, nullptr, WNOHANG), 0) << "foci ended before it could be killed";
    ASSERT_EQ(kill(pid, signal), 0);
    testing::wait_for(pid);
    bool gone = false;
    for (int wait = 0; wait < 1000 && !gone; ++wait) {
      gone = waitpid(xvfb, nullptr, WNOHANG) == xvfb || kill(xvfb, 0) != 0;
      if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (!gone) {
      kill(xvfb, SIGKILL);
      waitpid(xvfb, nullptr, 0);
    }
    EXPECT_TRUE(gone) << "Xvfb " << xvfb << " outlived foci (signal " << signal << ")";
    // Workers and anything else adopted meanwhile.
    while (waitpid(-1, nullptr, WNOHANG) > 0) {
    }
    prctl(PR_SET_CHILD_SUBREAPER, 0);
  }
};

TEST_F(KilledRuns, XvfbDoesNotOutliveAKilledRender) {
  for (const int signal : {SIGKILL, SIGTERM}) {
    expect_xvfb_ends_with_foci(
        foci("render " + shell_quote(kMinimal) + " -o " + q("k" + std::to_string(signal) + ".png") +
             " --size 1600x1200 --views left,dorsal,right,anterior,posterior,ventral"),
        signal);
  }
}

TEST_F(KilledRuns, XvfbDoesNotOutliveAKilledBatch) {
  fs::copy_file(kMinimal, dir_.path("a.json"));
  const std::string spec_a =
      spec("spec-a.json", "a.json", {"left", "dorsal", "right", "posterior", "anterior", "ventral"},
           "800x600");
  expect_xvfb_ends_with_foci(
      foci("batch " + shell_quote(spec_a) + " --out " + q("out") + " --jobs 2 --quiet"), SIGKILL);
}

TEST_F(KilledRuns, MapForceKilledAtAnyMomentLeavesTheOldOrTheNewResultSet) {
  ASSERT_EQ(run("map " + shell_quote(kMinimal) + " --out " + q("old")).exit_code, 0);
  const auto start = Clock::now();
  ASSERT_EQ(run("map " + shell_quote(kFunctional) + " --out " + q("new")).exit_code, 0);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  const auto old_set = tree(dir_.path("old")), new_set = tree(dir_.path("new"));
  ASSERT_NE(old_set, new_set);
  const std::string out = dir_.path("out");
  // Kills spread over the run, one at a random moment in each slice of it.
  std::mt19937 random(std::random_device{}());
  const int tries = 8;
  int saw_old = 0, saw_new = 0;
  for (int n = 0; n < tries; ++n) {
    fs::remove_all(out);
    fs::copy(dir_.path("old"), out, fs::copy_options::recursive);
    const double delay =
        seconds * 1.25 * (n + std::uniform_real_distribution<double>(0, 1)(random)) / tries;
    const int pid = testing::start_shell(
        foci("map " + shell_quote(kFunctional) + " --out " + shell_quote(out) + " --force") +
        " >/dev/null 2>&1");
    std::this_thread::sleep_for(std::chrono::duration<double>(delay));
    kill(pid, SIGKILL);
    testing::wait_for(pid);
    const auto seen = tree(out);
    saw_old += seen == old_set;
    saw_new += seen == new_set;
    EXPECT_TRUE(seen == old_set || seen == new_set)
        << "killed after " << delay << " s: a mix of the two result sets (" << seen.size()
        << " entries)";
  }
  std::cout << "killed runs left the old set " << saw_old << " times, the new " << saw_new
            << " times\n";
  // A later run clears what killed runs left beside the folder.
  const auto r = run("map " + shell_quote(kFunctional) + " --out " + shell_quote(out) + " --force");
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(same_files(tree(out), new_set));
  for (const auto& name : names_in(dir_.root())) {
    EXPECT_FALSE(starts_with(name, ".out.foci-tmp-")) << name << " was left behind";
  }
}

}  // namespace
}  // namespace foci
