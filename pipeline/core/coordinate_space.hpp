#pragma once
// Coordinate spaces papers report in, and the conversions to MNI that foci applies.
//
// Talairach -> MNI uses the inverse of Lancaster et al. (2007) icbm2tal transforms, one per
// normalisation software: icbm_spm (SPM's MNI template), icbm_fsl (FSL's), icbm_other (the
// pooled transform for other software). The default is icbm_other: it is the transform for
// data whose software is unknown, which is the usual case when a review collects Talairach
// peaks, and it is what NiMARE uses, so coordinates agree across the two tools. Brett's
// mni2tal (2001), the older piecewise transform, is available as `brett`.
//
// Lancaster JL, Tordesillas-Gutierrez D, Martinez M, et al. Bias between MNI and Talairach
// coordinates analyzed using the ICBM-152 brain template. Hum Brain Mapp 28:1194-1205, 2007.
#include <optional>
#include <string>
#include <vector>

#include "core/geometry.hpp"

namespace foci {

enum class CoordinateSpace { mni, talairach };
std::string to_string(CoordinateSpace space);
/// "MNI", "mni", "ICBM", "Talairach", "TAL", "tal" ...; nullopt for anything else.
std::optional<CoordinateSpace> parse_coordinate_space(const std::string& word);

enum class TalairachTransform { icbm_other, icbm_spm, icbm_fsl, brett };
constexpr TalairachTransform kDefaultTalairachTransform = TalairachTransform::icbm_other;
std::string to_string(TalairachTransform transform);
std::optional<TalairachTransform> parse_talairach_transform(const std::string& word);
std::vector<std::string> talairach_transform_names();

/// MNI -> Talairach, the published forward transforms (mm).
Vec3 mni_to_talairach(Vec3 mni, TalairachTransform transform);
/// Talairach -> MNI, their inverses (mm).
Vec3 talairach_to_mni(Vec3 talairach, TalairachTransform transform);
/// The published icbm2tal matrix (MNI -> Talairach); not defined for `brett`, which is
/// piecewise.
Affine lancaster_icbm2tal(TalairachTransform transform);

/// A point in the space it was reported in, converted to MNI.
Vec3 to_mni(Vec3 point, CoordinateSpace space, TalairachTransform transform);

}  // namespace foci
