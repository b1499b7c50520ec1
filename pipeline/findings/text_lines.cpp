#include "findings/text_lines.hpp"

#include <zlib.h>

#include <filesystem>

#include "core/error.hpp"
#include "core/text.hpp"

namespace foci {

std::vector<std::string> read_text_lines(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw input_error("cannot read '" + path + "': no such file");
  }
  gzFile file = gzopen(path.c_str(), "rb");  // reads uncompressed files as they are
  if (!file) throw input_error("cannot read '" + path + "'");
  std::string text;
  char buffer[1 << 15];
  int n;
  while ((n = gzread(file, buffer, sizeof buffer)) > 0) text.append(buffer, n);
  int status = Z_OK;
  gzerror(file, &status);
  gzclose(file);
  if (n < 0 || (status != Z_OK && status != Z_STREAM_END)) {
    throw input_error("cannot read '" + path + "': damaged compressed data");
  }
  strip_byte_order_mark(text, path);
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    auto end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

}  // namespace foci
