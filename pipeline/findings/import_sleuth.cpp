#include <filesystem>

#include "core/error.hpp"
#include "core/text.hpp"
#include "core/text_file.hpp"
#include "findings/import_support.hpp"
#include "findings/importers.hpp"

namespace foci {

FindingsFile import_sleuth(const std::vector<std::string>& paths, const FindingSink& sink) {
  FindingsFile out;
  out.title = "Sleuth foci";
  IdMaker study_ids;
  std::string citation;
  int experiment_number = 0;
  std::size_t count = 0;
  for (const auto& path : paths) {
    const std::string file_name = std::filesystem::path(path).filename().string();
    citation += (citation.empty() ? "Sleuth file " : ", ") + file_name;
    TextFileReader lines(path);
    std::optional<CoordinateSpace> space;
    // The experiment being read: its names, its subjects, and whether a coordinate has
    // been seen (a name line after coordinates starts a new experiment).
    std::vector<std::pair<std::string, std::string>> names;
    std::optional<std::string> subjects;
    bool in_coordinates = false;
    int foci_in_experiment = 0;
    std::string text;
    while (lines.next(text)) {
      const std::string_view line = trim(text);
      if (line.empty()) {
        in_coordinates = false;
        names.clear();
        subjects.reset();
        continue;
      }
      const std::size_t number = lines.line_number();
      const std::string place = path + ":" + std::to_string(number);
      if (line.rfind("//", 0) == 0) {
        const std::string comment(trim(line.substr(2)));
        const auto equals = comment.find('=');
        if (equals != std::string::npos) {
          const std::string key = to_lower(trim(std::string_view(comment).substr(0, equals)));
          const std::string value(trim(std::string_view(comment).substr(equals + 1)));
          if (key == "reference") {
            space = parse_coordinate_space(value);
            if (!space) {
              throw input_error(place + ": Reference must be MNI or Talairach, got '" +
                                excerpt(value) + "'");
            }
            continue;
          }
          if (key == "subjects") {
            if (!parse_integer(value) || *parse_integer(value) < 1) {
              throw input_error(place + ": Subjects must be a positive whole number, got '" +
                                excerpt(value) + "'");
            }
            subjects = value;
            continue;
          }
        }
        // A bare "//" carries nothing; a contrast without its study cannot be cited.
        if (comment.empty()) continue;
        if (comment.front() == ':') {
          throw input_error(place + ": a '//' line with a contrast but no study name, '" +
                            excerpt(line) + "'; expected '// Study: contrast'");
        }
        if (in_coordinates) {
          names.clear();
          subjects.reset();
          in_coordinates = false;
        }
        const auto colon = comment.find(':');
        names.emplace_back(std::string(trim(std::string_view(comment).substr(0, colon))),
                           colon == std::string::npos
                               ? std::string()
                               : std::string(trim(std::string_view(comment).substr(colon + 1))));
        within_limit(names.back().first, kMaxTextLength, place, "the study name");
        continue;
      }
      const auto fields = split_whitespace(line);
      if (fields.size() != 3) {
        throw input_error(place + ": expected a coordinate 'x y z', got " +
                          std::to_string(fields.size()) + " field(s): '" + excerpt(line) + "'");
      }
      double v[3];
      for (int a = 0; a < 3; ++a) {
        v[a] = checked_coordinate(fields[a], place, "");
      }
      if (!space) throw input_error(place + ": a coordinate before any '// Reference=' line");
      if (names.empty()) {
        throw input_error(place + ": a coordinate before any '// Study: contrast' line");
      }
      if (!in_coordinates) {
        ++experiment_number;
        foci_in_experiment = 0;
      }
      in_coordinates = true;
      const std::string& study_name = names.front().first;
      const auto [id, new_study] = study_ids.id_of(study_name);
      if (new_study) {
        Study s;
        s.id = id;
        s.citation = study_name;
        out.studies.push_back(s);
      }
      std::string contrast;
      for (const auto& [study, experiment] : names) {
        contrast += (contrast.empty() ? "" : "; ") + experiment;
      }
      Finding f;
      f.id = "exp" + std::to_string(experiment_number) + "-" + std::to_string(++foci_in_experiment);
      f.study = id;
      if (!contrast.empty()) {
        f.contrast = within_limit(contrast, kMaxTextLength, place, "the contrast names");
      }
      f.location =
          Location{std::nullopt, std::nullopt, ReportedCoordinate{{v[0], v[1], v[2]}, *space}};
      f.source_anchor = file_name + ":" + std::to_string(number);
      if (subjects) f.sample_size = *parse_integer(*subjects);
      f.imported["experiment"] = std::to_string(experiment_number);
      sink(std::move(f));
      ++count;
    }
  }
  out.source.citation = citation;
  if (count == 0) throw input_error("no coordinates in the Sleuth file(s)");
  return out;
}

FindingsFile import_sleuth(const std::vector<std::string>& paths) {
  return collect_findings([&](const FindingSink& sink) { return import_sleuth(paths, sink); });
}

}  // namespace foci
