#pragma once
// Where built meshes are kept between runs, and the content keys that name them.
#include <string>

#include "atlas/label_volume.hpp"

namespace foci {

/// Where meshes are cached: $FOCI_CACHE_DIR, else $XDG_CACHE_HOME/foci, else ~/.cache/foci.
std::string default_cache_directory();

/// 64-bit FNV-1a hash of a file's bytes, as hex. Throws Error (input) when it cannot be read.
std::string file_content_key(const std::string& path);
/// The cache key of meshes built from a volume: its file's content and the voxel-to-world
/// map it was read with (a manifest correction changes the second, not the first).
std::string volume_cache_key(const std::string& path, const LabelVolume& volume);
/// The same key from the map alone (a header's), without the voxels.
std::string volume_cache_key(const std::string& path, const Affine& voxel_to_world);

}  // namespace foci
