#include "batch/figure_spec.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <set>

#include "app/figure_options.hpp"
#include "core/error.hpp"
#include "core/json_file.hpp"
#include "core/text.hpp"

namespace foci {

using json = nlohmann::json;
namespace fs = std::filesystem;

namespace {

/// A problem inside one figure entry: its JSON pointer and what is wrong.
struct EntryError {
  std::string message;
};

[[noreturn]] void entry_fail(const std::string& pointer, const std::string& message) {
  throw EntryError{pointer + ": " + message};
}

void only_keys(const json& object, const std::set<std::string>& known, const std::string& at) {
  if (const auto unknown = find_unknown_key(object, known, at)) {
    entry_fail(unknown->pointer, unknown->message);
  }
}

/// A figure option's JSON value as the text set_figure_option reads; the JSON types a spec
/// must use are checked here, the words themselves by the shared parser.
std::string option_text(const std::string& key, const json& value, const std::string& at) {
  if (key == "dpi") {
    if (!value.is_number_integer()) entry_fail(at, "expected a whole number");
    return std::to_string(value.get<long long>());
  }
  if (key == "threshold" || key == "vmax") {
    if (!value.is_number()) entry_fail(at, "expected a number");
    return value.dump();
  }
  if (key == "cluster_min") {
    if (!value.is_number_integer()) entry_fail(at, "expected a whole number");
    return std::to_string(value.get<long long>());
  }
  if (key == "labels" || key == "space_ok") {
    if (!value.is_boolean()) entry_fail(at, "expected true or false");
    return value.get<bool>() ? "true" : "false";
  }
  if (key == "formats") {
    if (!value.is_array() || value.empty()) entry_fail(at, "expected a list: \"png\", \"tiff\", \"pdf\", \"svg\", \"html\"");
    std::vector<std::string> words;
    for (std::size_t n = 0; n < value.size(); ++n) {
      if (!value[n].is_string()) entry_fail(at + "/" + std::to_string(n), "expected a string");
      words.push_back(value[n].get<std::string>());
    }
    return join(words, ",");
  }
  if (key == "views") {
    if (!value.is_array() || value.empty()) entry_fail(at, "expected a list of views");
    std::vector<std::string> words;
    for (std::size_t n = 0; n < value.size(); ++n) {
      if (!value[n].is_string() || !parse_view(value[n].get<std::string>())) {
        entry_fail(at + "/" + std::to_string(n), "expected one of " + join(view_names(), ", ") +
                                                     "; got " + excerpt(value[n].dump()));
      }
      words.push_back(value[n].get<std::string>());
    }
    return join(words, ",");
  }
  if (!value.is_string()) entry_fail(at, "expected a string");
  return value.get<std::string>();
}

/// A figure or file name: letters, digits, '_', '.' and '-', and not "." or "..".
bool is_plain_name(const std::string& name) {
  if (name.empty() || name == "." || name == ".." || name.size() > kMaximumNameLength) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
  });
}

/// A "filter" object: each key a value or a list of alternatives.
FindingFilter filter_of(const json& filter, const std::string& at) {
  if (!filter.is_object()) entry_fail(at, "expected an object");
  FindingFilter out;
  for (const auto& [key, value] : filter.items()) {
    const std::string at_key = at + "/" + excerpt(key);
    std::vector<std::string> values;
    if (value.is_string()) {
      values.push_back(value.get<std::string>());
    } else if (value.is_array()) {
      for (const auto& v : value) {
        if (!v.is_string()) entry_fail(at_key, "expected strings");
        values.push_back(v.get<std::string>());
      }
    } else {
      entry_fail(at_key, "expected a string or a list of strings");
    }
    try {
      add_filter_conditions(out, key + "=" + join(values, "|"));
    } catch (const Error& e) {
      entry_fail(at_key, e.lines().back());
    }
  }
  return out;
}

FigureSpec figure_of(const json& entry, const std::string& at) {
  FigureSpec figure;
  if (!entry.is_object()) entry_fail(at, "expected an object");
  // "filter" at figure level: a figure of one panel needs no "panels" list.
  std::set<std::string> known{"name", "title", "panels", "filter"};
  for (const auto& key : figure_option_keys()) known.insert(key);
  only_keys(entry, known, at);
  if (!entry.contains("name") || !entry["name"].is_string() ||
      !is_plain_name(entry["name"].get<std::string>())) {
    entry_fail(at + "/name", "required: a file name of at most " +
                                 std::to_string(kMaximumNameLength) +
                                 " letters, digits, '_', '.' and '-'");
  }
  figure.name = entry["name"].get<std::string>();
  if (entry.contains("title") && !entry["title"].is_string()) {
    entry_fail(at + "/title", "expected a string");
  }
  figure.title = entry.value("title", std::string());
  for (const auto& key : figure_option_keys()) {
    if (!entry.contains(key)) continue;
    if (key == "overlay") {
      // One map or a list of them; each is one set_figure_option call, as each --overlay is.
      const json& maps = entry[key];
      const json list = maps.is_array() ? maps : json::array({maps});
      if (list.empty()) entry_fail(at + "/overlay", "expected a map or a list of maps");
      for (std::size_t n = 0; n < list.size(); ++n) {
        const std::string here = at + "/overlay" + (maps.is_array() ? "/" + std::to_string(n) : "");
        if (!list[n].is_string()) entry_fail(here, "expected the path of a NIfTI map");
        try {
          set_figure_option(figure.options, key, list[n].get<std::string>());
        } catch (const Error& e) {
          entry_fail(here, e.lines().back());
        }
      }
      continue;
    }
    try {
      set_figure_option(figure.options, key, option_text(key, entry[key], at + "/" + key));
    } catch (const Error& e) {
      entry_fail(at + "/" + key, e.lines().back());
    }
  }
  // Without "panels" the figure is one untitled panel, filtered by a figure-level "filter".
  const json one_panel = json::array({json::object()});
  if (entry.contains("panels") &&
      (!entry["panels"].is_array() || entry["panels"].empty())) {
    entry_fail(at + "/panels", "expected a list of panels (or none, for one panel)");
  }
  const json& panels = entry.contains("panels") ? entry["panels"] : one_panel;
  FindingFilter figure_filter;
  if (entry.contains("filter")) {
    // A filter in both places would leave a reader guessing whether they add up or one wins.
    for (std::size_t n = 0; n < panels.size(); ++n) {
      if (panels[n].is_object() && panels[n].contains("filter")) {
        entry_fail(at + "/filter",
                   "a figure-level \"filter\" and a panel's own (" + at + "/panels/" +
                       std::to_string(n) +
                       "/filter) are both given; put the filter in the panels, or give it "
                       "once for the whole figure");
      }
    }
    figure_filter = filter_of(entry["filter"], at + "/filter");
  }
  for (std::size_t n = 0; n < panels.size(); ++n) {
    const auto& p = panels[n];
    const std::string here = at + "/panels/" + std::to_string(n);
    if (!p.is_object()) entry_fail(here, "expected an object");
    only_keys(p, {"title", "filter", "views", "overlay"}, here);
    PanelRequest panel;
    if (p.contains("title") && !p["title"].is_string()) {
      entry_fail(here + "/title", "expected a string");
    }
    panel.title = p.value("title", std::string());
    panel.views = p.contains("views")
                      ? parse_view_list(option_text("views", p["views"], here + "/views"))
                      : figure.options.views;
    if (p.contains("overlay")) {
      // The panel's own maps, read as the figure's "overlay" key reads them.
      FigureOptions own;
      const json& maps = p["overlay"];
      const json list = maps.is_array() ? maps : json::array({maps});
      if (list.empty()) entry_fail(here + "/overlay", "expected a map or a list of maps");
      for (std::size_t m = 0; m < list.size(); ++m) {
        const std::string at_map =
            here + "/overlay" + (maps.is_array() ? "/" + std::to_string(m) : "");
        if (!list[m].is_string()) entry_fail(at_map, "expected the path of a NIfTI map");
        try {
          set_figure_option(own, "overlay", list[m].get<std::string>());
        } catch (const Error& e) {
          entry_fail(at_map, e.lines().back());
        }
      }
      panel.overlays = own.overlay.maps;
    }
    panel.filter = p.contains("filter") ? filter_of(p["filter"], here + "/filter") : figure_filter;
    figure.panels.push_back(std::move(panel));
  }
  return figure;
}

}  // namespace

SpecFile read_spec_file(const std::string& path) {
  const json doc = read_json_file(path);
  const auto fail = [&](const std::string& pointer, const std::string& message) {
    throw input_error(path + ": " + pointer + ": " + message);
  };
  if (!doc.is_object()) fail("", "expected an object");
  if (const auto unknown =
          find_unknown_key(doc, {"foci_figures", "findings", "atlases", "figures", "notes"}, "")) {
    fail(unknown->pointer, unknown->message);
  }
  if (!doc.contains("foci_figures") || doc["foci_figures"] != 1) {
    fail("/foci_figures", "required: the format version, 1");
  }
  SpecFile spec;
  spec.path = path;
  const fs::path folder = fs::path(path).parent_path();
  if (!doc.contains("findings") || !doc["findings"].is_array() || doc["findings"].empty()) {
    fail("/findings", "required: a list of findings files");
  }
  for (std::size_t n = 0; n < doc["findings"].size(); ++n) {
    if (!doc["findings"][n].is_string()) fail("/findings/" + std::to_string(n), "expected a path");
    const fs::path p(doc["findings"][n].get<std::string>());
    spec.findings.push_back((p.is_absolute() ? p : folder / p).lexically_normal().string());
  }
  if (doc.contains("atlases")) {
    if (!doc["atlases"].is_array()) fail("/atlases", "expected a list of atlas names");
    spec.atlases.clear();
    for (const auto& a : doc["atlases"]) {
      if (!a.is_string()) fail("/atlases", "expected a list of atlas names");
      spec.atlases.push_back(a.get<std::string>());
    }
  }
  if (!doc.contains("figures") || !doc["figures"].is_array()) fail("/figures", "required: a list");
  std::set<std::string> names;
  for (std::size_t n = 0; n < doc["figures"].size(); ++n) {
    const std::string at = "/figures/" + std::to_string(n);
    const auto& entry = doc["figures"][n];
    FigureSpec figure;
    try {
      figure = figure_of(entry, at);
    } catch (const EntryError& e) {
      // The name the failure is listed under. A name that is refused may be anything (30,000
      // characters, control characters): it is quoted short and escaped, and no file is
      // written for a failed figure.
      figure.name = entry.is_object() && entry.contains("name") && entry["name"].is_string()
                        ? excerpt(entry["name"].get_ref<const std::string&>())
                        : "figure-" + std::to_string(n + 1);
      figure.error = path + ": " + e.message;
    }
    if (!names.insert(figure.name).second) {
      figure.error = path + ": " + at + "/name: \"" + figure.name + "\" is used twice";
    }
    // Maps are named relative to the spec, as findings files are.
    std::vector<OverlaySource*> maps;
    for (auto& map : figure.options.overlay.maps) maps.push_back(&map);
    for (auto& panel : figure.panels) {
      for (auto& map : panel.overlays) maps.push_back(&map);
    }
    for (OverlaySource* map : maps) {
      const fs::path p(map->path);
      map->path = (p.is_absolute() ? p : folder / p).lexically_normal().string();
    }
    figure.canonical = entry.dump();
    spec.figures.push_back(std::move(figure));
  }
  return spec;
}

}  // namespace foci
