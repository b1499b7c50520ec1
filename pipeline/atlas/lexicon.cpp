#include "atlas/lexicon.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <set>

#include "core/error.hpp"
#include "core/json_file.hpp"
#include "core/text.hpp"

namespace foci {

using json = nlohmann::json;

namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }
bool ends_with(std::string_view s, std::string_view p) {
  return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
}

struct SideWord {
  const char* text;
  Hemisphere side;
};

// Chinese side words, longest first so 左侧 is taken before 左.
constexpr SideWord kChinesePrefixes[] = {
    {"左右两侧", Hemisphere::bilateral}, {"左右侧", Hemisphere::bilateral},
    {"双侧", Hemisphere::bilateral},     {"两侧", Hemisphere::bilateral},
    {"左右", Hemisphere::bilateral},     {"左侧", Hemisphere::left},
    {"右侧", Hemisphere::right},         {"左", Hemisphere::left},
    {"右", Hemisphere::right},           {"双", Hemisphere::bilateral}};
constexpr SideWord kChineseSuffixes[] = {
    {"（左）", Hemisphere::left},        {"（右）", Hemisphere::right},
    {"(左)", Hemisphere::left},          {"(右)", Hemisphere::right},
    {"（双侧）", Hemisphere::bilateral}, {"(双侧)", Hemisphere::bilateral}};
struct Infix {
  const char* text;
  Hemisphere side;
  const char* keep;  ///< what stays in the name
};
constexpr Infix kChineseInfixes[] = {{"左侧", Hemisphere::left, ""},
                                     {"右侧", Hemisphere::right, ""},
                                     {"双侧", Hemisphere::bilateral, ""},
                                     {"左半球", Hemisphere::left, "半球"},
                                     {"右半球", Hemisphere::right, "半球"}};
// English, matched on the lower-cased name.
constexpr SideWord kEnglishPrefixes[] = {{"bilateral ", Hemisphere::bilateral},
                                         {"both ", Hemisphere::bilateral},
                                         {"left ", Hemisphere::left},
                                         {"right ", Hemisphere::right},
                                         {"lt. ", Hemisphere::left},
                                         {"rt. ", Hemisphere::right},
                                         {"lt ", Hemisphere::left},
                                         {"rt ", Hemisphere::right},
                                         {"lh ", Hemisphere::left},
                                         {"rh ", Hemisphere::right},
                                         {"lh.", Hemisphere::left},
                                         {"rh.", Hemisphere::right},
                                         {"l. ", Hemisphere::left},
                                         {"r. ", Hemisphere::right},
                                         {"l.", Hemisphere::left},
                                         {"r.", Hemisphere::right},
                                         {"l ", Hemisphere::left},
                                         {"r ", Hemisphere::right},
                                         {"l-", Hemisphere::left},
                                         {"r-", Hemisphere::right},
                                         {"l_", Hemisphere::left},
                                         {"r_", Hemisphere::right}};
constexpr SideWord kEnglishSuffixes[] = {{", bilateral", Hemisphere::bilateral},
                                         {" bilaterally", Hemisphere::bilateral},
                                         {" bilateral", Hemisphere::bilateral},
                                         {", left", Hemisphere::left},
                                         {", right", Hemisphere::right},
                                         {" left", Hemisphere::left},
                                         {" right", Hemisphere::right},
                                         {" (left)", Hemisphere::left},
                                         {" (right)", Hemisphere::right},
                                         {" (l)", Hemisphere::left},
                                         {" (r)", Hemisphere::right},
                                         {"(l)", Hemisphere::left},
                                         {"(r)", Hemisphere::right},
                                         {"_lh", Hemisphere::left},
                                         {"_rh", Hemisphere::right},
                                         {".lh", Hemisphere::left},
                                         {".rh", Hemisphere::right},
                                         {"_l", Hemisphere::left},
                                         {"_r", Hemisphere::right},
                                         {".l", Hemisphere::left},
                                         {".r", Hemisphere::right},
                                         {"-l", Hemisphere::left},
                                         {"-r", Hemisphere::right},
                                         {" l", Hemisphere::left},
                                         {" r", Hemisphere::right}};

}  // namespace

std::string to_string(RegionExtent extent) {
  switch (extent) {
    case RegionExtent::lobe:
      return "lobe";
    case RegionExtent::hemisphere:
      return "hemisphere";
    case RegionExtent::region:
      break;
  }
  return "region";
}

std::optional<RegionExtent> parse_region_extent(const std::string& word) {
  for (const auto e : {RegionExtent::region, RegionExtent::lobe, RegionExtent::hemisphere}) {
    if (to_string(e) == word) return e;
  }
  return std::nullopt;
}

SideAndName split_side(std::string_view written) {
  std::string name(trim(written));
  SideAndName out;
  const auto take = [&](Hemisphere side, std::size_t from, std::size_t length) {
    out.hemisphere = side;
    name = std::string(trim(std::string_view(name).substr(from, length)));
  };
  for (const auto& w : kChinesePrefixes) {
    // A bare 左/右 is a side only when something follows it.
    if (starts_with(name, w.text) && name.size() > std::string_view(w.text).size()) {
      take(w.side, std::string_view(w.text).size(), std::string::npos);
      break;
    }
  }
  if (!out.hemisphere) {
    for (const auto& w : kChineseSuffixes) {
      if (ends_with(name, w.text)) {
        take(w.side, 0, name.size() - std::string_view(w.text).size());
        break;
      }
    }
  }
  if (!out.hemisphere) {
    // Side words inside a Chinese name: 额下回左侧三角形部分, 大脑左半球.
    for (const auto& w : kChineseInfixes) {
      const auto at = name.find(w.text);
      if (at != std::string::npos && at > 0) {
        out.hemisphere = w.side;
        name.replace(at, std::strlen(w.text), w.keep);
        break;
      }
    }
  }
  if (!out.hemisphere) {
    const std::string lower = to_lower(name);
    for (const auto& w : kEnglishPrefixes) {
      if (starts_with(lower, w.text) && lower.size() > std::string_view(w.text).size() + 1) {
        take(w.side, std::string_view(w.text).size(), std::string::npos);
        break;
      }
    }
  }
  if (!out.hemisphere) {
    const std::string lower = to_lower(name);
    for (const auto& w : kEnglishSuffixes) {
      if (ends_with(lower, w.text) && lower.size() > std::string_view(w.text).size() + 1) {
        take(w.side, 0, name.size() - std::string_view(w.text).size());
        break;
      }
    }
  }
  out.name = name;
  return out;
}

std::string RegionLexicon::key_of(std::string_view name) {
  // Every step is one pass over the name, so a name of any length costs time in proportion
  // to it (the step that removed leading punctuation one character at a time did not).
  std::string key;
  key.reserve(name.size());
  bool space = false;
  for (const char c : name) {
    const bool separator = c == ' ' || c == '_' || c == '-' || c == ':' || c == '\t';
    if (separator) {
      space = !key.empty();
      continue;
    }
    if (space) key += ' ';
    space = false;
    key += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  // Surrounding ASCII punctuation ("R. hippocampus" leaves none, "hippocampus," does).
  while (!key.empty() && std::ispunct(static_cast<unsigned char>(key.back())) &&
         key.back() != ')' && key.back() != '*') {
    key.pop_back();
  }
  std::size_t first = 0;
  while (first < key.size() && std::ispunct(static_cast<unsigned char>(key[first])) &&
         key[first] != '(') {
    ++first;
  }
  // Full-width colon and hyphen-like marks in Chinese names read as spaces too. They are
  // whole UTF-8 characters, so a match never starts inside another character.
  constexpr std::string_view kMarks[] = {"：", "－", "—", "–"};
  std::string out;
  out.reserve(key.size() - first);
  for (std::size_t i = first; i < key.size();) {
    bool mark = false;
    for (const auto m : kMarks) {
      if (std::string_view(key).substr(i, m.size()) == m) {
        out += ' ';
        i += m.size();
        mark = true;
        break;
      }
    }
    if (!mark) out += key[i++];
  }
  return std::string(trim(out));
}

RegionLexicon RegionLexicon::load(const std::string& path) {
  json doc;
  try {
    doc = read_json_file(path);
  } catch (Error& e) {
    throw e.with_context("cannot read region lexicon '" + path + "'");
  }
  const auto fail = [&](const std::string& pointer, const std::string& message) {
    throw input_error(path + ": " + pointer + ": " + message);
  };
  if (!doc.is_object() || !doc.contains("foci_lexicon") || doc["foci_lexicon"] != 1 ||
      !doc.contains("regions") || !doc["regions"].is_array()) {
    fail("", "expected {\"foci_lexicon\": 1, \"regions\": [...]}");
  }
  RegionLexicon lexicon;
  const std::set<std::string> known{"id",       "en",      "zh",    "aliases", "lateralised",
                                    "networks", "atlases", "notes", "extent"};
  const auto& regions = doc["regions"];
  for (std::size_t n = 0; n < regions.size(); ++n) {
    const std::string at = "/regions/" + std::to_string(n);
    const auto& r = regions[n];
    if (!r.is_object()) fail(at, "expected an object");
    if (const auto unknown = find_unknown_key(r, known, at)) throw_json_problem(path, *unknown);
    LexiconRegion region;
    try {
      region.id = r.at("id").get<std::string>();
      region.en = r.at("en").get<std::string>();
      region.zh = r.value("zh", std::string());
      region.aliases = r.value("aliases", std::vector<std::string>{});
      region.lateralised = r.value("lateralised", true);
      region.networks = r.value("networks", std::vector<std::string>{});
      const std::string extent = r.value("extent", std::string("region"));
      const auto parsed_extent = parse_region_extent(extent);
      if (!parsed_extent) {
        fail(at + "/extent", "expected region, lobe or hemisphere; got \"" + extent + "\"");
      }
      region.extent = *parsed_extent;
      if (r.contains("atlases")) {
        for (const auto& [atlas, mapping] : r["atlases"].items()) {
          if (const auto unknown = find_unknown_key(mapping, {"labels", "approximate", "why"},
                                                    at + "/atlases/" + atlas)) {
            throw_json_problem(path, *unknown);
          }
          LexiconAtlasMapping m;
          m.labels = mapping.value("labels", std::vector<std::string>{});
          m.approximate = mapping.value("approximate", false);
          m.why = mapping.value("why", std::string());
          region.atlases[atlas] = m;
        }
      }
    } catch (const json::exception& e) {
      fail(at, std::string("malformed region: ") + e.what());
    }
    std::vector<std::string> names{region.en};
    if (!region.zh.empty()) names.push_back(region.zh);
    names.insert(names.end(), region.aliases.begin(), region.aliases.end());
    for (const auto& name : names) {
      const std::string key = key_of(name);
      if (key.empty()) fail(at, "an empty name or alias");
      const auto [it, inserted] = lexicon.by_key_.emplace(key, lexicon.regions_.size());
      if (!inserted && it->second != lexicon.regions_.size()) {
        fail(at, "name \"" + name + "\" is also a name of region '" +
                     lexicon.regions_[it->second].id + "'");
      }
      lexicon.display_names_.push_back(name);
    }
    if (!lexicon.by_id_.emplace(region.id, lexicon.regions_.size()).second) {
      fail(at + "/id", "id '" + region.id + "' is used by two regions");
    }
    lexicon.regions_.push_back(std::move(region));
  }
  // An atlas label that is exactly one region ("Frontal_Sup_Orb", "Insular Cortex", "BA46")
  // resolves to it too, so names copied from atlas output need no alias. Where a label
  // name is already some region's name it stays that region's.
  for (std::size_t n = 0; n < lexicon.regions_.size(); ++n) {
    for (const auto& [atlas, mapping] : lexicon.regions_[n].atlases) {
      if (mapping.labels.size() == 1 && !mapping.approximate) {
        lexicon.by_key_.emplace(key_of(mapping.labels.front()), n);
      }
    }
  }
  return lexicon;
}

RegionLexicon RegionLexicon::load_default() {
  return load((std::filesystem::path(manifest_directory()) / "regions.json").string());
}

std::optional<ResolvedRegion> RegionLexicon::resolve(std::string_view written) const {
  const auto try_key = [&](const std::string& name) -> const LexiconRegion* {
    const auto it = by_key_.find(key_of(name));
    return it == by_key_.end() ? nullptr : &regions_[it->second];
  };
  // The whole name first: a name may end in a letter that looks like a side ("Area R").
  if (const auto* r = try_key(std::string(written))) return ResolvedRegion{r, std::nullopt};
  const SideAndName split = split_side(written);
  if (const auto* r = try_key(split.name)) return ResolvedRegion{r, split.hemisphere};
  // An abbreviation with its side as a first capital letter and no separator: LAG, RDLPFC.
  // Tried last, and only for capitals, so LOC or RSC, names in their own right, stay so.
  const std::string whole(trim(written));
  const bool capitals = whole.size() >= 3 && std::all_of(whole.begin(), whole.end(), [](char c) {
                          return std::isupper(static_cast<unsigned char>(c)) ||
                                 std::isdigit(static_cast<unsigned char>(c));
                        });
  if (capitals && (whole[0] == 'L' || whole[0] == 'R')) {
    if (const auto* r = try_key(whole.substr(1))) {
      return ResolvedRegion{r, whole[0] == 'L' ? Hemisphere::left : Hemisphere::right};
    }
  }
  return std::nullopt;
}

std::vector<std::string> RegionLexicon::suggest(std::string_view written, std::size_t limit) const {
  const std::string core = key_of(split_side(written).name);
  // The edit distance costs the product of the lengths: no suggestions for a long name.
  if (core.size() > kMaxSuggestedWordLength) return {};
  auto matches = closest_matches(
      core,
      [&] {
        std::vector<std::string> keys;
        for (const auto& n : display_names_) keys.push_back(key_of(n));
        return keys;
      }(),
      limit * 3);
  // Back from keys to the names as the lexicon writes them, without repeats.
  std::vector<std::string> out;
  for (const auto& m : matches) {
    for (const auto& n : display_names_) {
      if (key_of(n) == m && std::find(out.begin(), out.end(), n) == out.end()) {
        out.push_back(n);
        break;
      }
    }
    if (out.size() == limit) break;
  }
  return out;
}

std::vector<RegionLabel> RegionLexicon::labels_in(const Atlas& atlas, const LexiconRegion& region,
                                                  std::optional<Hemisphere> side) const {
  const auto it = region.atlases.find(atlas.name());
  if (it == region.atlases.end()) {
    throw input_error("the region lexicon has no labels of atlas '" + atlas.name() + "' for '" +
                      region.en + "'");
  }
  const LexiconAtlasMapping& mapping = it->second;
  if (mapping.labels.empty()) {
    throw input_error("atlas '" + atlas.name() + "' has no label for '" + region.en + "'" +
                      (mapping.why.empty() ? "" : ": " + mapping.why));
  }
  const bool split_sides = atlas.manifest().lateralised && region.lateralised;
  const bool want_left = !side || *side != Hemisphere::right;
  const bool want_right = !side || *side != Hemisphere::left;
  std::vector<std::string> names;
  for (const auto& base : mapping.labels) {
    if (!split_sides) {
      names.push_back(base);
      continue;
    }
    if (want_left) names.push_back(base + "_L");
    if (want_right) names.push_back(base + "_R");
  }
  std::vector<RegionLabel> out;
  for (const auto& name : names) {
    const LabelEntry* entry = nullptr;
    for (const auto& e : atlas.table().entries()) {
      if (e.name == name) {
        entry = &e;
        break;
      }
    }
    if (!entry) {
      throw input_error("the region lexicon names label '" + name + "' for '" + region.en +
                        "', which atlas '" + atlas.name() + "' does not have");
    }
    RegionLabel label;
    label.label = entry->value;
    label.name = entry->name;
    label.hemisphere = split_sides || atlas.manifest().lateralised
                           ? atlas.label_hemisphere(entry->value)
                           : side.value_or(Hemisphere::bilateral);
    label.approximate = mapping.approximate;
    label.why = mapping.why;
    out.push_back(std::move(label));
  }
  return out;
}

const LexiconRegion* RegionLexicon::find(const std::string& id) const {
  const auto it = by_id_.find(id);
  return it == by_id_.end() ? nullptr : &regions_[it->second];
}

std::string RegionLexicon::display_name(const std::string& id) const {
  const LexiconRegion* r = find(id);
  if (!r) return id;
  return r->zh.empty() ? r->en : r->en + " (" + r->zh + ")";
}

}  // namespace foci
