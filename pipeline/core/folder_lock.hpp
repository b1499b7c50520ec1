#pragma once
// One run at a time per output folder: an flock(2) on a lock file in the folder, held for
// the whole run and released by the kernel when the process ends, however it ends.
#include <string>

namespace foci {

class FolderLock {
 public:
  /// exclusive: no other run may hold the lock; shared: other shared holders may (shards of
  /// one batch run, each writing its own figures and manifest).
  enum class Mode { exclusive, shared };

  /// Locks `folder`/`name` (created if missing, never through a link, and kept), without
  /// waiting. Throws Error (output) "another foci run is writing to 'SHOWN' (pid N); wait for
  /// it or use another folder" when another process holds it, SHOWN being `shown_as` when
  /// given, else `folder`.
  FolderLock(const std::string& folder, const std::string& name, Mode mode,
             const std::string& shown_as = "");
  ~FolderLock();
  FolderLock(const FolderLock&) = delete;
  FolderLock& operator=(const FolderLock&) = delete;

  /// Gives the lock up and removes the lock file, for a run that created its folder and
  /// leaves it empty (the folder is removed too when nothing else is in it).
  void remove_with_folder();

 private:
  std::string folder_, path_;
  int fd_ = -1;
};

/// The name of the lock file every foci run that writes a folder of results takes.
inline constexpr const char* kFolderLockName = ".foci.lock";

}  // namespace foci
