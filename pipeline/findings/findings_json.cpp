#include "findings/findings_json.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <set>
#include <sstream>
#include <string_view>

#include "core/error.hpp"
#include "core/json_file.hpp"
#include "core/text.hpp"
#include "findings/coordinate_table.hpp"

namespace foci {

using json = nlohmann::json;

namespace {

std::string quoted(const json& value) {
  std::string text = value.dump();
  if (text.size() > 60) text = text.substr(0, 57) + "...";
  return text;
}

std::string type_name(const json& value) {
  if (value.is_null()) return "null";
  if (value.is_boolean()) return "true/false";
  if (value.is_number()) return "a number";
  if (value.is_string()) return "a string";
  if (value.is_array()) return "a list";
  return "an object";
}

/// Walks a document, remembering every problem with its JSON pointer.
class Checker {
 public:
  explicit Checker(std::vector<FindingsProblem>& problems) : problems_(problems) {}

  void problem(const std::string& pointer, const std::string& message) {
    problems_.push_back({pointer, message});
  }

  bool is_object(const json& v, const std::string& at) {
    if (v.is_object()) return true;
    problem(at, "expected an object, got " + type_name(v));
    return false;
  }

  void only_keys(const json& object, std::initializer_list<std::string_view> known,
                 const std::string& at) {
    // Every unknown key is a problem of its own: validation lists them all. Keys are compared
    // with the list as written: a set of the known keys made for every object (a finding's
    // 17) cost a tenth of reading a large findings file.
    for (const auto& [key, value] : object.items()) {
      if (std::find(known.begin(), known.end(), key) != known.end()) continue;
      const std::set<std::string> names(known.begin(), known.end());
      if (const auto unknown = find_unknown_key(json{{key, nullptr}}, names, at)) {
        problems_.push_back({unknown->pointer, unknown->message});
      }
    }
  }

  std::optional<std::string> string(const json& object, const std::string& key,
                                    const std::string& at, bool required,
                                    std::size_t limit = kMaxTextLength) {
    const auto found = object.find(key);  // one search of the object, not two
    if (found == object.end()) {
      if (required) problem(at + "/" + key, "required key is missing");
      return std::nullopt;
    }
    const auto& v = *found;
    if (!v.is_string()) {
      problem(at + "/" + key, "expected a string, got " + type_name(v));
      return std::nullopt;
    }
    const auto& text = v.get_ref<const std::string&>();
    if (text.empty()) {
      problem(at + "/" + key, "must not be empty");
      return std::nullopt;
    }
    if (!within(text, limit, at + "/" + key)) return std::nullopt;
    return text;
  }

  /// Whether `text` has at most `limit` characters; a problem at `at` when not.
  bool within(const std::string& text, std::size_t limit, const std::string& at) {
    // Bytes first: a string with no more bytes than the limit has no more characters.
    if (text.size() <= limit) return true;
    const std::size_t length = utf8_length(text);
    if (length <= limit) return true;
    problem(at, "is " + std::to_string(length) + " characters long; at most " +
                    std::to_string(limit) + " are allowed (\"" + excerpt(text, 40) + "\")");
    return false;
  }

  std::optional<double> number(const json& object, const std::string& key, const std::string& at,
                               double lo, double hi) {
    if (!object.contains(key)) return std::nullopt;
    const auto& v = object[key];
    if (!v.is_number()) {
      problem(at + "/" + key, "expected a number, got " + type_name(v));
      return std::nullopt;
    }
    const double d = v.get<double>();
    if (!std::isfinite(d) || d < lo || d > hi) {
      std::ostringstream range;
      range << "expected a number from " << lo << " to " << hi << ", got " << quoted(v);
      problem(at + "/" + key, range.str());
      return std::nullopt;
    }
    return d;
  }

  std::optional<long long> count(const json& object, const std::string& key, const std::string& at,
                                 long long minimum) {
    if (!object.contains(key)) return std::nullopt;
    const auto& v = object[key];
    if (!v.is_number_integer() || v.get<long long>() < minimum) {
      problem(at + "/" + key, "expected a whole number of at least " + std::to_string(minimum) +
                                  ", got " + quoted(v));
      return std::nullopt;
    }
    return v.get<long long>();
  }

  std::vector<std::string> strings(const json& object, const std::string& key,
                                   const std::string& at, std::size_t limit) {
    std::vector<std::string> out;
    if (!object.contains(key)) return out;
    const auto& v = object[key];
    if (!v.is_array()) {
      problem(at + "/" + key, "expected a list of strings, got " + type_name(v));
      return out;
    }
    for (std::size_t n = 0; n < v.size(); ++n) {
      if (!v[n].is_string()) {
        problem(at + "/" + key + "/" + std::to_string(n), "expected a string");
      } else if (within(v[n].get_ref<const std::string&>(), limit,
                        at + "/" + key + "/" + std::to_string(n))) {
        out.push_back(v[n].get<std::string>());
      }
    }
    return out;
  }

  template <typename Enum>
  std::optional<Enum> word(const json& object, const std::string& key, const std::string& at,
                           bool required, std::optional<Enum> (*parse)(const std::string&),
                           const std::string& allowed) {
    const auto text = string(object, key, at, required);
    if (!text) return std::nullopt;
    const auto parsed = parse(*text);
    if (!parsed) {
      problem(at + "/" + key, "expected one of " + allowed + "; got \"" + excerpt(*text) + "\"");
    }
    return parsed;
  }

 private:
  std::vector<FindingsProblem>& problems_;
};

std::optional<Hemisphere> parse_location_hemisphere(const std::string& word) {
  if (word == "left") return Hemisphere::left;
  if (word == "right") return Hemisphere::right;
  if (word == "bilateral") return Hemisphere::bilateral;
  return std::nullopt;
}

std::optional<CoordinateSpace> parse_space_word(const std::string& word) {
  if (word == "MNI") return CoordinateSpace::mni;
  if (word == "Talairach") return CoordinateSpace::talairach;
  return std::nullopt;
}

std::optional<Location> parse_location(Checker& c, const json& v, const std::string& at) {
  if (!c.is_object(v, at)) return std::nullopt;
  c.only_keys(v, {"region", "hemisphere", "coordinate"}, at);
  Location location;
  location.region = c.string(v, "region", at, false, kMaxNameLength);
  location.hemisphere = c.word<Hemisphere>(v, "hemisphere", at, false, parse_location_hemisphere,
                                           "left, right, bilateral");
  if (v.contains("coordinate")) {
    const auto& coordinate = v["coordinate"];
    const std::string here = at + "/coordinate";
    if (c.is_object(coordinate, here)) {
      c.only_keys(coordinate, {"x", "y", "z", "space"}, here);
      double xyz[3];
      bool complete = true;
      for (int a = 0; a < 3; ++a) {
        const std::string axis(1, "xyz"[a]);
        if (!coordinate.contains(axis)) {
          c.problem(here + "/" + axis, "required key is missing");
          complete = false;
          continue;
        }
        const auto value =
            c.number(coordinate, axis, here, -kMaxCoordinateMagnitudeMm, kMaxCoordinateMagnitudeMm);
        if (!value) complete = false;
        xyz[a] = value.value_or(0);
      }
      const auto space = c.word<CoordinateSpace>(coordinate, "space", here, true, parse_space_word,
                                                 "MNI, Talairach");
      if (complete && space)
        location.coordinate = ReportedCoordinate{{xyz[0], xyz[1], xyz[2]}, *space};
    }
  }
  if (!v.contains("region") && !v.contains("coordinate")) {
    c.problem(at, "a location needs a region, a coordinate, or both");
  }
  return location;
}

Study parse_study(Checker& c, const json& v, const std::string& at) {
  Study s;
  c.only_keys(v,
              {"id", "citation", "year", "reference", "patients", "controls", "population",
               "medication", "timepoints", "symptom_scales", "cognitive_scales", "notes"},
              at);
  s.id = c.string(v, "id", at, true, kMaxIdLength).value_or("");
  // A loop, not std::regex: regex_match recurses once a character and overflows the stack on
  // a long enough id.
  const bool plain = std::all_of(s.id.begin(), s.id.end(), [](char ch) {
    const auto byte = static_cast<unsigned char>(ch);
    return byte < 0x80 && (std::isalnum(byte) || ch == '_' || ch == '.' || ch == '-');
  });
  if (!plain) {
    c.problem(at + "/id",
              "may hold only letters, digits, '_', '.' and '-'; got \"" + excerpt(s.id) + "\"");
  }
  s.citation = c.string(v, "citation", at, true).value_or("");
  if (const auto year = c.count(v, "year", at, 1800)) s.year = static_cast<int>(*year);
  s.reference = c.string(v, "reference", at, false);
  s.patients = c.count(v, "patients", at, 0);
  s.controls = c.count(v, "controls", at, 0);
  s.population = c.string(v, "population", at, false);
  s.medication = c.string(v, "medication", at, false);
  s.timepoints = c.strings(v, "timepoints", at, kMaxNameLength);
  s.symptom_scales = c.strings(v, "symptom_scales", at, kMaxNameLength);
  s.cognitive_scales = c.strings(v, "cognitive_scales", at, kMaxNameLength);
  s.notes = c.string(v, "notes", at, false);
  return s;
}

Finding parse_finding(Checker& c, const json& v, const std::string& at) {
  Finding f;
  c.only_keys(v,
              {"id", "study", "measure", "contrast", "direction", "timepoint", "location",
               "endpoints", "cluster", "statistic", "value", "sample_size", "network",
               "associations", "source_anchor", "notes", "imported"},
              at);
  f.id = c.string(v, "id", at, true, kMaxIdLength).value_or("");
  f.study = c.string(v, "study", at, true, kMaxIdLength).value_or("");
  f.measure = c.string(v, "measure", at, false, kMaxNameLength);
  f.contrast = c.string(v, "contrast", at, false);
  f.direction = c.word<Direction>(v, "direction", at, false, parse_direction, direction_words());
  f.timepoint = c.string(v, "timepoint", at, false, kMaxNameLength);
  const bool has_location = v.contains("location"), has_endpoints = v.contains("endpoints");
  if (has_location == has_endpoints) {
    c.problem(at, has_location ? "give either location or endpoints, not both"
                               : "needs a location (or, for a connection, endpoints)");
  }
  if (has_location) f.location = parse_location(c, v["location"], at + "/location");
  if (has_endpoints) {
    const auto& e = v["endpoints"];
    if (!e.is_array() || e.size() != 2) {
      c.problem(at + "/endpoints", "expected a list of two locations (seed, target)");
    } else {
      for (int n = 0; n < 2; ++n) {
        if (auto l = parse_location(c, e[n], at + "/endpoints/" + std::to_string(n))) {
          f.endpoints.push_back(*l);
        }
      }
    }
  }
  if (v.contains("cluster")) {
    const auto& cl = v["cluster"];
    const std::string here = at + "/cluster";
    if (c.is_object(cl, here)) {
      c.only_keys(cl, {"voxels", "voxel_size_mm"}, here);
      Cluster cluster;
      cluster.voxels = c.count(cl, "voxels", here, 1);
      if (cl.contains("voxel_size_mm")) {
        const auto& s = cl["voxel_size_mm"];
        if (s.is_number() && s.get<double>() > 0) {
          const double d = s.get<double>();
          cluster.voxel_size_mm = std::array<double, 3>{d, d, d};
        } else if (s.is_array() && s.size() == 3 && s[0].is_number() && s[1].is_number() &&
                   s[2].is_number() && s[0].get<double>() > 0 && s[1].get<double>() > 0 &&
                   s[2].get<double>() > 0) {
          cluster.voxel_size_mm =
              std::array<double, 3>{s[0].get<double>(), s[1].get<double>(), s[2].get<double>()};
        } else {
          c.problem(here + "/voxel_size_mm", "expected a positive number or three of them");
        }
      }
      f.cluster = cluster;
    }
  }
  if (v.contains("statistic")) {
    const auto& st = v["statistic"];
    const std::string here = at + "/statistic";
    if (c.is_object(st, here)) {
      c.only_keys(st, {"t", "z", "F", "r", "p"}, here);
      Statistic s;
      s.t = c.number(st, "t", here, -kMaxStatisticMagnitude, kMaxStatisticMagnitude);
      s.z = c.number(st, "z", here, -kMaxStatisticMagnitude, kMaxStatisticMagnitude);
      s.f = c.number(st, "F", here, 0, 1e9);
      s.r = c.number(st, "r", here, -1, 1);
      s.p = c.number(st, "p", here, 0, 1);
      f.statistic = s;
    }
  }
  f.value = c.number(v, "value", at, -kMaxValueMagnitude, kMaxValueMagnitude);
  f.sample_size = c.count(v, "sample_size", at, 1);
  f.network = c.string(v, "network", at, false, kMaxNameLength);
  if (v.contains("associations")) {
    const auto& list = v["associations"];
    if (!list.is_array()) {
      c.problem(at + "/associations", "expected a list");
    } else {
      for (std::size_t n = 0; n < list.size(); ++n) {
        const std::string here = at + "/associations/" + std::to_string(n);
        if (!c.is_object(list[n], here)) continue;
        c.only_keys(list[n], {"with", "category", "sign", "r", "p"}, here);
        Association a;
        a.with = c.string(list[n], "with", here, true, kMaxNameLength).value_or("");
        a.category =
            c.word<AssociationCategory>(list[n], "category", here, true, parse_association_category,
                                        "efficacy, cognition, suicidality, "
                                        "inflammation, other")
                .value_or(AssociationCategory::other);
        a.sign = c.word<AssociationSign>(list[n], "sign", here, false, parse_association_sign,
                                         "positive, negative, none");
        a.r = c.number(list[n], "r", here, -1, 1);
        a.p = c.number(list[n], "p", here, 0, 1);
        f.associations.push_back(a);
      }
    }
  }
  f.source_anchor = c.string(v, "source_anchor", at, true).value_or("");
  f.notes = c.string(v, "notes", at, false);
  if (v.contains("imported")) {
    const auto& imported = v["imported"];
    if (c.is_object(imported, at + "/imported")) {
      for (const auto& [key, value] : imported.items()) {
        const std::string here = at + "/imported/" + excerpt(key);
        if (!c.within(key, kMaxNameLength, here)) continue;
        if (value.is_string()) {
          if (c.within(value.get_ref<const std::string&>(), kMaxTextLength, here)) {
            f.imported[key] = value.get<std::string>();
          }
        } else if (value.is_number()) {
          f.imported[key] = value.dump();
        } else {
          c.problem(here, "expected a string or a number");
        }
      }
    }
  }
  return f;
}

}  // namespace

FindingsParse parse_findings(const json& document) {
  FindingsParse out;
  Checker c(out.problems);
  if (!c.is_object(document, "")) return out;
  c.only_keys(document,
              {"foci_findings", "title", "source", "language", "studies", "findings", "notes"}, "");
  if (!document.contains("foci_findings")) {
    c.problem("/foci_findings", "required key is missing (the format version, 1)");
  } else if (document["foci_findings"] != 1) {
    c.problem("/foci_findings", "this foci reads format version 1, the file says " +
                                    quoted(document["foci_findings"]));
  }
  FindingsFile& file = out.file;
  file.title = c.string(document, "title", "", true).value_or("");
  if (!document.contains("source")) {
    c.problem("/source", "required key is missing");
  } else if (c.is_object(document["source"], "/source")) {
    const auto& s = document["source"];
    c.only_keys(s, {"citation", "doi", "url", "language"}, "/source");
    file.source.citation = c.string(s, "citation", "/source", true).value_or("");
    file.source.doi = c.string(s, "doi", "/source", false);
    file.source.url = c.string(s, "url", "/source", false);
    file.source.language = c.string(s, "language", "/source", false, kMaxNameLength);
  }
  file.language = c.string(document, "language", "", false, kMaxNameLength);
  file.notes = c.string(document, "notes", "", false);

  std::set<std::string> study_ids;
  if (document.contains("studies")) {
    const auto& studies = document["studies"];
    if (!studies.is_array()) {
      c.problem("/studies", "expected a list");
    } else {
      for (std::size_t n = 0; n < studies.size(); ++n) {
        const std::string at = "/studies/" + std::to_string(n);
        if (!c.is_object(studies[n], at)) continue;
        Study s = parse_study(c, studies[n], at);
        if (!s.id.empty() && !study_ids.insert(s.id).second) {
          c.problem(at + "/id", "study id \"" + excerpt(s.id) + "\" is used twice");
        }
        file.studies.push_back(std::move(s));
      }
    }
  }
  if (!document.contains("findings")) {
    c.problem("/findings", "required key is missing");
  } else if (!document["findings"].is_array()) {
    c.problem("/findings", "expected a list");
  } else {
    const auto& findings = document["findings"];
    // Room for all at once: a Finding is large, and moving them all at each doubling was a
    // fourteenth of reading a large file.
    file.findings.reserve(findings.size());
    std::set<std::string> ids;
    for (std::size_t n = 0; n < findings.size(); ++n) {
      const std::string at = "/findings/" + std::to_string(n);
      if (!c.is_object(findings[n], at)) continue;
      Finding f = parse_finding(c, findings[n], at);
      if (!f.id.empty() && !ids.insert(f.id).second) {
        c.problem(at + "/id", "finding id \"" + excerpt(f.id) + "\" is used twice");
      }
      if (!f.study.empty() && !study_ids.count(f.study)) {
        c.problem(at + "/study", "no study has id \"" + excerpt(f.study) + "\"");
      }
      file.findings.push_back(std::move(f));
    }
  }
  return out;
}

std::vector<std::string> validate_findings_file(const std::string& path, FindingsFile* valid) {
  auto parsed = parse_findings(read_json_file(path));
  std::vector<std::string> lines;
  for (const auto& p : parsed.problems) lines.push_back(path + ": " + p.pointer + ": " + p.message);
  if (lines.empty() && valid) *valid = std::move(parsed.file);
  return lines;
}

FindingsFile read_findings_file(const std::string& path) {
  auto parsed = parse_findings(read_json_file(path));
  if (parsed.problems.empty()) return std::move(parsed.file);
  std::vector<std::string> lines;
  for (const auto& p : parsed.problems) lines.push_back(path + ": " + p.pointer + ": " + p.message);
  // with_context puts a line on top, so the lines go in from the last to the first.
  Error error(ExitCode::input, lines.back());
  for (auto it = lines.rbegin() + 1; it != lines.rend(); ++it) error.with_context(*it);
  error.with_context("'" + path + "' is not a valid findings file (" +
                     std::to_string(lines.size()) + " problem" + (lines.size() == 1 ? "" : "s") +
                     "):");
  throw error;
}

namespace {

json location_json(const Location& l) {
  json j = json::object();
  if (l.region) j["region"] = *l.region;
  if (l.hemisphere) j["hemisphere"] = to_string(*l.hemisphere);
  if (l.coordinate) {
    j["coordinate"] = {{"x", l.coordinate->point.x},
                       {"y", l.coordinate->point.y},
                       {"z", l.coordinate->point.z},
                       {"space", to_string(l.coordinate->space)}};
  }
  return j;
}

}  // namespace

json to_json(const Finding& f) {
  json o = {{"id", f.id}, {"study", f.study}};
  if (f.measure) o["measure"] = *f.measure;
  if (f.contrast) o["contrast"] = *f.contrast;
  if (f.direction) o["direction"] = to_string(*f.direction);
  if (f.timepoint) o["timepoint"] = *f.timepoint;
  if (f.location) o["location"] = location_json(*f.location);
  if (!f.endpoints.empty()) {
    o["endpoints"] = json::array();
    for (const auto& e : f.endpoints) o["endpoints"].push_back(location_json(e));
  }
  if (f.cluster) {
    json cl = json::object();
    if (f.cluster->voxels) cl["voxels"] = *f.cluster->voxels;
    if (f.cluster->voxel_size_mm) cl["voxel_size_mm"] = *f.cluster->voxel_size_mm;
    o["cluster"] = cl;
  }
  if (f.statistic && !f.statistic->empty()) {
    json st = json::object();
    if (f.statistic->t) st["t"] = *f.statistic->t;
    if (f.statistic->z) st["z"] = *f.statistic->z;
    if (f.statistic->f) st["F"] = *f.statistic->f;
    if (f.statistic->r) st["r"] = *f.statistic->r;
    if (f.statistic->p) st["p"] = *f.statistic->p;
    o["statistic"] = st;
  }
  if (f.value) o["value"] = *f.value;
  if (f.sample_size) o["sample_size"] = *f.sample_size;
  if (f.network) o["network"] = *f.network;
  if (!f.associations.empty()) {
    o["associations"] = json::array();
    for (const auto& a : f.associations) {
      json as = {{"with", a.with}, {"category", to_string(a.category)}};
      if (a.sign) as["sign"] = to_string(*a.sign);
      if (a.r) as["r"] = *a.r;
      if (a.p) as["p"] = *a.p;
      o["associations"].push_back(as);
    }
  }
  o["source_anchor"] = f.source_anchor;
  if (f.notes) o["notes"] = *f.notes;
  if (!f.imported.empty()) o["imported"] = f.imported;
  return o;
}

json to_json(const FindingsFile& file) {
  json j;
  j["foci_findings"] = 1;
  j["title"] = file.title;
  json source = {{"citation", file.source.citation}};
  if (file.source.doi) source["doi"] = *file.source.doi;
  if (file.source.url) source["url"] = *file.source.url;
  if (file.source.language) source["language"] = *file.source.language;
  j["source"] = source;
  if (file.language) j["language"] = *file.language;
  if (file.notes) j["notes"] = *file.notes;
  j["studies"] = json::array();
  for (const auto& s : file.studies) {
    json o = {{"id", s.id}, {"citation", s.citation}};
    if (s.year) o["year"] = *s.year;
    if (s.reference) o["reference"] = *s.reference;
    if (s.patients) o["patients"] = *s.patients;
    if (s.controls) o["controls"] = *s.controls;
    if (s.population) o["population"] = *s.population;
    if (s.medication) o["medication"] = *s.medication;
    if (!s.timepoints.empty()) o["timepoints"] = s.timepoints;
    if (!s.symptom_scales.empty()) o["symptom_scales"] = s.symptom_scales;
    if (!s.cognitive_scales.empty()) o["cognitive_scales"] = s.cognitive_scales;
    if (s.notes) o["notes"] = *s.notes;
    j["studies"].push_back(o);
  }
  j["findings"] = json::array();
  for (const auto& f : file.findings) j["findings"].push_back(to_json(f));
  return j;
}

namespace {

[[noreturn]] void invalid_output(const std::vector<FindingsProblem>& problems) {
  throw Error(ExitCode::internal, "the findings written do not validate: " +
                                      problems.front().pointer + ": " + problems.front().message);
}

}  // namespace

FindingsJsonWriter::FindingsJsonWriter(std::ostream& out) : out_(out) {
  out_ << "{\n  \"findings\": [";
}

void FindingsJsonWriter::add(const Finding& finding) {
  const std::string at = "/findings/" + std::to_string(count_);
  const json j = to_json(finding);
  std::vector<FindingsProblem> problems;
  Checker c(problems);
  parse_finding(c, j, at);
  if (!problems.empty()) invalid_output(problems);
  studies_used_.insert(finding.study);
  // The finding as dump(2) writes it two levels down: every line indented four more spaces.
  std::string indented = count_ == 0 ? "\n" : ",\n";
  append_indented(indented, j.dump(2), "    ");
  out_ << indented;
  ++count_;
}

void FindingsJsonWriter::finish(const FindingsFile& file) {
  FindingsFile rest;
  rest.title = file.title;
  rest.source = file.source;
  rest.language = file.language;
  rest.studies = file.studies;
  rest.notes = file.notes;
  json document = to_json(rest);
  const auto parsed = parse_findings(document);
  if (!parsed.problems.empty()) invalid_output(parsed.problems);
  for (const auto& study : studies_used_) {
    if (!file.find_study(study)) {
      invalid_output({{"/studies", "no study has id \"" + excerpt(study) + "\""}});
    }
  }
  document.erase("findings");
  out_ << (count_ == 0 ? "]," : "\n  ],") << document.dump(2).substr(1) << "\n";
}

}  // namespace foci
