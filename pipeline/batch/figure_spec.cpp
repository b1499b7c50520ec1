#include "batch/figure_spec.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>

#include "core/error.hpp"
#include "core/text.hpp"
#include "findings/findings_json.hpp"

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
  for (const auto& [key, value] : object.items()) {
    if (!known.count(key)) {
      std::string list;
      for (const auto& k : known) list += (list.empty() ? "" : ", ") + k;
      entry_fail(at + "/" + key, "unknown key (expected one of " + list + ")");
    }
  }
}

std::vector<View> views_of(const json& value, const std::string& at) {
  if (!value.is_array() || value.empty()) entry_fail(at, "expected a list of views");
  std::vector<View> views;
  for (std::size_t n = 0; n < value.size(); ++n) {
    const auto v = value[n].is_string() ? parse_view(value[n].get<std::string>()) : std::nullopt;
    if (!v) {
      std::string all;
      for (const auto& name : view_names()) all += (all.empty() ? "" : ", ") + name;
      entry_fail(at + "/" + std::to_string(n),
                 "expected one of " + all + "; got " + value[n].dump());
    }
    views.push_back(*v);
  }
  return views;
}

FigureSpec figure_of(const json& entry, const std::string& at) {
  FigureSpec figure;
  if (!entry.is_object()) entry_fail(at, "expected an object");
  only_keys(entry,
            {"name", "title", "size", "style", "dpi", "views", "colour_by", "regions", "labels",
             "panels"},
            at);
  if (!entry.contains("name") || !entry["name"].is_string() ||
      !std::regex_match(entry["name"].get<std::string>(), std::regex("[A-Za-z0-9_.-]+"))) {
    entry_fail(at + "/name", "required: a file name of letters, digits, '_', '.' and '-'");
  }
  figure.name = entry["name"].get<std::string>();
  figure.title = entry.value("title", std::string());
  if (entry.contains("size")) {
    const std::string size = entry["size"].is_string() ? entry["size"].get<std::string>() : "";
    const auto x = size.find('x');
    const auto w = x == std::string::npos ? std::nullopt : parse_integer(size.substr(0, x));
    const auto h = x == std::string::npos ? std::nullopt : parse_integer(size.substr(x + 1));
    if (!w || !h || *w < 64 || *h < 64 || *w > 8192 || *h > 8192) {
      entry_fail(at + "/size", "expected \"WIDTHxHEIGHT\", each from 64 to 8192 pixels");
    }
    figure.width = static_cast<int>(*w);
    figure.height = static_cast<int>(*h);
  }
  if (entry.contains("style")) {
    const std::string style = entry["style"].is_string() ? entry["style"].get<std::string>() : "";
    if (style != "glass" && style != "opaque")
      entry_fail(at + "/style", "expected glass or opaque");
    figure.style = style == "opaque" ? BrainStyle::opaque : BrainStyle::glass;
  }
  if (entry.contains("dpi")) {
    if (!entry["dpi"].is_number_integer() || entry["dpi"] < 30 || entry["dpi"] > 2400) {
      entry_fail(at + "/dpi", "expected a whole number from 30 to 2400");
    }
    figure.dpi = entry["dpi"].get<int>();
  }
  if (entry.contains("colour_by")) {
    const std::string c =
        entry["colour_by"].is_string() ? entry["colour_by"].get<std::string>() : "";
    if (c != "direction" && c != "measure" && c != "value") {
      entry_fail(at + "/colour_by", "expected direction, measure or value");
    }
    figure.scene.colour_by = c == "measure" ? ColourBy::measure
                             : c == "value" ? ColourBy::value
                                            : ColourBy::direction;
  }
  if (entry.contains("regions")) {
    const std::string r = entry["regions"].is_string() ? entry["regions"].get<std::string>() : "";
    if (r != "surface" && r != "node") entry_fail(at + "/regions", "expected surface or node");
    figure.scene.regions = r == "node" ? RegionStyle::node : RegionStyle::surface;
  }
  if (entry.contains("labels")) {
    if (!entry["labels"].is_boolean()) entry_fail(at + "/labels", "expected true or false");
    figure.scene.labels = entry["labels"].get<bool>();
  }
  const std::vector<View> views =
      entry.contains("views") ? views_of(entry["views"], at + "/views")
                              : std::vector<View>{View::left,     View::dorsal,    View::right,
                                                  View::anterior, View::posterior, View::ventral};
  if (!entry.contains("panels") || !entry["panels"].is_array() || entry["panels"].empty()) {
    entry_fail(at + "/panels", "required: a list of panels");
  }
  for (std::size_t n = 0; n < entry["panels"].size(); ++n) {
    const auto& p = entry["panels"][n];
    const std::string here = at + "/panels/" + std::to_string(n);
    if (!p.is_object()) entry_fail(here, "expected an object");
    only_keys(p, {"title", "filter", "views"}, here);
    PanelRequest panel;
    panel.title = p.value("title", std::string());
    panel.views = p.contains("views") ? views_of(p["views"], here + "/views") : views;
    if (p.contains("filter")) {
      if (!p["filter"].is_object()) entry_fail(here + "/filter", "expected an object");
      for (const auto& [key, value] : p["filter"].items()) {
        std::vector<std::string> values;
        if (value.is_string()) {
          values.push_back(value.get<std::string>());
        } else if (value.is_array()) {
          for (const auto& v : value) {
            if (!v.is_string()) entry_fail(here + "/filter/" + key, "expected strings");
            values.push_back(v.get<std::string>());
          }
        } else {
          entry_fail(here + "/filter/" + key, "expected a string or a list of strings");
        }
        try {
          std::string text = key + "=";
          for (std::size_t v = 0; v < values.size(); ++v) text += (v ? "|" : "") + values[v];
          add_filter_conditions(panel.filter, text);
        } catch (const Error& e) {
          entry_fail(here + "/filter/" + key, e.lines().back());
        }
      }
    }
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
  for (const auto& [key, value] : doc.items()) {
    if (key != "foci_figures" && key != "findings" && key != "atlases" && key != "figures" &&
        key != "notes") {
      fail("/" + key, "unknown key (expected foci_figures, findings, atlases, figures, notes)");
    }
  }
  if (doc.value("foci_figures", 0) != 1) fail("/foci_figures", "required: the format version, 1");
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
      figure.name = entry.is_object() && entry.contains("name") && entry["name"].is_string()
                        ? entry["name"].get<std::string>()
                        : "figure-" + std::to_string(n + 1);
      figure.error = path + ": " + e.message;
    }
    if (!names.insert(figure.name).second) {
      figure.error = path + ": " + at + "/name: \"" + figure.name + "\" is used twice";
    }
    figure.canonical = entry.dump();
    spec.figures.push_back(std::move(figure));
  }
  return spec;
}

}  // namespace foci
