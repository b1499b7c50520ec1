#pragma once
// Reading text files line by line, plain or gzip-compressed (Neurosynth ships .tsv.gz), with
// the checks every text input of foci gets: the text is UTF-8 (a UTF-8 byte-order mark is
// skipped, UTF-16 is refused), no line is absurdly long, and compressed text does not
// inflate without bound. Only the current line is held, so memory does not grow with the
// file.
#include <cstddef>
#include <cstdint>
#include <string>

namespace foci {

/// Compressed text is read up to this many bytes once uncompressed (1 GiB). Deflate inflates
/// up to a thousandfold, so a 1 MB file could otherwise unpack to a gigabyte; real inputs
/// are far smaller (Neurosynth's whole database is some 50 MB uncompressed).
constexpr std::uint64_t kMaxDecompressedTextBytes = std::uint64_t{1} << 30;
/// A line longer than this (16 MiB) is refused: no table row or label line comes near it,
/// and the limit bounds what one line can cost.
constexpr std::size_t kMaxLineBytes = std::size_t{16} << 20;

class TextFileReader {
 public:
  /// Opens `path`. Throws Error (input) naming it when it is missing or cannot be opened.
  /// `max_decompressed` replaces kMaxDecompressedTextBytes (for tests).
  explicit TextFileReader(const std::string& path,
                          std::uint64_t max_decompressed = kMaxDecompressedTextBytes);
  ~TextFileReader();
  TextFileReader(const TextFileReader&) = delete;
  TextFileReader& operator=(const TextFileReader&) = delete;

  /// The next line into `line`, without its line ending ("\n" or "\r\n"); false at the end of
  /// the file. Throws Error (input) "FILE:LINE: ..." for a UTF-16 file, a line that is not
  /// UTF-8 or is longer than kMaxLineBytes, and "FILE: ..." for damaged compressed data or
  /// more than kMaxDecompressedTextBytes of it.
  bool next(std::string& line);
  /// The 1-based number of the line `next` gave last (0 before the first).
  std::size_t line_number() const { return line_number_; }
  const std::string& path() const { return path_; }

 private:
  bool fill();

  std::string path_;
  void* file_ = nullptr;  ///< a gzFile; void* keeps zlib.h out of this header
  std::string buffer_;
  std::size_t position_ = 0;
  std::uint64_t max_decompressed_;
  std::uint64_t bytes_read_ = 0;
  std::size_t line_number_ = 0;
  bool end_ = false;
};

}  // namespace foci
