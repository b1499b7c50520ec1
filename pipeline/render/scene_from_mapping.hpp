#pragma once
// From mapped findings to what a panel draws: reported coordinates become nodes, region
// findings become region surfaces (or nodes at their placement), connections become edges.
// Plain values only; no VTK.
#include <map>
#include <string>
#include <vector>

#include "mapping/mapping.hpp"
#include "render/scene.hpp"

namespace foci {

/// Which findings a panel shows: every key must match; a key's values are alternatives.
/// Keys: measure, direction, study, timepoint, category (of an association), network, file.
/// Values compare without regard to case.
struct FindingFilter {
  std::map<std::string, std::vector<std::string>> conditions;
  bool matches(const FindingInput& input) const;
  bool empty() const { return conditions.empty(); }
};

/// Parses "measure=ReHo,direction=increase" (and "measure=ALFF|fALFF"); adds to `filter`.
/// Throws Error (usage) for a malformed condition or an unknown key.
void add_filter_conditions(FindingFilter& filter, const std::string& text);

enum class RegionStyle { surface, node };
/// What a finding's colour says: its direction (red up, blue down), its measure (one colour
/// each, with a legend), or its value (`value`, else t, z or r) through a colour scale.
enum class ColourBy { direction, measure, value };

struct SceneOptions {
  RegionStyle regions = RegionStyle::surface;
  ColourBy colour_by = ColourBy::direction;
  bool labels = false;
  double default_node_radius_mm = 4.0;
  /// Findings on a lobe or a hemisphere: tinted or outlined beneath the specific regions,
  /// or left out and named in the panel's caption.
  CoarseStyle coarse = CoarseStyle::tint;
  /// Cache key of each atlas's volume (by atlas name): see render.hpp volume_cache_key.
  std::map<std::string, std::string> volume_keys;
  /// Where a region whose mesh the cache lacks gets its atlas's voxels, by atlas name; the
  /// atlas's own volume for an atlas not named.
  std::map<std::string, VolumeSource> volumes;
};

/// Fills a panel's nodes, edges, regions and legend from the mapped findings that pass the
/// filter. Returns how many findings it drew.
std::size_t fill_panel(Panel& panel, const MappingResult& mapped, const FindingFilter& filter,
                       const std::vector<const Atlas*>& atlases, const RegionLexicon& lexicon,
                       const SceneOptions& options);

}  // namespace foci
