#include "app/cache.hpp"

#include <cmath>
#include <cstdlib>
#include <fstream>

#include "core/error.hpp"
#include "core/hash.hpp"

namespace foci {

std::string file_content_key(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw input_error("cannot read '" + path + "'");
  ContentHash hash;
  char buffer[1 << 16];
  while (in) {
    in.read(buffer, sizeof buffer);
    hash.add(std::string_view(buffer, static_cast<std::size_t>(in.gcount())));
  }
  return hash.hex();
}

std::string volume_cache_key(const std::string& path, const LabelVolume& volume) {
  return volume_cache_key(path, volume.voxel_to_world);
}

std::string volume_cache_key(const std::string& path, const Affine& voxel_to_world) {
  ContentHash hash;
  for (const auto& row : voxel_to_world.m) {
    for (const double v : row) {
      const long long fixed = std::llround(v * 1000);
      for (int b = 0; b < 8; ++b) {
        const char byte = static_cast<char>(fixed >> (8 * b));
        hash.add(std::string_view(&byte, 1));
      }
    }
  }
  return file_content_key(path) + "-" + hash.hex();
}

std::string default_cache_directory() {
  if (const char* d = std::getenv("FOCI_CACHE_DIR"); d && *d) return d;
  if (const char* d = std::getenv("XDG_CACHE_HOME"); d && *d) return std::string(d) + "/foci";
  if (const char* d = std::getenv("HOME"); d && *d) return std::string(d) + "/.cache/foci";
  return ".foci-cache";
}

}  // namespace foci
