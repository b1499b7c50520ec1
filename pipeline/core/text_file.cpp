#include "core/text_file.hpp"

#include <zlib.h>

#include <cstdio>
#include <filesystem>

#include "core/error.hpp"
#include "core/text.hpp"

namespace foci {

namespace {

gzFile as_gz(void* file) { return static_cast<gzFile>(file); }

constexpr unsigned kBlockBytes = 1 << 16;

}  // namespace

TextFileReader::TextFileReader(const std::string& path, std::uint64_t max_decompressed)
    : path_(path), max_decompressed_(max_decompressed) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw input_error("cannot read '" + path + "': no such file");
  }
  gzFile file = gzopen(path.c_str(), "rb");  // reads uncompressed files as they are
  if (!file) throw input_error("cannot read '" + path + "'");
  gzbuffer(file, 1 << 17);
  file_ = file;
}

TextFileReader::~TextFileReader() { gzclose(as_gz(file_)); }

bool TextFileReader::fill() {
  if (end_) return false;
  buffer_.erase(0, position_);
  position_ = 0;
  char block[kBlockBytes];
  const int n = gzread(as_gz(file_), block, kBlockBytes);
  int status = Z_OK;
  gzerror(as_gz(file_), &status);
  // A truncated stream ends with Z_BUF_ERROR ("unexpected end of file") and no bytes.
  if (n < 0 || (n == 0 && status != Z_OK && status != Z_STREAM_END)) {
    throw input_error("cannot read '" + path_ + "': damaged compressed data");
  }
  if (n == 0) {
    end_ = true;
    return false;
  }
  bytes_read_ += static_cast<std::uint64_t>(n);
  if (bytes_read_ > max_decompressed_ && !gzdirect(as_gz(file_))) {
    throw input_error("cannot read '" + path_ + "': it holds more than " +
                      std::to_string(max_decompressed_) +
                      " bytes of text once uncompressed, more than foci reads from a compressed "
                      "file (uncompress it first if it really is that large)");
  }
  buffer_.append(block, static_cast<std::size_t>(n));
  return true;
}

bool TextFileReader::next(std::string& line) {
  std::size_t searched = position_;
  bool too_long = false;
  while (true) {
    const auto newline = buffer_.find('\n', searched);
    if (newline != std::string::npos) {
      line.assign(buffer_, position_, newline - position_);
      position_ = newline + 1;
      break;
    }
    const std::size_t pending = buffer_.size() - position_;
    if (pending > kMaxLineBytes) {
      too_long = true;
      break;
    }
    if (!fill()) {
      if (pending == 0) return false;
      line.assign(buffer_, position_, pending);  // the last line has no line break
      position_ = buffer_.size();
      break;
    }
    searched = pending;  // fill() moved the pending bytes to the front
  }
  ++line_number_;
  const auto place = [&] { return path_ + ":" + std::to_string(line_number_); };
  if (too_long || line.size() > kMaxLineBytes) {
    throw input_error(place() + ": the line is longer than " + std::to_string(kMaxLineBytes >> 20) +
                      " MiB; is this a text file of the expected kind?");
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (line_number_ == 1) strip_byte_order_mark(line, path_);
  const auto bad = invalid_utf8_at(line);
  if (bad != std::string::npos) {
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned char>(line[bad]));
    throw input_error(place() + ": not UTF-8 text (byte " + byte + " at column " +
                      std::to_string(utf8_length(std::string_view(line).substr(0, bad)) + 1) +
                      "); foci reads UTF-8: save the file as UTF-8 (text from Windows "
                      "converts with iconv -f WINDOWS-1252 -t UTF-8)");
  }
  return true;
}

}  // namespace foci
