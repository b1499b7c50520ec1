#pragma once
// Writes small synthetic NIfTI label images with exactly the header a test asks for, through
// the NIfTI library ITK ships, so tests can build atlases with any qform/sform combination.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

#include "core/geometry.hpp"

namespace foci::testing {

struct SyntheticHeader {
  std::array<int, 3> size{20, 20, 20};
  std::optional<Affine> sform;  ///< written with sform_code 4 when set
  std::optional<Affine> qform;  ///< written with qform_code 1 when set (rotation x zooms only)
  /// Voxel sizes when the qform is not set; unset: the sform's column lengths (as every
  /// writer does), or 1 mm without an sform.
  std::optional<std::array<double, 3>> pixdim;
  int datatype = 8;  ///< NIFTI_TYPE_INT32; 16 for float32; 2, 4, 256, 512: (u)int8, (u)int16
  double scl_slope = 0, scl_inter = 0;  ///< stored value x slope + inter (slope 0: unscaled)
  int sform_code = 4;  ///< written with the sform: 4 MNI, 3 Talairach, ...
  int volumes = 1;     ///< more than 1: a 4-D image
};

/// Fills voxel (i, j, k) with label(i, j, k) and writes `path` (.nii or .nii.gz).
void write_synthetic_nifti(const std::string& path, const SyntheticHeader& header,
                           const std::function<double(int, int, int)>& label);
/// Fills voxel (i, j, k) of volume t with value(i, j, k, t); header.volumes volumes.
void write_synthetic_nifti(const std::string& path, const SyntheticHeader& header,
                           const std::function<double(int, int, int, int)>& value);

/// A labelling that paints axis-aligned boxes given in world mm, through `truth` (the
/// voxel-to-world map the test holds to be right): label 1 around (-30, 10, 20), label 2
/// around (30, -20, -10), label 3 around (0, 30, -30); each box is 8 mm on a side.
std::function<double(int, int, int)> paint_boxes(const Affine& truth);
/// Box centres of paint_boxes, in label order 1..3.
std::array<Vec3, 3> box_centres();

/// A fresh empty directory under the system temporary directory, removed at destruction.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  std::string path(const std::string& name) const;
  const std::string& root() const { return root_; }

 private:
  std::string root_;
};

/// Writes text to a file, for tests of readers.
void write_text(const std::string& path, const std::string& text);
/// Writes `text`, `repeat` times over, gzip-compressed (a file far smaller than its text).
void write_gzipped(const std::string& path, const std::string& text, std::size_t repeat = 1);
/// The peak resident memory of this process so far, in KiB (ru_maxrss).
long peak_rss_kib();

}  // namespace foci::testing
