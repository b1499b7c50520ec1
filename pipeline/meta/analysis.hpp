#pragma once
// A whole meta-analysis: experiments, the statistic map, its analytic p and z, the Monte
// Carlo null of a run or a shard, and every output file. The command line reads the inputs
// and calls these; `foci meta combine` calls them again with the shards' nulls merged, so a
// combined run writes the same bytes as a single one.
#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "atlas/atlas.hpp"
#include "meta/engine.hpp"
#include "meta/experiments.hpp"
#include "meta/grid.hpp"
#include "meta/montecarlo.hpp"

namespace foci {

enum class FweBy { size, mass };

/// Every choice that decides the results (what `manifest.json` records and combine checks).
struct MetaOptions {
  MetaMethod method = MetaMethod::ale;
  std::vector<std::string> inputs;   ///< findings files, as given
  std::vector<std::string> filters;  ///< --filter texts, as given
  std::string mask;                  ///< a mask file; empty: ch2bet on the MNI 2 mm grid
  ExperimentOptions experiments;
  double radius_mm = 10.0;  ///< MKDA sphere
  std::uint64_t iterations = 0;
  double cluster_p = 0.001;
  double fwe_p = 0.05;
  FweBy fwe_by = FweBy::size;
  std::uint64_t seed = 0;
  std::vector<std::string> atlases{"aal"};
  int shard_index = 0, shard_count = 1;
};

/// The iterations shard I of N runs: every N-th, starting at I.
std::vector<std::uint64_t> shard_iterations(std::uint64_t iterations, int index, int count);

/// The statistic of the observed foci and everything derived from it without iterations.
struct MetaAnalysis {
  ExperimentSet experiments;
  MetaModel model;
  AnalyticNull null;
  ClusterThreshold threshold;
  std::vector<float> y;           ///< additive map, unpadded
  std::vector<float> stat, p, z;  ///< NIfTI order; outside the mask 0, 1, 0
};

MetaAnalysis analyse(const std::vector<FindingInput>& inputs, const MetaGrid& grid,
                     const MetaOptions& options);

/// A Monte Carlo null: the results of `iterations` (indices), in that order.
struct MetaNull {
  std::uint64_t seed = 0;
  std::uint64_t total = 0;  ///< iterations of the whole run
  std::vector<std::uint64_t> iterations;
  std::vector<IterationResult> results;
};

/// Runs this shard's iterations.
MetaNull run_null(const MetaAnalysis& analysis, const MetaOptions& options, int jobs,
                  std::ostream* progress);

/// null.json: the whole run's arrays in iteration order, with shard and iteration indices
/// added for a shard. read_null_json reads one back (Error input naming the file).
std::string null_json(const MetaNull& null, const MetaOptions& options);
MetaNull read_null_json(const std::string& path, int& shard_index, int& shard_count);

/// The files of a run in `out`, in the order they are written (manifest.json last).
std::vector<std::string> meta_output_names(const MetaOptions& options);

/// Writes every output. `content_hashes` of the inputs and the mask go to the manifest.
/// Files are written atomically; manifest.json, written last, says the run finished.
void write_meta_outputs(const MetaAnalysis& analysis, const MetaGrid& grid,
                        const std::vector<Atlas>& atlases, const MetaOptions& options,
                        const std::optional<MetaNull>& null,
                        const std::vector<std::string>& content_hashes,
                        const std::string& mask_hash, const std::string& out);

/// The options a manifest records, for combine; throws Error (input) naming the file.
MetaOptions read_meta_manifest(const std::string& path, std::vector<std::string>& content_hashes,
                               std::string& mask_hash);

/// The hash of a file's bytes (16 hexadecimal digits). Throws Error (input).
std::string file_hash(const std::string& path);

}  // namespace foci
