#include <nlohmann/json.hpp>

#include <cmath>
#include <filesystem>
#include <fstream>

#include "core/error.hpp"
#include "core/text.hpp"
#include "findings/coordinate_table.hpp"
#include "findings/findings_json.hpp"
#include "findings/import_support.hpp"
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

FindingsFile import_nimare(const std::string& path, const FindingSink& sink) {
  const json doc = read_json_file(path);
  if (!doc.is_object()) throw input_error(path + ": expected an object of studies");
  const std::string file_name = std::filesystem::path(path).filename().string();
  FindingsFile out;
  out.title = "NiMARE dataset " + file_name;
  out.source.citation = "NiMARE dataset " + file_name;
  IdMaker study_ids, finding_ids;
  int without_coordinates = 0;
  for (const auto& [study_key, study] : doc.items()) {
    const std::string at = path + ": /" + excerpt(study_key);
    if (!study.is_object()) throw input_error(at + ": expected an object");
    Study s;
    s.id = study_ids.id_of(study_key).first;
    std::string citation;
    for (const char* key : {"authors", "title", "journal"}) {
      if (study.contains(key) && study[key].is_string()) {
        citation += (citation.empty() ? "" : ". ") + study[key].get<std::string>();
      }
    }
    if (study.contains("year") && study["year"].is_number_integer()) {
      const auto year = study["year"].get<long long>();
      if (year < 1800 || year > 9999) {
        throw input_error(at + "/year: expected a year from 1800, got " + study["year"].dump());
      }
      s.year = static_cast<int>(year);
    }
    s.citation = within_limit(citation.empty() ? study_key : citation, kMaxTextLength, at,
                              "the citation (authors, title and journal)");
    if (!study.contains("contrasts") || !study["contrasts"].is_object()) {
      throw input_error(at + "/contrasts: expected an object of contrasts");
    }
    IdMaker contrast_ids;
    bool study_has_foci = false;
    for (const auto& [contrast_key, contrast] : study["contrasts"].items()) {
      const std::string here = at + "/contrasts/" + excerpt(contrast_key);
      if (!contrast.is_object()) throw input_error(here + ": expected an object");
      if (!contrast.contains("coords")) {
        ++without_coordinates;
        continue;
      }
      within_limit(contrast_key, kMaxTextLength, here, "the contrast name");
      const auto& coords = contrast["coords"];
      if (!coords.is_object()) throw input_error(here + "/coords: expected an object");
      const auto space = nimare_space(coords.value("space", json()));
      if (!space) {
        throw input_error(here + "/coords/space: expected MNI or TAL, got " +
                          excerpt(coords.value("space", json()).dump()));
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
          for (std::size_t k = 0; k < sizes.size(); ++k) {
            const double size = sizes[k].is_number() ? sizes[k].get<double>() : -1;
            if (!(size >= 0 && size < 1e15)) {
              throw input_error(here + "/metadata/sample_sizes/" + std::to_string(k) +
                                ": expected a count, got " + excerpt(sizes[k].dump()));
            }
            sum += size;
          }
          const double mean = sum / static_cast<double>(sizes.size());
          if (mean >= 0.5) sample = std::llround(mean);
          if (sizes.size() > 1) sample_list = sizes.dump();
        }
      }
      const std::string contrast_id = contrast_ids.id_of(contrast_key).first;
      for (std::size_t n = 0; n < count; ++n) {
        double v[3];
        const char* axes[3] = {"x", "y", "z"};
        for (int a = 0; a < 3; ++a) {
          const auto& value = coords[axes[a]][n];
          const std::string there = here + "/coords/" + axes[a] + "/" + std::to_string(n);
          if (!value.is_number() || !std::isfinite(value.get<double>())) {
            throw input_error(there + ": expected a number, got " + excerpt(value.dump()));
          }
          v[a] = value.get<double>();
          if (std::abs(v[a]) > kMaxCoordinateMagnitudeMm) {
            throw input_error(there + ": " + value.dump() +
                              " mm is beyond +/-1000 mm; is it a voxel index or in the wrong "
                              "unit?");
          }
        }
        Finding f;
        f.id = finding_ids.claim(s.id + "-" + contrast_id + "-" + std::to_string(n + 1));
        f.study = s.id;
        f.contrast = contrast_key;
        f.location =
            Location{std::nullopt, std::nullopt, ReportedCoordinate{{v[0], v[1], v[2]}, *space}};
        if (coords.contains("z_stat") && coords["z_stat"].is_array() &&
            n < coords["z_stat"].size() && coords["z_stat"][n].is_number()) {
          const double z = coords["z_stat"][n].get<double>();
          if (!(std::abs(z) <= kMaxStatisticMagnitude)) {
            throw input_error(here + "/coords/z_stat/" + std::to_string(n) +
                              ": expected a z value within +/-1e6, got " +
                              coords["z_stat"][n].dump());
          }
          f.statistic = Statistic{};
          f.statistic->z = z;
        }
        if (sample) f.sample_size = *sample;
        if (!sample_list.empty()) f.imported["sample_sizes"] = sample_list;
        f.source_anchor = within_limit(file_name + ": /" + study_key + "/contrasts/" +
                                           contrast_key + "/coords/" + std::to_string(n),
                                       kMaxTextLength, here, "the path of the coordinate");
        sink(std::move(f));
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

FindingsFile import_nimare(const std::string& path) {
  return collect_findings([&](const FindingSink& sink) { return import_nimare(path, sink); });
}

}  // namespace foci
