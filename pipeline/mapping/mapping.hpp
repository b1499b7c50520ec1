#pragma once
// Mapping: every finding placed in atlas space, with what each atlas says about it and what
// a careful reader would want flagged. A reported coordinate is never replaced; a region-only
// finding is placed at the centroid of its atlas labels and marked atlas-derived.
#include <boost/container/small_vector.hpp>

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

/// One atlas's answer at a placement. It holds its atlas by pointer and looks its label's
/// name up when asked: a million placements hold an answer per atlas each, 40 bytes where
/// two string views made one 64. Valid while the atlases handed to map_findings live and
/// do not move.
struct AtlasAnswer {
  const Atlas* source = nullptr;
  std::optional<double> distance_mm;  ///< 0 inside a label; absent when nothing within reach
  std::int32_t label = 0;
  std::optional<Hemisphere> hemisphere;
  /// The atlas's name.
  std::string_view atlas() const;
  /// The label's name; empty for label 0 (or a value the atlas's table lacks).
  std::string_view name() const;
};

/// The atlases' answers at a placement. Up to three are held in the placement itself: a
/// million placements made (and freed) a million small arrays, a fifth of mapping them.
using AtlasAnswers = boost::container::small_vector<AtlasAnswer, 3>;

/// Where one location (or one side of a bilateral region) was placed. (The members that
/// own memory come first, next to each other: freeing a million mapped findings then reads
/// the first half of each, not all of it.)
struct Placement {
  std::optional<std::string> region_id;  ///< lexicon region, when the location names one
  std::string placing_atlas;             ///< atlas whose labels placed it (atlas source)
  AtlasAnswers answers;                  ///< one per atlas, in request order
  enum class Source { reported, atlas };
  Source source = Source::reported;
  int endpoint = 0;                            ///< 0 for a location, 1 or 2 for a connection
  Vec3 mni;                                    ///< the point, MNI mm
  std::optional<ReportedCoordinate> reported;  ///< as printed, when source is reported
  std::optional<Hemisphere> side;              ///< the side this placement stands for
  bool approximate = false;                    ///< the region's labels only stand in
};

struct MappingWarning {
  std::string code;     ///< label-mismatch, side-flip, outside-brain, space-mixup, duplicate,
                        ///< unresolved-region
  std::string message;  ///< one sentence
};

/// A finding's placements: one (a location, or a region on one side) is held in the finding
/// itself; two or more (a connection, a region on both sides) are allocated.
using Placements = boost::container::small_vector<Placement, 1>;

struct MappedFinding {
  FindingInput input;
  std::vector<MappingWarning> warnings;
  Placements placements;  ///< last, for the reason Placement gives
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
