#pragma once
// Statistical maps out as NIfTI-1 float32, beside the atlas stage's int32 label writer.
#include <array>
#include <string>
#include <vector>

#include "core/geometry.hpp"

namespace foci {

/// Writes `values` (i fastest, NIfTI order) as float32 with sform and qform both set to
/// voxel_to_world, codes 4 (MNI), to a temporary name beside `path` that is then renamed
/// over it. The affine must be a rotation times positive scales. Throws Error (output).
void write_float_volume(const std::vector<float>& values, const std::array<int, 3>& size,
                        const Affine& voxel_to_world, const std::string& path);

}  // namespace foci
