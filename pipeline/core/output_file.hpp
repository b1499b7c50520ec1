#pragma once
// Writing results so that a killed run leaves nothing half-written: text goes to a
// temporary file beside the target, which is renamed over it once complete.
#include <string>

namespace foci {

/// Writes `content` to `path` atomically. Without `overwrite`, an existing `path` is an
/// error. Throws Error (output) naming the file.
void write_file_atomically(const std::string& path, const std::string& content, bool overwrite);

/// Throws Error (output) when `path` exists and `overwrite` is false, so a command can
/// refuse before doing any work.
void check_can_write(const std::string& path, bool overwrite);

}  // namespace foci
