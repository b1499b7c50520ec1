#include <filesystem>
#include <map>

#include "core/error.hpp"
#include "core/text.hpp"
#include "core/text_file.hpp"
#include "findings/import_support.hpp"
#include "findings/importers.hpp"

namespace foci {

namespace {

/// A TSV read one row at a time, every row checked to have the header's width; blank lines
/// are skipped.
class TableReader {
 public:
  explicit TableReader(const std::string& path) : lines_(path) {
    std::string line;
    while (lines_.next(line)) {
      if (trim(line).empty()) continue;
      header_ = split_tabs(line);
      return;
    }
    throw input_error(path + ": the file is empty");
  }

  /// The next row into `fields`; false at the end.
  bool next(std::vector<std::string>& fields) {
    std::string line;
    while (lines_.next(line)) {
      if (trim(line).empty()) continue;
      fields = split_tabs(line);
      if (fields.size() != header_.size()) {
        throw input_error(place() + ": expected " + std::to_string(header_.size()) +
                          " tab-separated fields, got " + std::to_string(fields.size()));
      }
      return true;
    }
    return false;
  }

  int column(const std::string& name) const {
    for (std::size_t c = 0; c < header_.size(); ++c) {
      if (header_[c] == name) return static_cast<int>(c);
    }
    throw input_error(lines_.path() + ":1: the header has no '" + name + "' column");
  }
  const std::vector<std::string>& header() const { return header_; }
  /// "FILE:LINE" of the row read last.
  std::string place() const { return lines_.path() + ":" + std::to_string(lines_.line_number()); }
  std::size_t line_number() const { return lines_.line_number(); }

 private:
  TextFileReader lines_;
  std::vector<std::string> header_;
};

/// What the findings need of a study's metadata row, with the row it came from.
struct StudyMetadata {
  std::string space, citation, doi, year, place;
};

}  // namespace

FindingsFile import_neurosynth(const std::string& coordinates_path,
                               const std::string& metadata_path, const FindingSink& sink) {
  // The metadata, one row a study, is kept; the coordinates are read one row at a time.
  std::map<std::string, StudyMetadata> metadata;
  {
    TableReader table(metadata_path);
    const int m_id = table.column("id"), m_space = table.column("space"),
              m_title = table.column("title"), m_authors = table.column("authors"),
              m_year = table.column("year"), m_journal = table.column("journal"),
              m_doi = table.column("doi");
    std::vector<std::string> row;
    while (table.next(row)) {
      StudyMetadata m;
      m.place = table.place();
      m.space = row[m_space];
      m.citation = within_limit(row[m_authors] + ". " + row[m_title] + ". " + row[m_journal] + ".",
                                kMaxTextLength, m.place, "the citation (authors, title, journal)");
      m.doi = within_limit(row[m_doi], kMaxTextLength, m.place, "the doi");
      m.year = row[m_year];
      metadata[row[m_id]] = std::move(m);
    }
  }
  TableReader coordinates(coordinates_path);
  const int c_id = coordinates.column("id"), c_table = coordinates.column("table_num"),
            c_peak = coordinates.column("peak_id"), c_x = coordinates.column("x"),
            c_y = coordinates.column("y"), c_z = coordinates.column("z");

  const std::string file_name = std::filesystem::path(coordinates_path).filename().string();
  FindingsFile out;
  out.title = "Neurosynth coordinates " + file_name;
  out.source.citation = "Neurosynth database, " + file_name + " and " +
                        std::filesystem::path(metadata_path).filename().string();
  IdMaker study_ids, finding_ids;
  std::size_t count = 0;
  std::vector<std::string> row;
  while (coordinates.next(row)) {
    const std::string place = coordinates.place();
    const auto it = metadata.find(row[c_id]);
    if (it == metadata.end()) {
      throw input_error(place + ": study " + excerpt(row[c_id]) + " is not in '" + metadata_path +
                        "'");
    }
    const StudyMetadata& meta = it->second;
    double v[3];
    const int cols[3] = {c_x, c_y, c_z};
    for (int a = 0; a < 3; ++a) {
      v[a] =
          checked_coordinate(row[cols[a]], place, "column '" + coordinates.header()[cols[a]] + "'");
    }
    const auto [id, new_study] = study_ids.id_of("ns" + row[c_id]);
    if (new_study) {
      Study s;
      s.id = id;
      s.citation = meta.citation;
      if (const auto year = parse_integer(meta.year)) {
        if (*year < 1800 || *year > 9999) {
          throw input_error(meta.place + ": column 'year': expected a year from 1800, got '" +
                            excerpt(meta.year) + "'");
        }
        s.year = static_cast<int>(*year);
      }
      if (meta.doi != "n/a" && !meta.doi.empty()) s.notes = "doi " + meta.doi;
      out.studies.push_back(std::move(s));
    }
    // Neurosynth marks a study MNI, TAL or UNKNOWN; UNKNOWN is read as MNI, as Neurosynth
    // itself does, and says so on the finding.
    const std::string& space_word = meta.space;
    const auto space = parse_coordinate_space(space_word);
    Finding f;
    f.id = finding_ids.claim(make_id("peak-" + row[c_peak]));
    f.study = id;
    f.contrast = within_limit("table " + row[c_table], kMaxTextLength, place, "the table number");
    f.location =
        Location{std::nullopt, std::nullopt,
                 ReportedCoordinate{{v[0], v[1], v[2]}, space.value_or(CoordinateSpace::mni)}};
    if (!space) {
      f.imported["space"] =
          within_limit(space_word + " (read as MNI)", kMaxTextLength, meta.place, "the space");
    }
    f.source_anchor = file_name + ":" + std::to_string(coordinates.line_number());
    sink(std::move(f));
    ++count;
  }
  if (count == 0) throw input_error(coordinates_path + ": no coordinates");
  return out;
}

FindingsFile import_neurosynth(const std::string& coordinates, const std::string& metadata) {
  return collect_findings(
      [&](const FindingSink& sink) { return import_neurosynth(coordinates, metadata, sink); });
}

}  // namespace foci
