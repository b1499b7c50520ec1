#pragma once
// Writing findings in the formats other tools read. Formats that need a coordinate
// (BrainNet, Sleuth) leave out findings that have none and list them in `left_out`, so the
// command can say so; the TSV export keeps everything.
#include <optional>
#include <string>
#include <vector>

#include "findings/model.hpp"

namespace foci {

enum class ExportFormat { brainnet, sleuth, tsv };
std::optional<ExportFormat> parse_export_format(const std::string& word);

struct ExportResult {
  std::string main;                   ///< the .node, Sleuth or TSV text
  std::optional<std::string> edges;   ///< BrainNet .edge text, when there are connections
  std::vector<std::string> left_out;  ///< "ID: why" for each finding not written
};

/// BrainNet `.node`: one node per distinct located point (MNI mm; Talairach converted with
/// `transform`); colour by direction (1 increase, 2 decrease, 3 normalised, 4 no change, 5 not
/// reported, or the imported colour when there is no direction); size from `value`, else
/// cluster voxels, else the imported size, else 1; label the region name with spaces as '_',
/// or '-'. `.edge`: the node-by-node matrix of connection values (1 when no value).
ExportResult export_brainnet(const FindingsFile& file, TalairachTransform transform);
/// Sleuth text in MNI (Talairach converted): one experiment per study and contrast.
/// Subjects: the study's patients plus controls, else the imported subject count. A study
/// with neither is an error (Error, input), since GingerALE needs it.
ExportResult export_sleuth(const FindingsFile& file, TalairachTransform transform);
/// TSV, one row per location (a connection gives two rows, endpoint 1 and 2): id study
/// measure direction x y z space region hemisphere voxels value endpoint source_anchor.
ExportResult export_tsv(const FindingsFile& file);

}  // namespace foci
