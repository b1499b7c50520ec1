#pragma once
// NIfTI label volumes in and out. Orientation follows the NIfTI standard as nibabel, FSL and
// MRIcron read it: the sform when sform_code > 0, else the qform when qform_code > 0, else
// pixdim alone. ITK 5.2 prefers the qform, and several Debian atlases carry broken qforms;
// see nifti_io.cpp for why ITK's reader is not used.
#include <array>
#include <cstddef>
#include <string>
#include <vector>

#include "atlas/label_volume.hpp"

namespace foci {

enum class OrientationSource { sform, qform, pixdim };
std::string to_string(OrientationSource source);

struct NiftiOrientation {
  OrientationSource source = OrientationSource::pixdim;
  int sform_code = 0;
  int qform_code = 0;
  Affine sform;   ///< as stored; meaningful only when sform_code > 0
  Affine qform;   ///< from the quaternion; meaningful only when qform_code > 0
  Affine pixdim;  ///< diag(pixdim[1..3]), the standard's "method 1"
  Affine chosen;  ///< voxel index -> RAS mm, by the rule above
  std::array<int, 3> size{0, 0, 0};
};

/// The most voxels foci reads from one image: 512^3 (134,217,728), half a gigabyte of int32
/// labels. Atlases are far smaller (a 1 mm MNI grid is 182 x 218 x 182, 7.2 million); a
/// header claiming more is refused before anything is allocated for it.
constexpr std::size_t kMaxVoxels = std::size_t{512} * 512 * 512;

/// Reads only the header. Throws Error (input) naming the file and what is wrong when it is
/// not a single-file NIfTI-1 image (.nii or .nii.gz) with three spatial dimensions of at
/// least 1 voxel and at most kMaxVoxels in all, when an uncompressed file is shorter than its
/// header's voxels, or when the form that orients it (see above) holds NaN or infinity.
NiftiOrientation read_nifti_orientation(const std::string& path);

/// Reads a label image: integer voxel values (any integer datatype; floats must hold whole
/// numbers) and the orientation above. Throws Error (input) naming the file, also when the
/// (compressed) data ends before the header's voxels do.
LabelVolume read_label_volume(const std::string& path);

/// Writes a label volume as NIfTI-1 (.nii or .nii.gz) with sform and qform both set to its
/// voxel_to_world, codes 4 (MNI), int32 voxels. The affine must be a rotation times positive
/// scales (what the qform can hold). Written through a TemporaryFile: the file is complete or
/// absent. Throws Error (output) naming `shown_as`, else the file.
void write_label_volume(const LabelVolume& volume, const std::string& path,
                        const std::string& shown_as = "");

/// Writes a statistical map (`values`, i fastest) as NIfTI-1 float32, oriented and written as
/// write_label_volume writes labels.
void write_float_volume(const std::vector<float>& values, const std::array<int, 3>& size,
                        const Affine& voxel_to_world, const std::string& path,
                        const std::string& shown_as = "");

}  // namespace foci
