#include "atlas/manifest.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <set>

#include "core/error.hpp"
#include "core/json_file.hpp"
#include "core/text.hpp"

#ifndef FOCI_DEFAULT_MANIFEST_DIR
#define FOCI_DEFAULT_MANIFEST_DIR "atlases"
#endif

namespace foci {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

const char* const kSystemAtlasDirectory = "/usr/share/mricron/templates";
const char* const kLexiconFileName = "regions.json";

[[noreturn]] void fail(const std::string& path, const std::string& pointer,
                       const std::string& message) {
  throw input_error(path + ": " + pointer + ": " + message);
}

std::string require_string(const json& object, const std::string& key, const std::string& path) {
  if (!object.contains(key)) fail(path, "/" + key, "required key is missing");
  if (!object[key].is_string()) fail(path, "/" + key, "expected a string");
  return object[key].get<std::string>();
}

Affine read_affine(const json& value, const std::string& path, const std::string& pointer) {
  if (!value.is_array() || value.size() != 3) fail(path, pointer, "expected 3 rows of 4 numbers");
  Affine a;
  for (int r = 0; r < 3; ++r) {
    const auto& row = value[r];
    if (!row.is_array() || row.size() != 4) {
      fail(path, pointer + "/" + std::to_string(r), "expected 4 numbers");
    }
    for (int c = 0; c < 4; ++c) {
      if (!row[c].is_number()) {
        fail(path, pointer + "/" + std::to_string(r) + "/" + std::to_string(c),
             "expected a number");
      }
      a.m[r][c] = row[c].get<double>();
    }
  }
  return a;
}

void reject_unknown_keys(const json& object, const std::set<std::string>& known,
                         const std::string& path, const std::string& pointer) {
  if (const auto unknown = find_unknown_key(object, known, pointer)) {
    throw_json_problem(path, *unknown);
  }
}

}  // namespace

AtlasManifest read_atlas_manifest(const std::string& path) {
  json doc;
  try {
    doc = read_json_file(path);
  } catch (Error& e) {
    throw e.with_context("cannot read atlas manifest '" + path + "'");
  }
  if (!doc.is_object()) fail(path, "", "expected a JSON object");
  reject_unknown_keys(doc,
                      {"name", "kind", "title", "space", "volume", "labels", "lateralised",
                       "citation", "licence", "orientation_fix", "notes"},
                      path, "");
  AtlasManifest m;
  m.manifest_path = path;
  m.name = require_string(doc, "name", path);
  if (doc.contains("kind") && !doc["kind"].is_string()) fail(path, "/kind", "expected a string");
  const std::string kind = doc.value("kind", std::string("labels"));
  if (kind == "labels") {
    m.kind = AtlasKind::labels;
  } else if (kind == "template") {
    m.kind = AtlasKind::template_image;
  } else {
    fail(path, "/kind", "expected \"labels\" or \"template\", got \"" + excerpt(kind) + "\"");
  }
  m.title = require_string(doc, "title", path);
  m.space = require_string(doc, "space", path);
  m.volume_file = require_string(doc, "volume", path);
  m.citation = require_string(doc, "citation", path);
  m.licence = require_string(doc, "licence", path);
  if (doc.contains("lateralised")) {
    if (!doc["lateralised"].is_boolean()) fail(path, "/lateralised", "expected true or false");
    m.lateralised = doc["lateralised"].get<bool>();
  }
  if (doc.contains("labels")) {
    const auto& labels = doc["labels"];
    if (!labels.is_object()) fail(path, "/labels", "expected an object");
    reject_unknown_keys(labels, {"file", "format", "value_offset"}, path, "/labels");
    m.labels_file = require_string(labels, "file", path + ": /labels");
    const std::string format = require_string(labels, "format", path + ": /labels");
    const auto parsed = parse_label_table_format(format);
    if (!parsed) {
      fail(path, "/labels/format",
           "expected mricron, fsl-xml or tsv, got \"" + excerpt(format) + "\"");
    }
    m.labels_format = *parsed;
    if (labels.contains("value_offset")) {
      const auto& offset = labels["value_offset"];
      if (!offset.is_number_integer() || offset.get<long long>() < -1000000 ||
          offset.get<long long>() > 1000000) {
        fail(path, "/labels/value_offset", "expected an integer from -1000000 to 1000000");
      }
      m.labels_value_offset = labels["value_offset"].get<int>();
    }
  } else if (m.kind == AtlasKind::labels) {
    fail(path, "/labels", "a label atlas needs a label table");
  }
  if (doc.contains("orientation_fix")) {
    const auto& fix = doc["orientation_fix"];
    if (!fix.is_object()) fail(path, "/orientation_fix", "expected an object");
    reject_unknown_keys(fix, {"why", "when_affine", "use_affine"}, path, "/orientation_fix");
    OrientationFix f;
    f.why = require_string(fix, "why", path + ": /orientation_fix");
    if (!fix.contains("when_affine") || !fix.contains("use_affine")) {
      fail(path, "/orientation_fix", "needs when_affine and use_affine");
    }
    f.when_affine = read_affine(fix["when_affine"], path, "/orientation_fix/when_affine");
    f.use_affine = read_affine(fix["use_affine"], path, "/orientation_fix/use_affine");
    m.orientation_fix = f;
  }
  return m;
}

std::string manifest_directory() {
  if (const char* env = std::getenv("FOCI_MANIFEST_DIR"); env && *env) return env;
  return FOCI_DEFAULT_MANIFEST_DIR;
}

std::vector<std::string> atlas_directories() {
  std::vector<std::string> dirs;
  if (const char* env = std::getenv("FOCI_ATLAS_DIR"); env && *env) dirs.emplace_back(env);
  dirs.emplace_back(kSystemAtlasDirectory);
  return dirs;
}

std::vector<AtlasManifest> list_atlas_manifests() {
  const std::string dir = manifest_directory();
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    throw input_error("the atlas manifest folder '" + dir +
                      "' does not exist "
                      "(set FOCI_MANIFEST_DIR)");
  }
  std::vector<std::string> paths;
  for (const auto& entry : fs::directory_iterator(dir)) {
    // regions.json, the region lexicon, lives beside the manifests but is not one.
    if (entry.path().extension() == ".json" && entry.path().filename() != kLexiconFileName) {
      paths.push_back(entry.path().string());
    }
  }
  std::sort(paths.begin(), paths.end());
  std::vector<AtlasManifest> manifests;
  for (const auto& p : paths) manifests.push_back(read_atlas_manifest(p));
  return manifests;
}

AtlasManifest find_atlas_manifest(const std::string& name_or_path) {
  if (name_or_path.size() > 5 && name_or_path.substr(name_or_path.size() - 5) == ".json") {
    return read_atlas_manifest(name_or_path);
  }
  const fs::path candidate = fs::path(manifest_directory()) / (name_or_path + ".json");
  std::error_code ec;
  if (fs::exists(candidate, ec)) return read_atlas_manifest(candidate.string());
  std::vector<std::string> names;
  for (const auto& m : list_atlas_manifests()) names.push_back(m.name);
  std::string message = "unknown atlas '" + name_or_path + "'";
  const auto suggestions = closest_matches(name_or_path, names);
  if (!suggestions.empty()) {
    message += "; did you mean";
    for (std::size_t i = 0; i < suggestions.size(); ++i) {
      message += (i ? ", '" : " '") + suggestions[i] + "'";
    }
    message += "?";
  }
  message += " (known: " + join(names, ", ") + ")";
  throw usage_error(message);
}

std::string locate_atlas_file(const AtlasManifest& manifest, const std::string& file) {
  std::vector<fs::path> searched;
  if (fs::path(file).is_absolute()) {
    searched.emplace_back(file);
  } else {
    searched.push_back(fs::path(manifest.manifest_path).parent_path() / file);
    for (const auto& dir : atlas_directories()) searched.push_back(fs::path(dir) / file);
  }
  std::error_code ec;
  for (const auto& p : searched) {
    if (fs::is_regular_file(p, ec)) return p.string();
  }
  std::string places;
  for (const auto& p : searched) places += (places.empty() ? "" : ", ") + p.parent_path().string();
  throw input_error("atlas '" + manifest.name + "': cannot find '" + file + "' (looked in " +
                    places + "; is mricron-data installed, or FOCI_ATLAS_DIR set?)");
}

}  // namespace foci
