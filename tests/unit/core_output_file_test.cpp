// Writing results: temporaries that cannot be hijacked, folders swapped in one step, stale
// temporaries of dead runs cleared, one run per folder.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <set>

#include "atlas/nifti_io.hpp"
#include "core/error.hpp"
#include "core/folder_lock.hpp"
#include "core/output_file.hpp"
#include "nifti_fixture.hpp"
#include "process.hpp"

namespace foci {
namespace {

namespace fs = std::filesystem;
using testing::slurp;
using testing::TempDir;
using testing::write_text;

/// Names in a folder, hidden ones too.
std::set<std::string> names_in(const std::string& folder) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(folder)) names.insert(e.path().filename().string());
  return names;
}

/// Links planted where a writer of this process might put its temporary for `target`: the
/// names foci used to use (".NAME.foci-tmp-PID", ".foci-tmp-PID.nii.gz"), which anyone who
/// can write the folder could predict, and names shaped like today's.
std::vector<std::string> plant_links(const std::string& target, const std::string& victim) {
  const fs::path t(target);
  const std::string pid = std::to_string(::getpid());
  const std::string name = t.filename().string();
  std::vector<std::string> planted;
  for (const std::string& link :
       {"." + name + ".foci-tmp-" + pid, ".foci-tmp-" + pid + ".nii.gz",
        ".foci-tmp-" + pid + ".nii", "." + name + ".foci-tmp-" + pid + "-000000000000",
        "." + name + ".foci-tmp-" + pid + "-ffffffffffff"}) {
    const fs::path at = t.parent_path() / link;
    fs::create_symlink(victim, at);
    planted.push_back(at.string());
  }
  return planted;
}

// Defect: temporaries were ".NAME.foci-tmp-PID", opened following links and without
// O_EXCL: whoever could write the output folder planted links at the next PIDs, and a write
// by another user went through them to any file that user could write.
TEST(TemporaryFile, APlantedLinkAtATemporaryNameIsNeverFollowed) {
  TempDir dir;
  write_text(dir.path("victim"), "precious");
  const std::string target = dir.path("result.tsv");
  const auto planted = plant_links(target, dir.path("victim"));
  write_file_atomically(target, "a\tb\n", false);
  EXPECT_EQ(slurp(dir.path("victim")), "precious");
  EXPECT_EQ(slurp(target), "a\tb\n");
  EXPECT_FALSE(fs::is_symlink(target)) << "the result is a file of its own, not a planted link";
  for (const auto& link : planted) EXPECT_TRUE(fs::is_symlink(link)) << link;
  // Replacing a result goes through a new temporary too.
  write_file_atomically(target, "c\td\n", true);
  EXPECT_EQ(slurp(dir.path("victim")), "precious");
  EXPECT_EQ(slurp(target), "c\td\n");
  EXPECT_EQ(names_in(dir.root()).size(), 2u + planted.size()) << "no temporary left behind";
}

TEST(TemporaryFile, IsCreatedWithTheUmasksModeAndRemovedUnlessCommitted) {
  TempDir dir;
  const mode_t old = ::umask(022);
  std::string path;
  {
    TemporaryFile file(dir.path("x.png"), ".png");
    path = file.path();
    EXPECT_EQ(fs::path(path).parent_path(), fs::path(dir.root()));
    EXPECT_EQ(fs::path(path).filename().string().rfind(
                  ".x.png.foci-tmp-" + std::to_string(::getpid()) + "-", 0),
              0u)
        << path;
    EXPECT_EQ(path.substr(path.size() - 4), ".png");
    struct stat st;
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0644u);
    TemporaryFile other(dir.path("x.png"), ".png");
    EXPECT_NE(other.path(), path) << "two temporaries of one target have different names";
  }
  ::umask(old);
  EXPECT_FALSE(fs::exists(path)) << "not committed: removed";
  EXPECT_TRUE(names_in(dir.root()).empty());
}

TEST(TemporaryFile, WithoutOverwriteAFileThatAppearedMeanwhileIsKept) {
  TempDir dir;
  TemporaryFile file(dir.path("out.json"));
  file.write("new");
  write_text(dir.path("out.json"), "someone else's");
  try {
    file.commit(false);
    FAIL() << "an existing file was replaced";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::output);
    EXPECT_NE(std::string(e.what()).find("exists; use --force"), std::string::npos) << e.what();
  }
  EXPECT_EQ(slurp(dir.path("out.json")), "someone else's");
  EXPECT_EQ(names_in(dir.root()), std::set<std::string>{"out.json"});
}

// Defect: the NIfTI writer let the NIfTI library open ".foci-tmp-PID.nii.gz" by name,
// following a planted link.
TEST(WriteLabelVolume, APlantedLinkAtATemporaryNameIsNeverFollowed) {
  TempDir dir;
  write_text(dir.path("victim"), "precious");
  LabelVolume volume;
  volume.size = {4, 3, 2};
  volume.voxel_to_world = Affine::from_rows({{{2, 0, 0, -4}, {0, 2, 0, -3}, {0, 0, 2, -2}}});
  volume.world_to_voxel = volume.voxel_to_world.inverse();
  for (int n = 0; n < 24; ++n) volume.labels.push_back(n * 7 - 30);
  for (const char* name : {"map.nii.gz", "map.nii"}) {
    const std::string target = dir.path(name);
    const auto planted = plant_links(target, dir.path("victim"));
    write_label_volume(volume, target);
    EXPECT_EQ(slurp(dir.path("victim")), "precious") << name;
    const LabelVolume back = read_label_volume(target);
    EXPECT_EQ(back.labels, volume.labels) << name;
    EXPECT_EQ(back.size, volume.size) << name;
    for (const auto& link : planted) fs::remove(link);
  }
  EXPECT_EQ(names_in(dir.root()), (std::set<std::string>{"map.nii", "map.nii.gz", "victim"}));
}

TEST(TemporaryFolder, ReplacesTheTargetInOneStepAndClearsTheOldSet) {
  TempDir dir;
  const std::string target = dir.path("out");
  fs::create_directory(target);
  write_text(target + "/old.txt", "old");
  ::chmod(target.c_str(), 02775);
  {
    TemporaryFolder next(target);
    write_text(next.path() + "/new.txt", "new");
    next.replace_target(target);
  }
  EXPECT_EQ(names_in(target), std::set<std::string>{"new.txt"});
  EXPECT_EQ(names_in(dir.root()), std::set<std::string>{"out"}) << "the old set is gone";
  struct stat st;
  ASSERT_EQ(::stat(target.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 07777, 02775u) << "the folder keeps its permissions";
  {
    TemporaryFolder abandoned(target);
    write_text(abandoned.path() + "/half.txt", "half");
  }
  EXPECT_EQ(names_in(dir.root()), std::set<std::string>{"out"}) << "an abandoned one is removed";
}

TEST(RemoveStaleTemporaries, RemovesOnlyThoseOfRunsThatAreGone) {
  TempDir dir;
  // A process that has ended: its id names no running process (until reused, which at worst
  // keeps a leftover).
  const pid_t gone = fork();
  if (gone == 0) _exit(0);
  ASSERT_GT(gone, 0);
  waitpid(gone, nullptr, 0);
  ASSERT_FALSE(process_running(gone));
  const std::string prefix = dir.path(".out.foci-tmp-");
  fs::create_directories(prefix + std::to_string(gone) + "-0123456789ab/maps");
  write_text(prefix + std::to_string(gone) + "-0123456789ab/maps/x.nii.gz", "x");
  fs::create_directory(prefix + std::to_string(::getpid()) + "-0123456789ab");
  fs::create_directory(prefix + "notapid");
  fs::create_directory(dir.path("out"));
  remove_stale_temporaries(dir.path("out"));
  EXPECT_EQ(
      names_in(dir.root()),
      (std::set<std::string>{"out", ".out.foci-tmp-" + std::to_string(::getpid()) + "-0123456789ab",
                             ".out.foci-tmp-notapid"}));
}

TEST(FolderLock, ASecondRunIsRefusedWhileSharedHoldersCoexist) {
  TempDir dir;
  {
    const FolderLock first(dir.root(), ".foci.lock", FolderLock::Mode::exclusive, "results");
    EXPECT_TRUE(testing::flock_held(dir.path(".foci.lock")));
    try {
      const FolderLock second(dir.root(), ".foci.lock", FolderLock::Mode::exclusive, "results");
      FAIL() << "two exclusive holders";
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ExitCode::output);
      EXPECT_EQ(std::string(e.what()),
                "another foci run is writing to 'results'; wait for it or use another folder");
    }
    EXPECT_THROW(FolderLock(dir.root(), ".foci.lock", FolderLock::Mode::shared), Error);
  }
  EXPECT_FALSE(testing::flock_held(dir.path(".foci.lock"))) << "released with the holder";
  const FolderLock a(dir.root(), ".foci.lock", FolderLock::Mode::shared);
  const FolderLock b(dir.root(), ".foci.lock", FolderLock::Mode::shared);
  EXPECT_THROW(FolderLock(dir.root(), ".foci.lock", FolderLock::Mode::exclusive), Error);
  EXPECT_TRUE(fs::exists(dir.path(".foci.lock"))) << "the lock file is kept";
}

TEST(FolderLock, APlantedLinkIsRefusedNotFollowed) {
  TempDir dir;
  write_text(dir.path("victim"), "precious");
  fs::create_symlink(dir.path("victim"), dir.path(".foci.lock"));
  try {
    const FolderLock lock(dir.root(), ".foci.lock", FolderLock::Mode::exclusive);
    FAIL() << "locked through a link";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("is a symbolic link"), std::string::npos) << e.what();
  }
  EXPECT_EQ(slurp(dir.path("victim")), "precious");
}

TEST(RefuseInputAsOutput, TheSameFileUnderAnyNameIsRefused) {
  TempDir dir;
  write_text(dir.path("in.json"), "{}");
  fs::create_symlink(dir.path("in.json"), dir.path("link.png"));
  EXPECT_THROW(refuse_input_as_output(dir.path("in.json"), {dir.path("in.json")}), Error);
  EXPECT_THROW(refuse_input_as_output(dir.path("link.png"), {dir.path("in.json")}), Error);
  EXPECT_THROW(refuse_input_as_output(dir.root() + "/./in.json", {dir.path("in.json")}), Error);
  EXPECT_NO_THROW(refuse_input_as_output(dir.path("new.png"), {dir.path("in.json")}));
}

}  // namespace
}  // namespace foci
