#pragma once
// Monte Carlo family-wise error: each iteration moves every focus to a mask voxel drawn at
// random and records the maximum statistic and the largest supra-threshold cluster (size and
// mass). Iteration i draws from a generator seeded by (seed, i) alone, so any slice of the
// iterations - a shard, a worker's share - gives the same numbers as a whole run.
#include <cstdint>
#include <functional>
#include <ostream>
#include <vector>

#include "meta/engine.hpp"

namespace foci {

/// A small, fast generator (xoshiro256**), seeded through SplitMix64 from (seed, iteration).
class IterationRandom {
 public:
  IterationRandom(std::uint64_t seed, std::uint64_t iteration);
  std::uint64_t next();
  /// Uniform in [0, n), n > 0, without modulo bias (Lemire's multiply-and-reject).
  std::uint64_t below(std::uint64_t n);

 private:
  std::uint64_t s_[4];
};

/// The random foci of iteration i: as many per experiment as the model has, each at a mask
/// voxel drawn uniformly.
std::vector<std::vector<std::uint32_t>> random_positions(const MetaModel& model, std::uint64_t seed,
                                                         std::uint64_t iteration);

struct MonteCarloRequest {
  std::uint64_t seed = 0;
  std::vector<std::uint64_t> iterations;  ///< which iterations to run
  int jobs = 1;                           ///< worker processes
  std::ostream* progress = nullptr;       ///< a bar with the time left, when a terminal
};

/// Runs the iterations, in worker processes when jobs > 1; the results come back in the
/// order of `request.iterations`. Throws Error (internal) when a worker dies.
std::vector<IterationResult> run_monte_carlo(const MetaModel& model, const AnalyticNull& null,
                                             const ClusterThreshold& threshold,
                                             const MonteCarloRequest& request);

}  // namespace foci
