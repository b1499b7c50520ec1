#pragma once
// Findings as data: what a paper reports, each finding with its study and the place in the
// source where it is written. Documented in findings/README.md and findings.schema.json.
#include <cstddef>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/coordinate_space.hpp"
#include "core/geometry.hpp"
#include "core/hemisphere.hpp"

namespace foci {

enum class Direction { increase, decrease, normalised, no_change };
std::string to_string(Direction d);
std::optional<Direction> parse_direction(const std::string& word);
/// "increase, decrease, normalised, no change"
const std::string& direction_words();

enum class AssociationCategory { efficacy, cognition, suicidality, inflammation, other };
std::string to_string(AssociationCategory c);
std::optional<AssociationCategory> parse_association_category(const std::string& word);

enum class AssociationSign { positive, negative, none };
std::string to_string(AssociationSign s);
std::optional<AssociationSign> parse_association_sign(const std::string& word);

/// Length limits of the strings of a findings file, in characters (as JSON Schema's maxLength
/// counts them); findings/README.md and findings.schema.json say the same. Real values are
/// far shorter: the limits stop a mistake (a whole document pasted into one cell) early,
/// with a message, and bound what every later step handles.
constexpr std::size_t kMaxIdLength = 200;  ///< study ids, finding ids, a finding's study
/// Region names, measures, timepoints, networks, association targets, scale names, the
/// keys of `imported`.
constexpr std::size_t kMaxNameLength = 1000;
/// Every other string: titles, citations, contrasts, notes, source anchors, imported values.
constexpr std::size_t kMaxTextLength = 100000;

/// The largest magnitude of a finding's `value`, and of a statistic's t and z.
constexpr double kMaxValueMagnitude = 1e12;
constexpr double kMaxStatisticMagnitude = 1e6;

/// Measures foci knows by name; the vocabulary is open, these are the spellings to prefer.
const std::vector<std::string>& known_measures();

struct ReportedCoordinate {
  Vec3 point;  ///< mm, in `space`, exactly as printed
  CoordinateSpace space = CoordinateSpace::mni;
};

/// Where a finding is: a coordinate the paper printed, a region it named, or both.
struct Location {
  std::optional<std::string> region;  ///< as written in the source
  std::optional<Hemisphere> hemisphere;
  std::optional<ReportedCoordinate> coordinate;
};

struct Association {
  std::string with;
  AssociationCategory category = AssociationCategory::other;
  std::optional<AssociationSign> sign;
  std::optional<double> r, p;
};

struct Statistic {
  std::optional<double> t, z, f, r, p;
  bool empty() const { return !t && !z && !f && !r && !p; }
};

struct Cluster {
  std::optional<long long> voxels;
  std::optional<std::array<double, 3>> voxel_size_mm;
  /// Cluster volume in mm^3 when both parts are known.
  std::optional<double> volume_mm3() const;
};

struct Finding {
  std::string id;
  std::string study;
  std::optional<std::string> measure;  ///< absent: not reported
  std::optional<std::string> contrast;
  std::optional<Direction> direction;  ///< absent: not reported
  std::optional<std::string> timepoint;
  std::optional<Location> location;  ///< exactly one of location and endpoints
  std::vector<Location> endpoints;   ///< connectivity: seed, then target
  std::optional<Cluster> cluster;
  std::optional<Statistic> statistic;
  std::optional<double> value;
  /// Participants behind the finding (the experiment's N for ALE), when reported.
  std::optional<long long> sample_size;
  std::optional<std::string> network;
  std::vector<Association> associations;
  std::string source_anchor;
  std::optional<std::string> notes;
  /// Values an importer read that the model has no place for, kept verbatim (key -> text).
  std::map<std::string, std::string> imported;

  bool is_connection() const { return !endpoints.empty(); }
};

struct Study {
  std::string id;
  std::string citation;
  std::optional<int> year;
  std::optional<std::string> reference;
  std::optional<long long> patients, controls;
  std::optional<std::string> population, medication;
  std::vector<std::string> timepoints, symptom_scales, cognitive_scales;
  std::optional<std::string> notes;
};

struct SourceInfo {
  std::string citation;
  std::optional<std::string> doi, url, language;
};

struct FindingsFile {
  std::string title;
  SourceInfo source;
  std::optional<std::string> language;
  std::vector<Study> studies;
  std::vector<Finding> findings;
  std::optional<std::string> notes;

  const Study* find_study(const std::string& id) const;
};

}  // namespace foci
