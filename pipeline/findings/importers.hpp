#pragma once
// Reading the formats other tools write into findings files. Every importer keeps every
// coordinate it is given (input count = output count), records where each came from in
// `source_anchor` ("FILE:LINE" or "FILE: STUDY/CONTRAST"), and keeps values the model has no
// place for in `imported`. Bad input throws Error (input) naming the file and line; what an
// importer gives always validates (ids, lengths and numbers within the limits of
// findings/README.md).
//
// Each importer hands its findings one at a time to a sink, in input order, and returns the
// rest of the file (title, source, studies, notes) with no findings: `foci import` writes
// each finding as it comes, so a table of ten million rows needs no more memory than one of
// ten. The overloads without a sink collect the findings into the file they return.
#include <functional>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "findings/model.hpp"

namespace foci {

enum class ImportFormat { brainnet, sleuth, nimare, neurosynth, tsv };
std::optional<ImportFormat> parse_import_format(const std::string& word);

struct ImportRequest {
  ImportFormat format = ImportFormat::tsv;
  std::vector<std::string> inputs;                       ///< Sleuth may take several files
  std::optional<std::string> edges;                      ///< BrainNet .edge beside the .node file
  std::optional<std::string> metadata;                   ///< Neurosynth metadata TSV
  CoordinateSpace default_space = CoordinateSpace::mni;  ///< TSV rows without a space
};

/// Receives each finding an importer reads.
using FindingSink = std::function<void(Finding&&)>;

FindingsFile import_findings(const ImportRequest& request, const FindingSink& sink);
FindingsFile import_findings(const ImportRequest& request);

/// A valid study or finding id from free text: ASCII letters, digits, '.', '_' and '-' are
/// kept, every run of anything else becomes one '-'; "study" when nothing is left. Text with
/// non-ASCII letters ("张三 2020") gets 8 hex digits of its hash appended ("2020-1a2b3c4d"),
/// so that names differing only in those letters still give different ids; so does text whose
/// id would be longer than kMaxMadeIdLength, cut to fit.
std::string make_id(const std::string& text);
/// The longest id make_id gives, leaving IdMaker room for a suffix within kMaxIdLength.
constexpr std::size_t kMaxMadeIdLength = 180;

/// The ids of one importer run: every distinct name gets its own id, and the same name always
/// the same one. make_id alone cannot promise that ("Smith 2020" and "Smith-2020" both give
/// "Smith-2020"), so an id already given to another name gets "-2", "-3", ... appended.
/// Every importer makes its study ids here, so two studies are never merged into one.
class IdMaker {
 public:
  /// The id of `name` (make_id's, or `proposed` when given, made unique), and whether this is
  /// the first time `name` is asked for.
  std::pair<std::string, bool> id_of(const std::string& name,
                                     std::optional<std::string> proposed = std::nullopt);
  /// `proposed` (a valid id), or it with a suffix when some name or an earlier claim has it:
  /// for ids that each stand for a source of their own, such as one coordinate.
  std::string claim(std::string proposed);

 private:
  std::unordered_map<std::string, std::string> by_name_;
  std::unordered_set<std::string> taken_;
};

/// BrainNet Viewer: `.node` rows `x y z colour size label` (MNI mm; label `-` = none), and an
/// optional N x N `.edge` matrix whose non-zero off-diagonal cells become connections.
FindingsFile import_brainnet(const std::string& nodes, const std::optional<std::string>& edges,
                             const FindingSink& sink);
FindingsFile import_brainnet(const std::string& nodes, const std::optional<std::string>& edges);
/// GingerALE / BrainMap Sleuth text: `// Reference=MNI|Talairach`, then experiments of
/// `// Study: contrast` lines, `// Subjects=N`, and `x y z` rows, separated by blank lines.
FindingsFile import_sleuth(const std::vector<std::string>& paths, const FindingSink& sink);
FindingsFile import_sleuth(const std::vector<std::string>& paths);
/// NiMARE dataset JSON: studies -> contrasts -> coords {space, x[], y[], z[]}.
FindingsFile import_nimare(const std::string& path, const FindingSink& sink);
FindingsFile import_nimare(const std::string& path);
/// Neurosynth coordinates TSV (id, table_id, table_num, peak_id, x, y, z) with its metadata
/// TSV (id, doi, space, title, authors, year, journal); plain or gzip.
FindingsFile import_neurosynth(const std::string& coordinates, const std::string& metadata,
                               const FindingSink& sink);
FindingsFile import_neurosynth(const std::string& coordinates, const std::string& metadata);
/// Plain coordinate TSV or CSV (see coordinate_table.hpp): header with x y z and optionally
/// space, voxels, direction, value, label, region, hemisphere, study, measure; an empty
/// optional cell means not reported. A table of regions has `region` and no x y z, and a row
/// with x, y and z all empty is a region-only finding; either must name its region.
FindingsFile import_coordinate_tsv(const std::string& path, CoordinateSpace default_space,
                                   const FindingSink& sink);
FindingsFile import_coordinate_tsv(const std::string& path, CoordinateSpace default_space);

}  // namespace foci
