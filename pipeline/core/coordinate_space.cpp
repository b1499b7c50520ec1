#include "core/coordinate_space.hpp"

#include <cmath>
#include <stdexcept>

#include "core/enum_names.hpp"
#include "core/text.hpp"

namespace foci {

namespace {
constexpr NameTable<TalairachTransform, 4> kTransformNames{
    {{TalairachTransform::icbm_other, "icbm_other"},
     {TalairachTransform::icbm_spm, "icbm_spm"},
     {TalairachTransform::icbm_fsl, "icbm_fsl"},
     {TalairachTransform::brett, "brett"}}};
}  // namespace

std::string to_string(TalairachTransform transform) { return name_in(kTransformNames, transform); }
std::optional<TalairachTransform> parse_talairach_transform(const std::string& word) {
  return value_in(kTransformNames, to_lower(word));
}
std::vector<std::string> talairach_transform_names() { return names_in(kTransformNames); }

std::string to_string(CoordinateSpace space) {
  return space == CoordinateSpace::mni ? "MNI" : "Talairach";
}

std::optional<CoordinateSpace> parse_coordinate_space(const std::string& word) {
  const std::string w = to_lower(trim(word));
  if (w == "mni" || w == "icbm" || w == "mni152" || w == "icbm152") return CoordinateSpace::mni;
  if (w == "talairach" || w == "tal" || w == "tlrc") return CoordinateSpace::talairach;
  return std::nullopt;
}

Affine lancaster_icbm2tal(TalairachTransform transform) {
  // Lancaster et al. (2007), the matrices of icbm_spm2tal.m, icbm_fsl2tal.m and
  // icbm_other2tal.m, to the four decimals published.
  switch (transform) {
    case TalairachTransform::icbm_spm:
      return Affine::from_rows({{{0.9254, 0.0024, -0.0118, -1.0207},
                                 {-0.0048, 0.9316, -0.0871, -1.7667},
                                 {0.0152, 0.0883, 0.8924, 4.0926}}});
    case TalairachTransform::icbm_fsl:
      return Affine::from_rows({{{0.9464, 0.0034, -0.0026, -1.0680},
                                 {-0.0083, 0.9479, -0.0580, -1.0239},
                                 {0.0053, 0.0617, 0.9010, 3.1883}}});
    case TalairachTransform::icbm_other:
      return Affine::from_rows({{{0.9357, 0.0029, -0.0072, -1.0423},
                                 {-0.0065, 0.9396, -0.0726, -1.3940},
                                 {0.0103, 0.0752, 0.8967, 3.6475}}});
    case TalairachTransform::brett:
      break;
  }
  throw std::invalid_argument("Brett's transform is piecewise, not one matrix");
}

namespace {

// Brett's mni2tal: a rotation of 0.05 rad about x, then zooms (0.99, 0.97, 0.92) above the
// AC plane (z >= 0) and (0.99, 0.97, 0.84) below it, as spm_matrix builds them.
Affine brett_matrix(double z_zoom) {
  const double c = std::cos(0.05), s = std::sin(0.05);
  return Affine::from_rows(
      {{{0.99, 0, 0, 0}, {0, c * 0.97, s * z_zoom, 0}, {0, -s * 0.97, c * z_zoom, 0}}});
}

}  // namespace

Vec3 mni_to_talairach(Vec3 mni, TalairachTransform transform) {
  if (transform == TalairachTransform::brett) {
    return brett_matrix(mni.z < 0 ? 0.84 : 0.92).apply(mni);
  }
  return lancaster_icbm2tal(transform).apply(mni);
}

Vec3 talairach_to_mni(Vec3 tal, TalairachTransform transform) {
  // The inverses are worked out once: a million coordinates need the same few matrices.
  static const struct Inverses {
    Affine brett_below = brett_matrix(0.84).inverse(), brett_above = brett_matrix(0.92).inverse();
    Affine icbm_other = lancaster_icbm2tal(TalairachTransform::icbm_other).inverse();
    Affine icbm_spm = lancaster_icbm2tal(TalairachTransform::icbm_spm).inverse();
    Affine icbm_fsl = lancaster_icbm2tal(TalairachTransform::icbm_fsl).inverse();
  } inverses;
  switch (transform) {
    case TalairachTransform::brett:
      // As Brett's tal2mni.m: the piece is chosen by the Talairach z. Near z = 0 and far from
      // y = 0 that can pick the other piece than mni2tal did, so the round trip is not exact
      // there, in the original as here.
      return (tal.z < 0 ? inverses.brett_below : inverses.brett_above).apply(tal);
    case TalairachTransform::icbm_other:
      return inverses.icbm_other.apply(tal);
    case TalairachTransform::icbm_spm:
      return inverses.icbm_spm.apply(tal);
    case TalairachTransform::icbm_fsl:
      return inverses.icbm_fsl.apply(tal);
  }
  throw std::invalid_argument("unknown Talairach transform");
}

Vec3 to_mni(Vec3 point, CoordinateSpace space, TalairachTransform transform) {
  return space == CoordinateSpace::mni ? point : talairach_to_mni(point, transform);
}

}  // namespace foci
