#pragma once
// The decisions of a batch run, as plain functions a unit test can call without rendering:
// which figures this shard owns, which are up to date, which may not be written, and how
// the rest are dealt to worker processes.
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "batch/figure_spec.hpp"

namespace foci {

/// One figure to draw: which spec and figure, its name, PNG path and the hash of everything
/// it is drawn from (the figure's JSON, the foci version, findings contents, atlases).
struct PlannedFigure {
  std::size_t spec = 0, figure = 0;
  std::string name, output, input_hash;
  /// Every file of the figure, one per format in FigureOptions::formats order: DIR/NAME.png,
  /// DIR/NAME.html. `output` is the first.
  std::vector<std::string> outputs;
};

struct BatchPlan {
  std::vector<PlannedFigure> to_draw;   ///< in spec order
  std::vector<std::string> up_to_date;  ///< PNG paths kept by --resume
  std::vector<std::string> failures;    ///< "NAME: reason" of figures not drawn
};

struct PlanOptions {
  std::string out;  ///< the output folder
  int shard_index = 0, shard_count = 1;
  bool resume = false, force = false;
  std::string version;  ///< foci's version, part of every input hash
  /// The files every web page is made of (template, script, NiiVue), part of the input hash
  /// of figures written as html.
  std::vector<std::string> page_assets;
};

/// Plans a run. Figure n (counted over all specs in order) belongs to shard n % count.
/// `recorded` maps figure names to the input hash a manifest recorded; `exists` says whether
/// a file exists; `content_key` gives a file's content hash.
BatchPlan plan_batch(const std::vector<SpecFile>& specs, const PlanOptions& options,
                     const std::map<std::string, std::string>& recorded,
                     const std::function<bool(const std::string&)>& exists,
                     const std::function<std::string(const std::string&)>& content_key);

/// "manifest.json" for a whole run; "manifest.shard-I-of-N.json" for a shard, so shards run
/// at the same time never overwrite each other's record.
std::string manifest_name(int shard_index, int shard_count);

/// Deals jobs to `workers` largest first, each to the least loaded worker so far, so one
/// large figure does not leave a worker idle. Returns the job indices of each worker.
std::vector<std::vector<std::size_t>> deal_largest_first(const std::vector<double>& costs,
                                                         int workers);

/// What drawing a figure costs, roughly: its pixels times (1 + its views).
double figure_cost(const FigureSpec& figure);

}  // namespace foci
