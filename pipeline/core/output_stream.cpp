#include "core/output_stream.hpp"

#include <unistd.h>

#include <filesystem>

#include "core/error.hpp"
#include "core/output_file.hpp"

namespace foci {

namespace fs = std::filesystem;

AtomicOutputStream::AtomicOutputStream(const std::string& path, bool overwrite)
    : path_(path), overwrite_(overwrite) {
  check_can_write(path, overwrite);
  const fs::path target(path);
  // Named as write_file_atomically names its temporary files, so one rule finds leftovers.
  temporary_ = (target.parent_path() /
                ("." + target.filename().string() + ".foci-tmp-" + std::to_string(::getpid())))
                   .string();
  out_.open(temporary_, std::ios::binary | std::ios::trunc);
  if (!out_) throw output_error("cannot write '" + path + "'");
}

AtomicOutputStream::~AtomicOutputStream() {
  if (committed_) return;
  out_.close();
  std::error_code ec;
  fs::remove(temporary_, ec);
}

void AtomicOutputStream::commit() {
  out_.close();
  if (!out_) throw output_error("cannot write '" + path_ + "'");
  // Checked again: the target may have appeared while the result was being written.
  check_can_write(path_, overwrite_);
  std::error_code ec;
  fs::rename(temporary_, path_, ec);
  if (ec) throw output_error("cannot write '" + path_ + "': " + ec.message());
  committed_ = true;
}

}  // namespace foci
