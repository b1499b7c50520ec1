#include "core/output_file.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "core/error.hpp"

namespace foci {

namespace fs = std::filesystem;

namespace {

std::string errno_text(int code) { return std::strerror(code); }

/// 12 hexadecimal digits no one can guess: a temporary's name must not be predictable, or
/// someone who can write to the folder could plant a link there first.
std::string random_tag() {
  unsigned char bytes[6];
  std::size_t got = 0;
  while (got < sizeof bytes) {
    const ssize_t n = getrandom(bytes + got, sizeof bytes - got, 0);
    if (n > 0) {
      got += static_cast<std::size_t>(n);
    } else if (errno != EINTR) {
      throw output_error(std::string("no random numbers for a temporary name: ") +
                         errno_text(errno));
    }
  }
  static const char* const digits = "0123456789abcdef";
  std::string tag;
  for (const unsigned char b : bytes) {
    tag += digits[b >> 4];
    tag += digits[b & 15];
  }
  return tag;
}

/// The name of a new temporary beside `target`: its folder, then the prefix, this process's
/// id (so a later run can tell a dead run's leftovers from a live one's) and a random tag.
fs::path temporary_name(const fs::path& target, const std::string& suffix) {
  return target.parent_path() / (temporary_prefix(target.string()) + std::to_string(::getpid()) +
                                 "-" + random_tag() + suffix);
}

/// Flushes a folder's entries (a rename) to disk. Some file systems cannot; that costs
/// durability after a power cut, not correctness, so it is not an error.
void sync_folder(const fs::path& folder) {
  const int fd = ::open(folder.empty() ? "." : folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return;
  (void)::fsync(fd);
  ::close(fd);
}

/// rename(2) that never replaces an existing `to`: renameat2's RENAME_NOREPLACE, or where the
/// file system lacks it, link(2) (which fails on an existing name) and unlink.
int rename_no_replace(const char* from, const char* to) {
  if (::renameat2(AT_FDCWD, from, AT_FDCWD, to, RENAME_NOREPLACE) == 0) return 0;
  if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) return -1;
  if (::link(from, to) != 0) return -1;
  ::unlink(from);
  return 0;
}

}  // namespace

std::string temporary_prefix(const std::string& target) {
  fs::path path(target);
  if (path.filename().empty()) path = path.parent_path();
  // A long name is shortened so the temporary's name still fits NAME_MAX (255 bytes).
  return "." + path.filename().string().substr(0, 120) + ".foci-tmp-";
}

TemporaryFile::TemporaryFile(std::string target, std::string suffix, std::string shown_as)
    : target_(std::move(target)), shown_as_(shown_as.empty() ? target_ : std::move(shown_as)) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    path_ = temporary_name(fs::path(target_), suffix).string();
    fd_ = ::open(path_.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0666);
    if (fd_ >= 0) return;
    if (errno != EEXIST && errno != EINTR) break;
  }
  const int code = errno;
  path_.clear();
  throw output_error("cannot write '" + shown_as_ + "': cannot create a file in '" +
                     fs::path(target_).parent_path().string() + "': " + errno_text(code));
}

TemporaryFile::~TemporaryFile() { discard(); }

void TemporaryFile::discard() noexcept {
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  if (!path_.empty()) ::unlink(path_.c_str());
  path_.clear();
}

void TemporaryFile::fail(const std::string& reason) {
  discard();
  throw output_error("cannot write '" + shown_as_ + "': " + reason);
}

void TemporaryFile::write(std::string_view bytes) {
  if (fd_ < 0) fail("the file is already closed");
  while (!bytes.empty()) {
    const ssize_t n = ::write(fd_, bytes.data(), bytes.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) fail(errno_text(n < 0 ? errno : EIO));
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
}

void TemporaryFile::commit(bool overwrite) {
  if (fd_ < 0) fail("the file is already closed");
  // The data reaches the disk before the name does: after a crash the target holds the old
  // content or the new, never a new name over blocks that were never written.
  if (::fsync(fd_) != 0) fail(errno_text(errno));
  const int fd = fd_;
  fd_ = -1;
  if (::close(fd) != 0) fail(errno_text(errno));
  const int renamed = overwrite ? ::rename(path_.c_str(), target_.c_str())
                                : rename_no_replace(path_.c_str(), target_.c_str());
  if (renamed != 0) {
    if (errno == EEXIST) fail("it exists; use --force to overwrite it");
    fail(errno_text(errno));
  }
  path_.clear();
  sync_folder(fs::path(target_).parent_path());
}

void write_file_atomically(const std::string& path, const std::string& content, bool overwrite,
                           const std::string& shown_as) {
  check_can_write(path, overwrite);
  TemporaryFile file(path, "", shown_as);
  file.write(content);
  file.commit(overwrite);
}

void check_can_write(const std::string& path, bool overwrite) {
  std::error_code ec;
  if (!overwrite && fs::symlink_status(path, ec).type() != fs::file_type::not_found) {
    throw output_error("'" + path + "' exists; use --force to overwrite it");
  }
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec)) {
    throw output_error("cannot write '" + path + "': directory '" + parent.string() +
                       "' does not exist");
  }
}

void refuse_input_as_output(const std::string& output, const std::vector<std::string>& inputs) {
  for (const auto& input : inputs) {
    std::error_code ec;
    if (fs::equivalent(output, input, ec) && !ec) {
      throw usage_error("'" + output + "' is an input of this command ('" + input +
                        "'); foci never writes over its inputs, --force or not");
    }
  }
}

TemporaryFolder::TemporaryFolder(const std::string& target) : target_(target) {
  for (int attempt = 0; attempt < 100; ++attempt) {
    path_ = temporary_name(fs::path(target_), "").string();
    if (::mkdir(path_.c_str(), 0777) == 0) return;
    if (errno != EEXIST && errno != EINTR) break;
  }
  const int code = errno;
  owned_ = false;
  throw output_error("cannot write '" + target_ +
                     "': cannot create a folder beside it: " + errno_text(code));
}

TemporaryFolder::~TemporaryFolder() {
  if (!owned_) return;
  std::error_code ec;
  fs::remove_all(path_, ec);
}

void TemporaryFolder::replace_target(const std::string& shown_as) {
  const auto fail = [&](int code) {
    if (code == EXDEV || code == EBUSY) {
      throw output_error("cannot replace '" + shown_as +
                         "': it is a mount point, or on another file system than the folder "
                         "that holds it; use a folder inside it");
    }
    throw output_error("cannot write '" + shown_as + "': " + errno_text(code));
  };
  // The new folder takes the old one's permissions (a group-writable project folder stays
  // group-writable).
  struct stat old;
  if (::stat(target_.c_str(), &old) == 0 && S_ISDIR(old.st_mode)) {
    (void)::chmod(path_.c_str(), old.st_mode & 07777);
  }
  // Where the file system can, the two folders trade places in one step: a reader sees the
  // old complete set or the new one, never neither. Else the old set is moved aside first,
  // and for a moment there is no folder at all.
  if (::renameat2(AT_FDCWD, path_.c_str(), AT_FDCWD, target_.c_str(), RENAME_EXCHANGE) != 0) {
    if (errno == ENOENT) {
      if (::rename(path_.c_str(), target_.c_str()) != 0) fail(errno);
      owned_ = false;
      sync_folder(fs::path(target_).parent_path());
      return;
    }
    if (errno != EINVAL && errno != ENOSYS && errno != ENOTSUP) fail(errno);
    const std::string aside = temporary_name(fs::path(target_), "").string();
    if (::rename(target_.c_str(), aside.c_str()) != 0) fail(errno);
    if (::rename(path_.c_str(), target_.c_str()) != 0) {
      const int code = errno;
      (void)::rename(aside.c_str(), target_.c_str());
      fail(code);
    }
    path_ = aside;
  }
  // path_ now holds the old set, still ours to remove.
  sync_folder(fs::path(target_).parent_path());
  std::error_code ec;
  fs::remove_all(path_, ec);
  owned_ = false;
}

bool process_running(long pid) {
  if (pid <= 0) return false;
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

void remove_stale_temporaries(const std::string& target) {
  fs::path path(target);
  if (path.filename().empty()) path = path.parent_path();
  const std::string prefix = temporary_prefix(path.string());
  const fs::path folder = path.parent_path().empty() ? fs::path(".") : path.parent_path();
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(folder, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind(prefix, 0) != 0) continue;
    // ".NAME.foci-tmp-PID-RANDOM...": no pid, or a live one, and it stays.
    char* end = nullptr;
    const long pid = std::strtol(name.c_str() + prefix.size(), &end, 10);
    if (end == name.c_str() + prefix.size() || *end != '-' || process_running(pid)) continue;
    std::error_code ignored;
    fs::remove_all(entry.path(), ignored);
  }
}

}  // namespace foci
