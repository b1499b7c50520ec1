#pragma once
// Volumetric maps drawn over the brain: statistical maps (SPM, FSL, NeuroVault, `foci map`,
// `foci meta`) and label maps, read from any NIfTI grid and placed in MNI RAS mm by the same
// rule as atlases (sform first, then qform, then pixdim). Plain values, no VTK: the 3D
// renderer and the 2D slices both draw from here.
#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/geometry.hpp"

namespace foci {

/// A map named on the command line: "MAP.nii.gz" or "MAP.nii.gz:INDEX" (0-based volume of a
/// 4-D file).
struct OverlaySource {
  std::string path;
  int volume = 0;
};
/// ":INDEX" is split off only when INDEX is all digits, so paths with colons still work.
/// Throws Error (usage) when INDEX is too large for a volume number.
OverlaySource parse_overlay_source(const std::string& text);

enum class OverlayKind { signed_values, positive, negative, labels };
std::string to_string(OverlayKind kind);

struct OverlayLoadOptions {
  bool space_ok = false;    ///< accept a map whose header says Talairach
  std::string title;        ///< shown on the colour bar; empty: the file name
  std::string label_table;  ///< names of label values; empty: a table beside the map, if any
};

struct OverlayMap {
  std::string path;           ///< as given
  int volume = 0;             ///< of a 4-D file, from 0
  std::string title;          ///< options.title, else the file name without .nii/.nii.gz
  std::array<int, 3> size{};  ///< voxels along i, j, k; i fastest in `values`
  std::vector<float> values;  ///< scaled by scl_slope/scl_inter; NaN kept
  Affine voxel_to_mni;        ///< voxel index -> MNI RAS mm (voxel centres)
  Affine mni_to_voxel;        ///< MNI RAS mm -> continuous voxel index
  OverlayKind kind = OverlayKind::signed_values;
  float min_value = 0, max_value = 0;  ///< over finite values, as loaded
  Vec3 peak_mni;                       ///< MNI mm of the largest |value|; ties: lowest voxel index
  float peak_value = 0;
  std::map<int, std::string> label_names;  ///< labels maps: value -> name, for values present

  enum class Sampling { nearest, trilinear };
  /// The value at a point in MNI RAS mm; NaN outside the grid (trilinear: outside the voxel
  /// centres' hull).
  float value_at(Vec3 mni, Sampling sampling) const;

  std::size_t voxel_count() const { return values.size(); }
  std::size_t offset(int i, int j, int k) const {
    return static_cast<std::size_t>(i) +
           static_cast<std::size_t>(size[0]) * (j + static_cast<std::size_t>(size[1]) * k);
  }
};

/// Reads and checks a map. Throws Error (input) naming the file when it is not a NIfTI-1
/// image, is 2-D, has no volume `source.volume` (saying how many it has), holds only zeros or
/// only NaN, has more voxels than atlases may (kMaxVoxels), says it is in Talairach space
/// (sform_code or qform_code 3, whichever orients it) and `space_ok` is false, or has a label
/// table while its values are not whole numbers.
OverlayMap load_overlay(const OverlaySource& source, const OverlayLoadOptions& options);

/// Sets |value| < threshold to 0, then clusters (26-connected voxels of one sign) of fewer
/// than `cluster_min_voxels` voxels to 0. Label maps are left as they are (their values are
/// names, not strengths). NaN stays NaN.
void apply_threshold(OverlayMap& map, double threshold, int cluster_min_voxels);

/// Colours are 8-bit RGBA; alpha 0 means "draw nothing here".
using Rgba8 = std::array<std::uint8_t, 4>;

struct OverlayLabelColour {
  int value = 0;
  std::string name;
  Rgba8 colour{};
};

/// How values become colours, and what a colour bar or legend says about it.
struct OverlayColours {
  OverlayKind kind = OverlayKind::signed_values;
  std::string colormap;  ///< the name used ("cold_hot", "hot", ...; "labels" for label maps)
  std::string title;     ///< the map's title
  double threshold = 0;  ///< |value| below this is transparent
  /// The values the colour bar spans: -vmax..vmax for signed maps, threshold..vmax for
  /// positive ones, -vmax..-threshold for negative ones.
  double bar_minimum = 0, bar_maximum = 1;
  /// Whether no voxel reaches the threshold (the figure should say so).
  bool nothing_above_threshold = false;
  double largest_magnitude = 0;            ///< the largest finite |value| of the map as given
  std::vector<OverlayLabelColour> labels;  ///< label maps: one per value present, by value

  /// The colour of a value; alpha 0 for NaN, 0 and |value| < threshold (labels: for 0 and
  /// values without a colour).
  Rgba8 colour_of(double value) const;

  // How colour_of works; filled by overlay_colours.
  bool diverging = true;  ///< positive and negative values on separate ramps from the threshold
  std::vector<std::array<std::uint8_t, 3>> positive_ramp, negative_ramp;
  double vmax = 1;
};

/// The names colormap accepts besides "auto".
std::vector<std::string> overlay_colormap_names();

/// auto: a signed map gets the diverging `cold_hot` (positive red to yellow, negative blue to
/// cyan, each from the threshold to vmax), a positive map `hot`, a negative map `cold` (by
/// magnitude), a label map one colour per label. `vmax` defaults to the largest |value| left
/// after thresholding. Throws Error (usage) for an unknown colormap name or vmax <= 0.
OverlayColours overlay_colours(const OverlayMap& map, const std::string& colormap, double threshold,
                               std::optional<double> vmax);

}  // namespace foci
