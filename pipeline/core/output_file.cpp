#include "core/output_file.hpp"

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "core/error.hpp"

namespace foci {

namespace fs = std::filesystem;

void check_can_write(const std::string& path, bool overwrite) {
  std::error_code ec;
  if (!overwrite && fs::exists(path, ec)) {
    throw output_error("'" + path + "' exists; use --force to overwrite it");
  }
  const fs::path parent = fs::path(path).parent_path();
  if (!parent.empty() && !fs::is_directory(parent, ec)) {
    throw output_error("cannot write '" + path + "': directory '" + parent.string() +
                       "' does not exist");
  }
}

void write_file_atomically(const std::string& path, const std::string& content, bool overwrite) {
  check_can_write(path, overwrite);
  const fs::path target(path);
  const fs::path temporary = target.parent_path() / ("." + target.filename().string() +
                                                     ".foci-tmp-" + std::to_string(::getpid()));
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << content;
    out.close();
    if (!out) {
      std::error_code ec;
      fs::remove(temporary, ec);
      throw output_error("cannot write '" + path + "'");
    }
  }
  std::error_code ec;
  fs::rename(temporary, target, ec);
  if (ec) {
    fs::remove(temporary, ec);
    throw output_error("cannot write '" + path + "': " + ec.message());
  }
}

}  // namespace foci
