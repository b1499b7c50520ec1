#pragma once
#include <string>
#include <vector>

namespace foci {

/// The lines of a text file, plain or gzip-compressed (Neurosynth ships .tsv.gz), without
/// line endings and without a leading UTF-8 byte-order mark. Throws Error (input) naming the
/// file when it cannot be read or is UTF-16.
std::vector<std::string> read_text_lines(const std::string& path);

}  // namespace foci
