#pragma once
// Writing a result that is too large to hold in memory, with the promise of output_file.hpp:
// the bytes go through a TemporaryFile (created exclusively beside the target, never through
// a planted link), renamed over the target only when complete, so a failed or killed run
// leaves no half-written result.
#include <ostream>
#include <streambuf>
#include <string>
#include <vector>

#include "core/output_file.hpp"

namespace foci {

class AtomicOutputStream {
 public:
  /// Checks the target as check_can_write does and creates the temporary file. Throws Error
  /// (output) naming `path`.
  AtomicOutputStream(const std::string& path, bool overwrite);
  AtomicOutputStream(const AtomicOutputStream&) = delete;
  AtomicOutputStream& operator=(const AtomicOutputStream&) = delete;

  std::ostream& stream() { return out_; }
  /// Flushes, syncs and renames the temporary file over the target. Throws Error (output)
  /// naming the target when a write failed. Without commit the temporary file is removed.
  void commit();

 private:
  /// Buffers bytes and hands them to the TemporaryFile; a failed write is kept and thrown
  /// by commit (a streambuf must not throw through the ostream).
  class Buffer : public std::streambuf {
   public:
    explicit Buffer(TemporaryFile& file);
    bool drain();
    std::string failure;

   protected:
    int_type overflow(int_type c) override;
    int sync() override;

   private:
    TemporaryFile& file_;
    std::vector<char> bytes_;
  };

  bool overwrite_;
  TemporaryFile file_;
  Buffer buffer_;
  std::ostream out_;
};

}  // namespace foci
