#pragma once
// Writing results so that a file is complete or absent, and never through a name someone
// else chose: the bytes go to a new file beside the target, created exclusively under an
// unpredictable name (O_CREAT|O_EXCL|O_NOFOLLOW, so a planted link or file is never opened),
// written, flushed to disk and renamed over the target. Every writer of foci goes through
// TemporaryFile: tables, PNGs, manifests, NIfTI maps and cached meshes.
#include <string>
#include <string_view>
#include <vector>

namespace foci {

/// A new, empty file beside `target`, named ".NAME.foci-tmp-PID-RANDOM" (then `suffix`),
/// created with O_CREAT|O_EXCL|O_NOFOLLOW and mode 0666 less the umask. Removed again unless
/// committed. Errors are Error (output) "cannot write 'SHOWN': reason", SHOWN being
/// `shown_as` when given (the final path, for a file written inside a staging folder), else
/// `target`.
class TemporaryFile {
 public:
  explicit TemporaryFile(std::string target, std::string suffix = "", std::string shown_as = "");
  ~TemporaryFile();
  TemporaryFile(const TemporaryFile&) = delete;
  TemporaryFile& operator=(const TemporaryFile&) = delete;

  /// The open descriptor (for a library that writes through its own stream: hand it a dup).
  int fd() const { return fd_; }
  const std::string& path() const { return path_; }
  const std::string& shown_as() const { return shown_as_; }

  /// Appends bytes, retrying short writes. Throws Error (output).
  void write(std::string_view bytes);
  /// Flushes to disk, closes and renames onto the target: over an existing target when
  /// `overwrite`, else refusing one that exists (even one that appeared since the run
  /// started). Throws Error (output); the temporary is gone either way.
  void commit(bool overwrite);
  /// Removes the temporary and throws Error (output) "cannot write 'SHOWN': reason".
  [[noreturn]] void fail(const std::string& reason);

 private:
  void discard() noexcept;
  std::string target_, path_, shown_as_;
  int fd_ = -1;
};

/// Writes `content` to `path` through a TemporaryFile. Without `overwrite`, an existing
/// `path` is an error. Throws Error (output) naming `shown_as`, else the file.
void write_file_atomically(const std::string& path, const std::string& content, bool overwrite,
                           const std::string& shown_as = "");

/// Throws Error (output) when `path` exists and `overwrite` is false, so a command can
/// refuse before doing any work.
void check_can_write(const std::string& path, bool overwrite);

/// Throws Error (usage) when `output` is the same file as one of `inputs` (by device and
/// inode, so links and other spellings of a path count): an input is never written over,
/// --force or not.
void refuse_input_as_output(const std::string& output, const std::vector<std::string>& inputs);

/// A new, empty folder beside `target`, named ".NAME.foci-tmp-PID-RANDOM", created with
/// mkdir (which never follows a planted link) and removed with what it holds unless
/// released. For results that must appear together: write them all here, then swap the
/// folder into place with replace_folder.
class TemporaryFolder {
 public:
  explicit TemporaryFolder(const std::string& target);
  ~TemporaryFolder();
  TemporaryFolder(const TemporaryFolder&) = delete;
  TemporaryFolder& operator=(const TemporaryFolder&) = delete;
  const std::string& path() const { return path_; }
  /// Puts this folder at the target in one step (see replace_folder); it is no longer ours
  /// to remove. Throws Error (output) naming `shown_as`.
  void replace_target(const std::string& shown_as);

 private:
  std::string target_, path_;
  bool owned_ = true;
};

/// The prefix of the temporaries of `target`: ".NAME.foci-tmp-".
std::string temporary_prefix(const std::string& target);

/// Removes the temporaries of `target` (files or folders beside it named by
/// temporary_prefix) whose process is no longer running on this machine. A live run's are
/// never touched. Errors are ignored: a temporary left behind costs only space.
void remove_stale_temporaries(const std::string& target);

/// Whether a process with this id is running (or exists and belongs to someone else).
bool process_running(long pid);

}  // namespace foci
