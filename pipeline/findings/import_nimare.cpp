#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "findings/findings_json.hpp"
#include "findings/importers.hpp"

namespace foci {

using json = nlohmann::json;

namespace {

std::optional<CoordinateSpace> nimare_space(const json& value) {
  if (!value.is_string()) return std::nullopt;
  const std::string s = value.get<std::string>();
  // NiMARE writes "MNI" or "TAL", sometimes with a resolution ("MNI_2mm").
  if (s.rfind("MNI", 0) == 0 || s.rfind("mni", 0) == 0) return CoordinateSpace::mni;
  if (s.rfind("TAL", 0) == 0 || s.rfind("tal", 0) == 0 || s.rfind("Tal", 0) == 0) {
    return CoordinateSpace::talairach;
  }
  return std::nullopt;
}

}  // namespace

FindingsFile import_nimare(const std::string& path) {
  const json doc = read_json_file(path);
  if (!doc.is_object()) throw input_error(path + ": expected an object of studies");
  const std::string file_name = std::filesystem::path(path).filename().string();
  FindingsFile out;
  out.title = "NiMARE dataset " + file_name;
  out.source.citation = "NiMARE dataset " + file_name;
  int without_coordinates = 0;
  for (const auto& [study_key, study] : doc.items()) {
    const std::string at = path + ": /" + study_key;
    if (!study.is_object()) throw input_error(at + ": expected an object");
    Study s;
    s.id = make_id(study_key);
    std::string citation;
    for (const char* key : {"authors", "title", "journal"}) {
      if (study.contains(key) && study[key].is_string()) {
        citation += (citation.empty() ? "" : ". ") + study[key].get<std::string>();
      }
    }
    if (study.contains("year") && study["year"].is_number_integer()) {
      s.year = study["year"].get<int>();
    }
    s.citation = citation.empty() ? study_key : citation;
    if (!study.contains("contrasts") || !study["contrasts"].is_object()) {
      throw input_error(at + "/contrasts: expected an object of contrasts");
    }
    bool study_has_foci = false;
    for (const auto& [contrast_key, contrast] : study["contrasts"].items()) {
      const std::string here = at + "/contrasts/" + contrast_key;
      if (!contrast.is_object()) throw input_error(here + ": expected an object");
      if (!contrast.contains("coords")) {
        ++without_coordinates;
        continue;
      }
      const auto& coords = contrast["coords"];
      const auto space = nimare_space(coords.value("space", json()));
      if (!space) {
        throw input_error(here + "/coords/space: expected MNI or TAL, got " +
                          coords.value("space", json()).dump());
      }
      for (const char* axis : {"x", "y", "z"}) {
        if (!coords.contains(axis) || !coords[axis].is_array()) {
          throw input_error(here + "/coords/" + axis + ": expected a list of numbers");
        }
      }
      const std::size_t count = coords["x"].size();
      if (coords["y"].size() != count || coords["z"].size() != count) {
        throw input_error(here + "/coords: x, y and z have different lengths");
      }
      // NiMARE takes the mean of a contrast's sample_sizes (one per group) as its N; so do
      // we, rounded to a whole number, keeping the list itself when it has several.
      std::optional<long long> sample;
      std::string sample_list;
      if (contrast.contains("metadata") && contrast["metadata"].is_object()) {
        const auto& sizes = contrast["metadata"].value("sample_sizes", json());
        if (sizes.is_array() && !sizes.empty()) {
          double sum = 0;
          bool numeric = true;
          for (const auto& size : sizes) {
            numeric = numeric && size.is_number() && std::isfinite(size.get<double>());
            if (numeric) sum += size.get<double>();
          }
          const double mean = numeric ? sum / static_cast<double>(sizes.size()) : 0;
          if (numeric && mean >= 0.5) sample = std::llround(mean);
          if (sizes.size() > 1) sample_list = sizes.dump();
        }
      }
      for (std::size_t n = 0; n < count; ++n) {
        double v[3];
        const char* axes[3] = {"x", "y", "z"};
        for (int a = 0; a < 3; ++a) {
          const auto& value = coords[axes[a]][n];
          if (!value.is_number() || !std::isfinite(value.get<double>())) {
            throw input_error(here + "/coords/" + axes[a] + "/" + std::to_string(n) +
                              ": expected a number, got " + value.dump());
          }
          v[a] = value.get<double>();
        }
        Finding f;
        f.id = s.id + "-" + make_id(contrast_key) + "-" + std::to_string(n + 1);
        f.study = s.id;
        f.contrast = contrast_key;
        f.location =
            Location{std::nullopt, std::nullopt, ReportedCoordinate{{v[0], v[1], v[2]}, *space}};
        if (coords.contains("z_stat") && coords["z_stat"].is_array() &&
            n < coords["z_stat"].size() && coords["z_stat"][n].is_number()) {
          f.statistic = Statistic{};
          f.statistic->z = coords["z_stat"][n].get<double>();
        }
        if (sample) f.sample_size = *sample;
        if (!sample_list.empty()) f.imported["sample_sizes"] = sample_list;
        f.source_anchor = file_name + ": /" + study_key + "/contrasts/" + contrast_key +
                          "/coords/" + std::to_string(n);
        out.findings.push_back(std::move(f));
        study_has_foci = true;
      }
    }
    if (study_has_foci) out.studies.push_back(std::move(s));
  }
  if (without_coordinates > 0) {
    out.notes = std::to_string(without_coordinates) +
                " contrast(s) of the dataset hold images but no coordinates; they have no "
                "findings here.";
  }
  return out;
}

}  // namespace foci
