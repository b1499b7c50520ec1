#pragma once
// Batch rendering of figure specs: deterministic slices (shards), worker processes, a
// manifest of what was made from what, and resumption of an interrupted run.
#include <ostream>
#include <string>
#include <vector>

namespace foci {

struct BatchRequest {
  std::vector<std::string> specs;
  std::string out;
  int jobs = 1;
  int shard_index = 0, shard_count = 1;
  bool resume = false;
  bool force = false;
  bool quiet = false;
  bool verbose = false;
};

struct BatchOutcome {
  std::vector<std::string> written;   ///< PNG paths rendered in this run
  std::vector<std::string> skipped;   ///< up to date (--resume)
  std::vector<std::string> failures;  ///< "NAME: reason": not written
  std::vector<std::string> warnings;  ///< "NAME: what": written, with something to say
};

/// Renders every figure of the specs that falls in this shard. A figure that fails is
/// reported and the others still render. Throws Error for a spec that cannot be read.
BatchOutcome run_batch(const BatchRequest& request, std::ostream& log);

}  // namespace foci
