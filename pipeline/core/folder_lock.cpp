#include "core/folder_lock.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.hpp"

namespace foci {

namespace fs = std::filesystem;

namespace {

/// The id of a process, other than this one, that holds an flock on the file `st` describes,
/// from the kernel's table (/proc/locks); 0 when none is listed there (a lock held from
/// another machine on a network file system, or no /proc).
long lock_holder(const struct stat& st) {
  std::ifstream locks("/proc/locks");
  char wanted[64];
  std::snprintf(wanted, sizeof wanted, "%02x:%02x:%llu", major(st.st_dev), minor(st.st_dev),
                static_cast<unsigned long long>(st.st_ino));
  for (std::string line; std::getline(locks, line);) {
    // "1: FLOCK  ADVISORY  WRITE 1234 fd:01:5678 0 EOF"; a waiter's line has "->" after the
    // number.
    std::istringstream fields(line);
    std::string id, kind, advisory, access, pid, file;
    fields >> id >> kind;
    if (kind == "->") fields >> kind;
    fields >> advisory >> access >> pid >> file;
    if (kind != "FLOCK" || file != wanted) continue;
    const long holder = std::strtol(pid.c_str(), nullptr, 10);
    if (holder > 0 && holder != ::getpid()) return holder;
  }
  return 0;
}

}  // namespace

FolderLock::FolderLock(const std::string& folder, const std::string& name, Mode mode,
                       const std::string& shown_as)
    : folder_(folder), path_((fs::path(folder) / name).string()) {
  const std::string shown = shown_as.empty() ? folder : shown_as;
  const auto cannot = [&](const std::string& why) {
    return output_error("cannot lock '" + shown + "' for this run: " + why);
  };
  for (int attempt = 0; attempt < 20; ++attempt) {
    // Read-only is enough for flock, and lets another user's run lock a file this user made.
    // O_NOFOLLOW: a link planted in the folder is refused, never followed; O_NONBLOCK: a
    // planted FIFO does not hang the run.
    fd_ = ::open(path_.c_str(), O_RDONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, 0666);
    if (fd_ < 0) {
      if (errno == ELOOP) throw cannot("'" + path_ + "' is a symbolic link; remove it");
      throw cannot("'" + path_ + "': " + std::strerror(errno));
    }
    struct stat held;
    if (::fstat(fd_, &held) != 0 || !S_ISREG(held.st_mode)) {
      ::close(fd_);
      fd_ = -1;
      throw cannot("'" + path_ + "' is not a plain file; remove it");
    }
    if (::flock(fd_, (mode == Mode::exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) != 0) {
      const int code = errno;
      ::close(fd_);
      fd_ = -1;
      if (code == EINTR) continue;
      if (code != EWOULDBLOCK) throw cannot(std::strerror(code));
      const long holder = lock_holder(held);
      throw output_error("another foci run is writing to '" + shown + "'" +
                         (holder > 0 ? " (pid " + std::to_string(holder) + ")" : "") +
                         "; wait for it or use another folder");
    }
    // The lock counts only on the file that has the name now: a run that replaced its folder
    // (foci map) took the old lock file away with the old folder.
    struct stat now;
    if (::stat(path_.c_str(), &now) == 0 && now.st_dev == held.st_dev &&
        now.st_ino == held.st_ino) {
      return;
    }
    ::close(fd_);
    fd_ = -1;
  }
  throw cannot("its lock file '" + path_ + "' keeps being replaced");
}

FolderLock::~FolderLock() {
  if (fd_ >= 0) ::close(fd_);
}

void FolderLock::remove_with_folder() {
  if (fd_ < 0) return;
  ::unlink(path_.c_str());
  ::close(fd_);
  fd_ = -1;
  ::rmdir(folder_.c_str());
}

}  // namespace foci
