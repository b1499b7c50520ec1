#pragma once
// The region lexicon (atlases/regions.json): the names papers give regions, in English,
// Chinese and abbreviations, and the atlas labels each stands for. Format in
// atlases/README.md.
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "atlas/atlas.hpp"
#include "core/hemisphere.hpp"

namespace foci {

struct LexiconAtlasMapping {
  std::vector<std::string> labels;  ///< base names; `_L`/`_R` added for lateralised atlases
  bool approximate = false;
  std::string why;
};

/// How much of the brain a region's name covers: a specific region, a lobe (or a part of
/// the brain as large: prefrontal cortex, frontotemporal cortex), or a whole hemisphere
/// (cerebral hemisphere, cerebral cortex). Figures draw lobe and hemisphere findings as a
/// coarse layer beneath the specific ones.
enum class RegionExtent { region, lobe, hemisphere };
std::string to_string(RegionExtent extent);
std::optional<RegionExtent> parse_region_extent(const std::string& word);

struct LexiconRegion {
  std::string id, en, zh;
  std::vector<std::string> aliases;
  bool lateralised = true;
  RegionExtent extent = RegionExtent::region;
  std::vector<std::string> networks;
  std::map<std::string, LexiconAtlasMapping> atlases;  ///< by atlas manifest name
};

/// A region name split into its side words and the rest: "右侧海马" -> right + "海马",
/// "HIP.R" -> right + "HIP", "Left DLPFC" -> left + "DLPFC", "额下回左侧三角形部分" ->
/// left + "额下回三角形部分".
struct SideAndName {
  std::optional<Hemisphere> hemisphere;
  std::string name;
};
SideAndName split_side(std::string_view written);

/// What a written name resolved to.
struct ResolvedRegion {
  const LexiconRegion* region = nullptr;
  /// The side the name states (nullopt: none stated).
  std::optional<Hemisphere> hemisphere;
};

/// One atlas label a region stands for.
struct RegionLabel {
  std::int32_t label = 0;
  std::string name;
  Hemisphere hemisphere = Hemisphere::bilateral;
  bool approximate = false;
  std::string why;
};

class RegionLexicon {
 public:
  /// Reads and checks a lexicon: unknown keys, and a name or alias used by two regions, are
  /// errors (Error, input) with the file and JSON pointer.
  static RegionLexicon load(const std::string& path);
  /// atlases/regions.json beside the atlas manifests.
  static RegionLexicon load_default();

  const std::vector<LexiconRegion>& regions() const { return regions_; }
  /// The region with this id; nullptr when there is none.
  const LexiconRegion* find(const std::string& id) const;
  /// "English (中文)" for a region id, the English name alone when it has no Chinese one,
  /// and the id itself when the lexicon has no such region.
  std::string display_name(const std::string& id) const;

  /// nullopt when the name (after its side words are removed) is not in the lexicon. Never
  /// guesses: only exact matches of a name or alias, ignoring case, spacing, `_`, `-` and
  /// surrounding punctuation.
  std::optional<ResolvedRegion> resolve(std::string_view written) const;
  /// Up to `limit` lexicon names closest to an unresolved name, best first.
  std::vector<std::string> suggest(std::string_view written, std::size_t limit = 5) const;

  /// The labels of `atlas` that make up `region` on `side` (nullopt or bilateral: both
  /// sides). Throws Error (input) when the lexicon has no labels for the region in that
  /// atlas, saying why when the lexicon does.
  std::vector<RegionLabel> labels_in(const Atlas& atlas, const LexiconRegion& region,
                                     std::optional<Hemisphere> side) const;

  /// The matching key of a name: lower case, `_`/`-`/`:` as spaces, spaces collapsed,
  /// surrounding punctuation removed.
  static std::string key_of(std::string_view name);

 private:
  std::vector<LexiconRegion> regions_;
  std::unordered_map<std::string, std::size_t> by_key_;
  std::unordered_map<std::string, std::size_t> by_id_;
  std::vector<std::string> display_names_;  ///< every name and alias, for suggestions
};

}  // namespace foci
