#include "findings/model.hpp"

#include "core/enum_names.hpp"
#include "core/text.hpp"

namespace foci {

namespace {
constexpr NameTable<Direction, 4> kDirectionNames{{{Direction::increase, "increase"},
                                                   {Direction::decrease, "decrease"},
                                                   {Direction::normalised, "normalised"},
                                                   {Direction::no_change, "no change"}}};
constexpr NameTable<AssociationCategory, 5> kCategoryNames{
    {{AssociationCategory::efficacy, "efficacy"},
     {AssociationCategory::cognition, "cognition"},
     {AssociationCategory::suicidality, "suicidality"},
     {AssociationCategory::inflammation, "inflammation"},
     {AssociationCategory::other, "other"}}};
constexpr NameTable<AssociationSign, 3> kSignNames{{{AssociationSign::positive, "positive"},
                                                    {AssociationSign::negative, "negative"},
                                                    {AssociationSign::none, "none"}}};
}  // namespace

std::string to_string(Direction d) { return name_in(kDirectionNames, d); }
std::optional<Direction> parse_direction(const std::string& word) {
  return value_in(kDirectionNames, word);
}
std::string to_string(AssociationCategory c) { return name_in(kCategoryNames, c); }
std::optional<AssociationCategory> parse_association_category(const std::string& word) {
  return value_in(kCategoryNames, word);
}
std::string to_string(AssociationSign s) { return name_in(kSignNames, s); }
std::optional<AssociationSign> parse_association_sign(const std::string& word) {
  return value_in(kSignNames, word);
}

const std::string& direction_words() {
  static const std::string words = join(names_in(kDirectionNames), ", ");
  return words;
}

const std::vector<std::string>& known_measures() {
  static const std::vector<std::string> measures{"grey-matter volume",
                                                 "cortical thickness",
                                                 "R2*",
                                                 "FA",
                                                 "MD",
                                                 "ReHo",
                                                 "ALFF",
                                                 "fALFF",
                                                 "degree centrality",
                                                 "functional connectivity",
                                                 "effective connectivity"};
  return measures;
}

std::optional<double> Cluster::volume_mm3() const {
  if (!voxels || !voxel_size_mm) return std::nullopt;
  const auto& s = *voxel_size_mm;
  return static_cast<double>(*voxels) * s[0] * s[1] * s[2];
}

const Study* FindingsFile::find_study(const std::string& id) const {
  for (const auto& s : studies) {
    if (s.id == id) return &s;
  }
  return nullptr;
}

}  // namespace foci
