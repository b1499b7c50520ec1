#pragma once
// Writing a result that is too large to hold in memory, with the promise of output_file.hpp:
// the bytes go to a temporary file beside the target, renamed over it only when complete,
// so a failed or killed run leaves no half-written result.
#include <fstream>
#include <string>

namespace foci {

class AtomicOutputStream {
 public:
  /// Checks the target as check_can_write does and opens the temporary file. Throws Error
  /// (output) naming `path`.
  AtomicOutputStream(const std::string& path, bool overwrite);
  /// Removes the temporary file unless commit() succeeded.
  ~AtomicOutputStream();
  AtomicOutputStream(const AtomicOutputStream&) = delete;
  AtomicOutputStream& operator=(const AtomicOutputStream&) = delete;

  std::ostream& stream() { return out_; }
  /// Closes the temporary file and renames it over the target. Throws Error (output) naming
  /// the target when a write failed.
  void commit();

 private:
  std::string path_, temporary_;
  bool overwrite_;
  std::ofstream out_;
  bool committed_ = false;
};

}  // namespace foci
