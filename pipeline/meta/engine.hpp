#pragma once
// The statistic of a coordinate-based meta-analysis, computed fast enough to repeat
// thousands of times. Every experiment's modelled activation (MA) is the voxel-wise maximum
// of its foci's kernels (Turkeltaub et al. 2012); experiments combine on an additive scale:
// y = sum_i -ln(1 - MA_i) for ALE, whose statistic is 1 - exp(-y) = 1 - prod(1 - MA_i); and
// y = sum_i MA_i for MKDA density, which is the statistic itself.
//
// Arrays live on the grid padded by the largest kernel radius on every side, so a kernel box
// never needs clipping: only the boxes of the foci are ever touched, and a box that reaches
// past the grid writes into padding that no result reads.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "meta/experiments.hpp"
#include "meta/grid.hpp"
#include "meta/kernel.hpp"

namespace foci {

enum class MetaMethod { ale, mkda };
std::string to_string(MetaMethod method);

/// Everything the statistic depends on, fixed for a run.
struct MetaModel {
  MetaMethod method = MetaMethod::ale;
  std::array<int, 3> size{0, 0, 0};    ///< the grid
  int pad = 1;                         ///< voxels of padding on every side
  std::array<int, 3> padded{0, 0, 0};  ///< size + 2 pad
  std::vector<MetaKernel> kernels;     ///< one per distinct N (ALE) or the sphere (MKDA)
  /// Per kernel, the offsets (padded linear index) of its box's rows from the focus voxel.
  std::vector<std::vector<std::int64_t>> row_offsets;
  /// Per kernel, its weights row by row, each row padded with zeros to a multiple of four
  /// voxels (`row_width`), so that the loops over a row run in whole vector lanes.
  std::vector<std::vector<float>> row_weights;
  std::vector<std::size_t> row_width;
  std::vector<std::size_t> experiment_kernel;  ///< per experiment, index into kernels
  /// Per experiment, the padded linear index of each focus inside the grid.
  std::vector<std::vector<std::uint32_t>> foci;
  std::vector<std::uint8_t> mask;          ///< padded; 1 in the mask, else 0
  std::vector<std::uint32_t> mask_voxels;  ///< padded indices of mask voxels, storage order
  std::size_t padded_count() const {
    return static_cast<std::size_t>(padded[0]) * padded[1] * padded[2];
  }
  std::uint32_t padded_index(int i, int j, int k) const {
    return static_cast<std::uint32_t>(
        (i + pad) + static_cast<std::int64_t>(padded[0]) *
                        ((j + pad) + static_cast<std::int64_t>(padded[1]) * (k + pad)));
  }
  std::size_t experiment_count() const { return foci.size(); }
  /// The statistic at additive value y: 1 - exp(-y) for ALE, y for MKDA; rounded to float
  /// so that every comparison between maps and maxima is made on the same numbers.
  double stat_of(double y) const;
  /// The additive value of statistic s (inverse of stat_of).
  double y_of(double stat) const;
};

/// Builds the model: ALE kernels per distinct N (a sample size is required), or spheres of
/// `radius_mm` for MKDA.
MetaModel make_meta_model(MetaMethod method, const ExperimentSet& experiments, const MetaGrid& grid,
                          double radius_mm);

/// The analytic null (Eickhoff et al. 2012): the distribution of y at a voxel when every
/// experiment's MA is that of a voxel drawn at random from the mask, independently. Each
/// experiment's MA values over all mask voxels (zeros included) are binned on the y scale
/// into bins of `bin_width` (1e-5 for ALE, at most 1e-5 wide in ALE; 1 for MKDA, exact) and
/// the histograms are convolved, y being a sum.
struct AnalyticNull {
  double bin_width = 1e-5;
  /// tail[b] = P(y_null >= the bin b), tail[0] = 1.
  std::vector<double> tail;
  /// The smallest positive tail probability: no p is reported below it.
  double smallest = 1.0;
  /// The bin of an additive value: round(y / bin_width), half up.
  std::size_t bin_of(double y) const;
  /// p = P(y_null >= y), at least the smallest positive tail probability.
  double p_of_y(double y) const;
  /// The first bin whose p is at most `p`; tail.size() when none is.
  std::size_t threshold_bin(double p) const;
  /// The lower edge of bin b on the y scale.
  double bin_floor(std::size_t b) const { return (static_cast<double>(b) - 0.5) * bin_width; }
};

/// Per experiment, the share of mask voxels in each bin of its MA (bin 0 holds the zeros).
std::vector<std::vector<double>> experiment_histograms(const MetaModel& model, double bin_width);
AnalyticNull analytic_null(const MetaModel& model);

/// z = Phi^-1(1 - p), never below 0.
double p_to_z(double p);

/// The cluster-forming threshold: voxels whose analytic p is at most `cluster_p`, i.e. whose
/// bin is at least `bin`; `stat` is the statistic at that bin's lower edge, from which a
/// cluster's mass is counted.
struct ClusterThreshold {
  std::size_t bin = 0;
  double y_floor = 0;  ///< lower edge of the bin, y scale
  double stat = 0;     ///< stat_of(y_floor)
  bool reachable = false;
};
ClusterThreshold cluster_threshold(const MetaModel& model, const AnalyticNull& null,
                                   double cluster_p);

/// The largest cluster of one map, by size (voxels) and by mass (sum of stat - threshold);
/// the two maxima may come from different clusters.
struct ClusterMaxima {
  std::uint64_t size = 0;
  double mass = 0;
};

/// What one Monte Carlo iteration records.
struct IterationResult {
  double max_stat = 0;
  ClusterMaxima clusters;
};

/// Working arrays for computing maps; one per worker. Reused across iterations: after each
/// call every array is back to zero.
class StatWorkspace {
 public:
  explicit StatWorkspace(const MetaModel& model);

  /// The y map of foci at `positions` (per experiment, padded linear indices), on the
  /// unpadded grid, NIfTI order.
  std::vector<float> y_map(const std::vector<std::vector<std::uint32_t>>& positions);
  /// One experiment's MA on the y scale, for foci at `positions`, on the unpadded grid.
  std::vector<float> experiment_y_map(std::size_t experiment,
                                      const std::vector<std::uint32_t>& positions);
  /// The maximum statistic in the mask and the largest supra-threshold cluster (voxels in the
  /// mask at or above the threshold bin, faces connected), touching only the foci's boxes.
  IterationResult summarise(const std::vector<std::vector<std::uint32_t>>& positions,
                            const AnalyticNull& null, const ClusterThreshold& threshold);

 private:
  /// A focus, or a group of one experiment's foci whose boxes overlap (their maximum is
  /// taken before it is added), with the kernel and a key that orders units in space.
  struct Unit {
    std::uint64_t key;
    std::size_t kernel;
    std::uint32_t first, count;  ///< into unit_foci_
  };
  /// Splits the foci into units, ordered along a Z-order curve of their first focus, so
  /// that boxes near in space are visited one after the other while their rows are cached.
  void plan_units(const std::vector<std::vector<std::uint32_t>>& positions);
  void accumulate(const std::vector<std::vector<std::uint32_t>>& positions);
  std::vector<Unit> units_;
  std::vector<std::uint32_t> unit_foci_;
  const MetaModel& model_;
  std::vector<float> acc_, scratch_;
  std::vector<std::int32_t> label_;
  std::vector<std::uint32_t> found_;
  std::vector<float> found_y_;
  std::vector<float> copy_;  ///< one row, as summarise reads it
  std::vector<std::uint32_t> parent_;
};

/// Clusters of a whole map (y scale, unpadded, NIfTI order): mask voxels at or above the
/// threshold bin, faces connected, numbered from 1 in storage order of their first voxel.
struct MapClusters {
  std::vector<std::int32_t> label;  ///< per voxel, 0 outside every cluster
  std::vector<std::uint64_t> size;  ///< per cluster (index label - 1)
  std::vector<double> mass;
};
MapClusters map_clusters(const MetaModel& model, const MetaGrid& grid, const std::vector<float>& y,
                         const AnalyticNull& null, const ClusterThreshold& threshold);

}  // namespace foci
