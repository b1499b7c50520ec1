#include "findings/model.hpp"

#include "core/text.hpp"

namespace foci {

std::string to_string(Direction d) {
  switch (d) {
    case Direction::increase:
      return "increase";
    case Direction::decrease:
      return "decrease";
    case Direction::normalised:
      return "normalised";
    case Direction::no_change:
      return "no change";
  }
  return "?";
}

std::optional<Direction> parse_direction(const std::string& word) {
  for (auto d :
       {Direction::increase, Direction::decrease, Direction::normalised, Direction::no_change}) {
    if (word == to_string(d)) return d;
  }
  return std::nullopt;
}

std::string direction_words() { return "increase, decrease, normalised, no change"; }

std::string to_string(AssociationCategory c) {
  switch (c) {
    case AssociationCategory::efficacy:
      return "efficacy";
    case AssociationCategory::cognition:
      return "cognition";
    case AssociationCategory::suicidality:
      return "suicidality";
    case AssociationCategory::inflammation:
      return "inflammation";
    case AssociationCategory::other:
      return "other";
  }
  return "?";
}

std::optional<AssociationCategory> parse_association_category(const std::string& word) {
  for (auto c : {AssociationCategory::efficacy, AssociationCategory::cognition,
                 AssociationCategory::suicidality, AssociationCategory::inflammation,
                 AssociationCategory::other}) {
    if (word == to_string(c)) return c;
  }
  return std::nullopt;
}

std::string to_string(AssociationSign s) {
  switch (s) {
    case AssociationSign::positive:
      return "positive";
    case AssociationSign::negative:
      return "negative";
    case AssociationSign::none:
      return "none";
  }
  return "?";
}

std::optional<AssociationSign> parse_association_sign(const std::string& word) {
  for (auto s : {AssociationSign::positive, AssociationSign::negative, AssociationSign::none}) {
    if (word == to_string(s)) return s;
  }
  return std::nullopt;
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
