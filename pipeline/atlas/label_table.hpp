#pragma once
// Label tables: what each integer in an atlas volume is called. Three formats are read:
// MRIcron's `.nii.txt` ("1 Precentral_L 2001": value, name, and an ignored code), FSL atlas
// XML (<label index="0">Frontal Pole</label>, where the image value is index + 1 for
// Harvard-Oxford), and a plain TSV with a header holding `label` and `name` (optionally
// `hemisphere`).
#include <cstdint>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "core/hemisphere.hpp"

namespace foci {

struct LabelEntry {
  std::int32_t value = 0;
  std::string name;
  /// As the table states it (TSV column), else from the name ("_L", "Right ..."), else
  /// nullopt; the atlas decides what an unstated side means.
  std::optional<Hemisphere> stated_hemisphere;
};

class LabelTable {
 public:
  /// Throws Error (input) naming `source` when two entries share a value or a value is < 1.
  LabelTable(std::vector<LabelEntry> entries, const std::string& source);
  LabelTable() = default;

  const std::vector<LabelEntry>& entries() const { return entries_; }
  const LabelEntry* find(std::int32_t value) const;
  std::size_t size() const { return entries_.size(); }

 private:
  std::vector<LabelEntry> entries_;
  std::unordered_map<std::int32_t, std::size_t> by_value_;
  /// by_value_ again, as an array indexed by value (kNoEntry where none), when the largest
  /// value is small enough: every answer of a lookup finds its label, and the hash table's
  /// buckets were a few cache misses apiece.
  std::vector<std::uint32_t> index_of_value_;
  static constexpr std::uint32_t kNoEntry = 0xffffffff;
  static constexpr std::int32_t kMaxIndexedValue = 1 << 20;
};

enum class LabelTableFormat { mricron, fsl_xml, tsv };
std::optional<LabelTableFormat> parse_label_table_format(const std::string& word);

/// Every reader throws Error (input) naming the file and line (or label) of a problem. The text
/// readers skip a leading UTF-8 byte-order mark and refuse UTF-16 files.
LabelTable read_mricron_labels(const std::string& path);
/// `value_offset` is added to each XML index to give the image value (1 for Harvard-Oxford).
LabelTable read_fsl_xml_labels(const std::string& path, int value_offset);
LabelTable read_tsv_labels(const std::string& path);
/// A TSV found beside a map: a label table as read_tsv_labels reads it, or foci meta's
/// clusters.tsv (each surviving cluster named by the atlas label at its peak); nullopt for a
/// TSV of anything else, or a cluster table in which no cluster survives.
std::optional<LabelTable> read_tsv_labels_beside(const std::string& path);
LabelTable read_label_table(const std::string& path, LabelTableFormat format, int value_offset);

}  // namespace foci
