#pragma once
// Mapping: every finding placed in atlas space, with what each atlas says about it and what
// a careful reader would want flagged. A reported coordinate is never replaced; a region-only
// finding is placed at the centroid of its atlas labels and marked atlas-derived.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "atlas/atlas.hpp"
#include "atlas/lexicon.hpp"
#include "core/coordinate_space.hpp"
#include "findings/model.hpp"

namespace foci {

/// What the caller hands in: atlases in order (the first that has labels for a region
/// places it), the lexicon, and optionally a brain mask on any grid (non-zero = brain).
struct MappingRequest {
  std::vector<const Atlas*> atlases;
  const RegionLexicon* lexicon = nullptr;
  const LabelVolume* brain_mask = nullptr;
  TalairachTransform transform = kDefaultTalairachTransform;
  /// How far (mm) to look for the nearest label when a coordinate falls outside one.
  double search_radius_mm = 10.0;
  /// A coordinate within this distance (mm) of the region its paper names agrees with it.
  double region_tolerance_mm = 5.0;
  /// A coordinate this close to x = 0 (mm) has no side to disagree with.
  double midline_tolerance_mm = 2.0;
};

constexpr double kDefaultSearchRadiusMm = 10.0;
constexpr double kDefaultRegionToleranceMm = 5.0;

/// One finding's input, with the file it came from.
struct FindingInput {
  std::string file;
  const Finding* finding = nullptr;
  const FindingsFile* findings_file = nullptr;
};

/// One atlas's answer at a placement. The names are views into the atlas (its manifest and
/// label table), not copies: a million placements would otherwise hold millions of strings.
/// They stay valid while the atlases handed to map_findings live and do not move.
struct AtlasAnswer {
  std::string_view atlas;
  std::int32_t label = 0;
  std::string_view name;  ///< empty for label 0
  std::optional<Hemisphere> hemisphere;
  std::optional<double> distance_mm;  ///< 0 inside a label; absent when nothing within reach
};

/// Where one location (or one side of a bilateral region) was placed.
struct Placement {
  enum class Source { reported, atlas };
  Source source = Source::reported;
  Vec3 mni;                                    ///< the point, MNI mm
  std::optional<ReportedCoordinate> reported;  ///< as printed, when source is reported
  std::optional<Hemisphere> side;              ///< the side this placement stands for
  std::optional<std::string> region_id;        ///< lexicon region, when the location names one
  std::string placing_atlas;                   ///< atlas whose labels placed it (atlas source)
  bool approximate = false;                    ///< the region's labels only stand in
  std::vector<AtlasAnswer> answers;            ///< one per atlas, in request order
  int endpoint = 0;                            ///< 0 for a location, 1 or 2 for a connection
};

struct MappingWarning {
  std::string code;     ///< label-mismatch, side-flip, outside-brain, space-mixup, duplicate,
                        ///< unresolved-region
  std::string message;  ///< one sentence
};

struct MappedFinding {
  FindingInput input;
  std::vector<Placement> placements;
  std::vector<MappingWarning> warnings;
};

struct UnmappedFinding {
  FindingInput input;
  std::string reason;
};

struct MappingResult {
  std::vector<MappedFinding> mapped;
  std::vector<UnmappedFinding> unmapped;
  std::size_t input_count = 0;
  std::size_t placement_count() const;
  std::map<std::string, std::size_t> warning_counts() const;
};

/// Maps every finding; never throws for a finding it cannot place (it goes to `unmapped`
/// with its reason). Throws Error (usage) for a request without atlases or lexicon.
MappingResult map_findings(const std::vector<FindingInput>& inputs, const MappingRequest& request);

std::string to_string(Placement::Source source);

}  // namespace foci
