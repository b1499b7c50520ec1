#include <filesystem>
#include <map>
#include <set>

#include "core/error.hpp"
#include "core/text.hpp"
#include "findings/importers.hpp"
#include "findings/text_lines.hpp"

namespace foci {

namespace {

/// A TSV read into its header and rows, every row checked to have the header's width.
struct Table {
  std::vector<std::string> header;
  std::vector<std::vector<std::string>> rows;
  std::vector<std::size_t> lines;

  int column(const std::string& name, const std::string& path) const {
    for (std::size_t c = 0; c < header.size(); ++c) {
      if (header[c] == name) return static_cast<int>(c);
    }
    throw input_error(path + ":1: the header has no '" + name + "' column");
  }
};

Table read_table(const std::string& path) {
  Table t;
  const auto lines = read_text_lines(path);
  for (std::size_t n = 0; n < lines.size(); ++n) {
    if (trim(lines[n]).empty()) continue;
    auto fields = split_tabs(lines[n]);
    if (t.header.empty()) {
      t.header = fields;
      continue;
    }
    if (fields.size() != t.header.size()) {
      throw input_error(path + ":" + std::to_string(n + 1) + ": expected " +
                        std::to_string(t.header.size()) + " tab-separated fields, got " +
                        std::to_string(fields.size()));
    }
    t.rows.push_back(std::move(fields));
    t.lines.push_back(n + 1);
  }
  if (t.header.empty()) throw input_error(path + ": the file is empty");
  return t;
}

}  // namespace

FindingsFile import_neurosynth(const std::string& coordinates_path,
                               const std::string& metadata_path) {
  const Table coordinates = read_table(coordinates_path);
  const Table metadata = read_table(metadata_path);
  const int m_id = metadata.column("id", metadata_path),
            m_space = metadata.column("space", metadata_path),
            m_title = metadata.column("title", metadata_path),
            m_authors = metadata.column("authors", metadata_path),
            m_year = metadata.column("year", metadata_path),
            m_journal = metadata.column("journal", metadata_path),
            m_doi = metadata.column("doi", metadata_path);
  const int c_id = coordinates.column("id", coordinates_path),
            c_table = coordinates.column("table_num", coordinates_path),
            c_peak = coordinates.column("peak_id", coordinates_path),
            c_x = coordinates.column("x", coordinates_path),
            c_y = coordinates.column("y", coordinates_path),
            c_z = coordinates.column("z", coordinates_path);

  std::map<std::string, std::size_t> study_row;
  for (std::size_t r = 0; r < metadata.rows.size(); ++r) study_row[metadata.rows[r][m_id]] = r;

  const std::string file_name = std::filesystem::path(coordinates_path).filename().string();
  FindingsFile out;
  out.title = "Neurosynth coordinates " + file_name;
  out.source.citation = "Neurosynth database, " + file_name + " and " +
                        std::filesystem::path(metadata_path).filename().string();
  std::set<std::string> studies_added;
  for (std::size_t r = 0; r < coordinates.rows.size(); ++r) {
    const auto& row = coordinates.rows[r];
    const std::string place = coordinates_path + ":" + std::to_string(coordinates.lines[r]);
    const auto it = study_row.find(row[c_id]);
    if (it == study_row.end()) {
      throw input_error(place + ": study " + row[c_id] + " is not in '" + metadata_path + "'");
    }
    const auto& meta = metadata.rows[it->second];
    double v[3];
    const int cols[3] = {c_x, c_y, c_z};
    for (int a = 0; a < 3; ++a) {
      const auto parsed = parse_finite_double(row[cols[a]]);
      if (!parsed) {
        throw input_error(place + ": column '" + coordinates.header[cols[a]] + "': '" +
                          row[cols[a]] + "' is not a number");
      }
      v[a] = *parsed;
    }
    const std::string id = "ns" + row[c_id];
    if (studies_added.insert(id).second) {
      Study s;
      s.id = id;
      s.citation = meta[m_authors] + ". " + meta[m_title] + ". " + meta[m_journal] + ".";
      if (const auto year = parse_integer(meta[m_year])) s.year = static_cast<int>(*year);
      if (meta[m_doi] != "n/a" && !meta[m_doi].empty()) s.notes = "doi " + meta[m_doi];
      out.studies.push_back(std::move(s));
    }
    // Neurosynth marks a study MNI, TAL or UNKNOWN; UNKNOWN is read as MNI, as Neurosynth
    // itself does, and says so on the finding.
    const std::string space_word = meta[m_space];
    const auto space = parse_coordinate_space(space_word);
    Finding f;
    f.id = "peak-" + row[c_peak];
    f.study = id;
    f.contrast = "table " + row[c_table];
    f.location =
        Location{std::nullopt, std::nullopt,
                 ReportedCoordinate{{v[0], v[1], v[2]}, space.value_or(CoordinateSpace::mni)}};
    if (!space) f.imported["space"] = space_word + " (read as MNI)";
    f.source_anchor = file_name + ":" + std::to_string(coordinates.lines[r]);
    out.findings.push_back(std::move(f));
  }
  if (out.findings.empty()) throw input_error(coordinates_path + ": no coordinates");
  return out;
}

}  // namespace foci
