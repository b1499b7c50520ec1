#pragma once
// A small, stable content hash (64-bit FNV-1a) for cache keys and input records: the same
// bytes give the same key on every machine and every run.
#include <cstdint>
#include <string>
#include <string_view>

namespace foci {

class ContentHash {
 public:
  void add(std::string_view bytes) {
    for (const unsigned char c : bytes) {
      value_ ^= c;
      value_ *= 1099511628211ULL;
    }
  }
  std::uint64_t value() const { return value_; }
  /// 16 hexadecimal digits.
  std::string hex() const;

 private:
  std::uint64_t value_ = 1469598103934665603ULL;
};

/// The hash of a text, as 16 hexadecimal digits.
std::string content_hash(std::string_view bytes);

}  // namespace foci
