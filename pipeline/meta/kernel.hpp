#pragma once
// Modelled-activation kernels on a voxel grid: the ALE Gaussian of Eickhoff et al. (2009),
// whose width follows the experiment's sample size, and the binary sphere of MKDA (Wager et
// al. 2007). Values are kept on the scale where experiments add up (see `MetaKernel`).
//
// Eickhoff SB, Laird AR, Grefkes C, et al. Coordinate-based activation likelihood estimation
// meta-analysis of neuroimaging data. Hum Brain Mapp 30:2907-2926, 2009.
// Wager TD, Lindquist M, Kaplan L. Meta-analysis of functional neuroimaging data. Soc Cogn
// Affect Neurosci 2:150-158, 2007.
#include <array>
#include <vector>

#include "core/geometry.hpp"

namespace foci {

/// The FWHM (mm) of the ALE kernel for `sample_size` participants: the template uncertainty
/// (5.7 mm between matching points) and the between-subject uncertainty (11.6 mm, shrinking
/// with the square root of N) combined in quadrature. 10.00 mm at N = 10, 9.24 mm at N = 20.
double ale_fwhm_mm(double sample_size);

/// sigma = FWHM / sqrt(8 ln 2), in the unit of the FWHM.
double fwhm_to_sigma(double fwhm);

/// One 1-D Gaussian factor: sampled at the integer offsets -r..r, r = int(4 sigma + 0.5),
/// and normalised to sum 1 (as scipy's gaussian_filter, which NiMARE uses, builds it).
/// `sigma_voxels` in voxels.
std::vector<double> gaussian_factor(double sigma_voxels);

/// A kernel as a box of (2 rx + 1) x (2 ry + 1) x (2 rz + 1) voxels centred on the focus's
/// voxel, x fastest. `ma` holds the modelled activation (MA) of each voxel of the box;
/// `weight` the same on the additive scale the engine sums: -ln(1 - MA) for ALE, where the
/// union rule 1 - prod(1 - MA_i) becomes a sum, and MA itself for MKDA.
struct MetaKernel {
  std::array<int, 3> radius{0, 0, 0};
  std::vector<double> ma;
  std::vector<float> weight;
  std::array<int, 3> width() const {
    return {2 * radius[0] + 1, 2 * radius[1] + 1, 2 * radius[2] + 1};
  }
  double peak() const;
};

/// The ALE kernel for N participants on a grid with the given voxel sizes (mm): the
/// separable product of one Gaussian factor per axis with sigma = ale sigma / voxel size.
MetaKernel ale_kernel(double sample_size, const std::array<double, 3>& voxel_mm);

/// The MKDA kernel: 1 in every voxel whose centre lies within `radius_mm` of the focus
/// voxel's centre (through the grid's linear part, so oblique grids are measured right).
MetaKernel sphere_kernel(double radius_mm, const Affine& voxel_to_world);

}  // namespace foci
