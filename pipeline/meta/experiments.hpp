#pragma once
// Experiments of a coordinate-based meta-analysis: the foci of one study and one contrast
// (or of one study, its contrasts pooled), each with its sample size N and every focus placed
// on the analysis grid.
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "core/coordinate_space.hpp"
#include "mapping/mapping.hpp"
#include "meta/grid.hpp"

namespace foci {

enum class GroupBy { contrast, study };
/// nearest: the voxel whose centre is nearest (a continuous index rounded half up), as
/// `foci map` looks points up; floor: the continuous index truncated, as NiMARE does (which
/// for an index between -1 and 0 gives 0, as NiMARE's does).
enum class VoxelRule { nearest, floor };

struct ExperimentOptions {
  GroupBy group_by = GroupBy::contrast;
  VoxelRule voxel_rule = VoxelRule::nearest;
  TalairachTransform transform = kDefaultTalairachTransform;
  /// N for experiments whose findings and study give none.
  std::optional<double> default_sample_size;
  /// Refuse, listing them, experiments without N (ALE needs N; MKDA does not).
  bool require_sample_size = true;
};

struct MetaFocus {
  std::string file;
  std::string finding_id;
  std::string place;  ///< "FILE: /findings/N", for messages
  Vec3 reported;      ///< as printed, in `space`
  CoordinateSpace space = CoordinateSpace::mni;
  Vec3 mni;                           ///< after the Talairach conversion
  std::array<int, 3> voxel{0, 0, 0};  ///< grid index (meaningful when inside the grid)
  bool in_grid = false;
  bool in_mask = false;
  std::string experiment;  ///< the id of its experiment
};

struct Experiment {
  std::string id;  ///< "study: contrast", or "study" (grouped by study, or no contrast)
  std::string study;
  std::optional<std::string> contrast;
  std::optional<double> sample_size;
  /// How N was found: "sample_size" (mean of the findings' values), "patients",
  /// "patients + controls", "--sample-size"; empty without N.
  std::string sample_size_source;
  std::vector<MetaFocus> foci;  ///< those inside the grid
};

struct ExperimentSet {
  std::vector<Experiment> experiments;
  std::vector<MetaFocus> outside_grid;          ///< left out, listed in the report
  std::size_t findings_without_coordinate = 0;  ///< region-only findings and connections
  std::size_t focus_count() const;
  std::vector<const MetaFocus*> outside_mask() const;
};

/// Whether a contrast compares a patient group with controls, so that both groups are in
/// the experiment's N: its text has a comparison (" vs ", "versus", ">", "<", "compared")
/// and a control group ("control(s)", "HC", "healthy", "NC"), whole words, any case.
bool contrast_compares_groups(const std::string& contrast);

/// Groups the findings that have a reported coordinate into experiments, in order of first
/// appearance, finds each one's N and places its foci on the grid. A study id names the same
/// study in every file. Throws Error (input) for a coordinate that is not a finite number
/// (naming the file and finding), for no finding with a coordinate, and, when N is required,
/// for experiments without one (listing every one).
ExperimentSet build_experiments(const std::vector<FindingInput>& inputs, const MetaGrid& grid,
                                const ExperimentOptions& options);

}  // namespace foci
