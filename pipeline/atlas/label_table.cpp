#include "atlas/label_table.hpp"

#include <pugixml.hpp>

#include <algorithm>

#include "core/error.hpp"
#include "core/text.hpp"
#include "core/text_file.hpp"

namespace foci {

LabelTable::LabelTable(std::vector<LabelEntry> entries, const std::string& source)
    : entries_(std::move(entries)) {
  for (std::size_t n = 0; n < entries_.size(); ++n) {
    const auto& e = entries_[n];
    if (e.value < 1) {
      throw input_error(source + ": label '" + excerpt(e.name) + "' has value " +
                        std::to_string(e.value) + "; labels are numbered from 1 (0 is background)");
    }
    if (!by_value_.emplace(e.value, n).second) {
      throw input_error(source + ": label value " + std::to_string(e.value) + " is given twice ('" +
                        excerpt(entries_[by_value_[e.value]].name) + "' and '" + excerpt(e.name) +
                        "')");
    }
  }
  std::int32_t largest = 0;
  for (const auto& e : entries_) largest = std::max(largest, e.value);
  if (largest <= kMaxIndexedValue) {
    index_of_value_.assign(static_cast<std::size_t>(largest) + 1, kNoEntry);
    for (std::size_t n = 0; n < entries_.size(); ++n) {
      index_of_value_[static_cast<std::size_t>(entries_[n].value)] = static_cast<std::uint32_t>(n);
    }
  }
}

const LabelEntry* LabelTable::find(std::int32_t value) const {
  if (!index_of_value_.empty()) {
    if (value < 0 || static_cast<std::size_t>(value) >= index_of_value_.size()) return nullptr;
    const std::uint32_t n = index_of_value_[static_cast<std::size_t>(value)];
    return n == kNoEntry ? nullptr : &entries_[n];
  }
  const auto it = by_value_.find(value);
  return it == by_value_.end() ? nullptr : &entries_[it->second];
}

std::optional<LabelTableFormat> parse_label_table_format(const std::string& word) {
  if (word == "mricron") return LabelTableFormat::mricron;
  if (word == "fsl-xml") return LabelTableFormat::fsl_xml;
  if (word == "tsv") return LabelTableFormat::tsv;
  return std::nullopt;
}

namespace {

std::string where(const std::string& path, std::size_t line) {
  return path + ":" + std::to_string(line);
}

std::int32_t label_value(const std::string& field, const std::string& place) {
  const auto v = parse_integer(field);
  if (!v || *v < 0 || *v > 2147483647LL) {
    throw input_error(place + ": expected a label number, got '" + excerpt(field) + "'");
  }
  return static_cast<std::int32_t>(*v);
}

}  // namespace

LabelTable read_mricron_labels(const std::string& path) {
  TextFileReader lines(path);
  std::vector<LabelEntry> entries;
  std::string line;
  while (lines.next(line)) {
    const std::size_t number = lines.line_number();
    const auto fields = split_whitespace(line);
    if (fields.empty() || fields[0][0] == '#') continue;
    if (fields.size() < 2) {
      // Quoted short and escaped: a wrong path may point at any file at all.
      throw input_error(where(path, number) + ": expected 'value name', got '" +
                        excerpt(trim(line)) + "'; is this an MRIcron label list?");
    }
    const auto value = label_value(fields[0], where(path, number));
    if (value == 0) continue;  // JHU's table names the background "Unclassified"
    entries.push_back({value, fields[1], hemisphere_from_label_name(fields[1])});
  }
  if (entries.empty()) throw input_error(path + ": the label table holds no labels");
  return LabelTable(std::move(entries), path);
}

LabelTable read_fsl_xml_labels(const std::string& path, int value_offset) {
  pugi::xml_document doc;
  const auto result = doc.load_file(path.c_str());
  if (!result) {
    throw input_error("cannot read label table '" + path + "': " + result.description() +
                      " at byte " + std::to_string(result.offset));
  }
  std::vector<LabelEntry> entries;
  for (const auto& node : doc.select_nodes("/atlas/data/label")) {
    const auto label = node.node();
    const std::string index_text = label.attribute("index").value();
    const std::string place = path + ": <label index=\"" + excerpt(index_text) + "\">";
    const auto index = parse_integer(index_text);
    if (!index) throw input_error(place + ": index is not a number");
    const std::string name(trim(label.text().get()));
    if (name.empty()) throw input_error(place + ": the label has no name");
    if (invalid_utf8_at(name) != std::string::npos) {
      throw input_error(place + ": the name is not UTF-8 text");
    }
    entries.push_back(
        {static_cast<std::int32_t>(*index + value_offset), name, hemisphere_from_label_name(name)});
  }
  if (entries.empty()) throw input_error(path + ": no <atlas><data><label> elements");
  return LabelTable(std::move(entries), path);
}

namespace {

/// A TSV label table's rows, or those of foci meta's clusters.tsv (`cluster`, `survives`,
/// `<atlas>_peak`), whose surviving clusters are the labels 1..k of clusters.nii.gz; named
/// "cluster N: <label at the peak>". `nullopt` when `strict` is false and the header has
/// neither form, so a TSV that happens to sit beside a map is not taken for its labels.
std::optional<LabelTable> read_tsv_table(const std::string& path, bool strict) {
  TextFileReader lines(path);
  std::string line;
  std::size_t number = 0;
  std::vector<std::string> header;
  while (header.empty() && lines.next(line)) {
    number = lines.line_number();
    if (trim(line).empty() || trim(line)[0] == '#') continue;
    header = split_tabs(line);
  }
  if (header.empty()) throw input_error(path + ": empty label table (no header line)");
  int label_col = -1, name_col = -1, hemi_col = -1, cluster_col = -1, survives_col = -1;
  for (int c = 0; c < static_cast<int>(header.size()); ++c) {
    const std::string h = to_lower(trim(header[c]));
    if (h == "label") label_col = c;
    if (h == "name") name_col = c;
    if (h == "hemisphere") hemi_col = c;
    if (h == "cluster") cluster_col = c;
    if (h == "survives") survives_col = c;
    if (name_col < 0 && h.size() > 5 && h.compare(h.size() - 5, 5, "_peak") == 0) name_col = c;
  }
  const bool clusters = label_col < 0 && cluster_col >= 0 && survives_col >= 0 && name_col >= 0;
  if (clusters) label_col = cluster_col;
  if (label_col < 0 || name_col < 0) {
    if (!strict) return std::nullopt;
    throw input_error(where(path, number) + ": the header needs columns 'label' and 'name'");
  }
  std::vector<LabelEntry> entries;
  while (lines.next(line)) {
    number = lines.line_number();
    if (trim(line).empty() || trim(line)[0] == '#') continue;
    const auto fields = split_tabs(line);
    if (fields.size() != header.size()) {
      throw input_error(where(path, number) + ": expected " + std::to_string(header.size()) +
                        " tab-separated fields, got " + std::to_string(fields.size()));
    }
    if (clusters && trim(fields[survives_col]) != "yes") continue;
    LabelEntry e;
    e.value = label_value(fields[label_col], where(path, number));
    e.name = std::string(trim(fields[name_col]));
    if (clusters) e.name = "cluster " + std::to_string(e.value) + ": " + e.name;
    if (e.name.empty()) throw input_error(where(path, number) + ": empty name");
    if (hemi_col >= 0 && !trim(fields[hemi_col]).empty()) {
      e.stated_hemisphere = parse_hemisphere(fields[hemi_col]);
      if (!e.stated_hemisphere) {
        throw input_error(where(path, number) +
                          ": hemisphere must be left, right, midline or "
                          "bilateral, got '" +
                          excerpt(fields[hemi_col]) + "'");
      }
    } else {
      e.stated_hemisphere = hemisphere_from_label_name(std::string(trim(fields[name_col])));
    }
    entries.push_back(std::move(e));
  }
  if (entries.empty() && clusters) return std::nullopt;  // no cluster survives: a blank map
  if (entries.empty()) throw input_error(path + ": the label table holds no labels");
  return LabelTable(std::move(entries), path);
}

}  // namespace

LabelTable read_tsv_labels(const std::string& path) { return *read_tsv_table(path, true); }

std::optional<LabelTable> read_tsv_labels_beside(const std::string& path) {
  return read_tsv_table(path, false);
}

LabelTable read_label_table(const std::string& path, LabelTableFormat format, int value_offset) {
  switch (format) {
    case LabelTableFormat::mricron:
      return read_mricron_labels(path);
    case LabelTableFormat::fsl_xml:
      return read_fsl_xml_labels(path, value_offset);
    case LabelTableFormat::tsv:
      return read_tsv_labels(path);
  }
  throw Error(ExitCode::internal, "unknown label table format");
}

}  // namespace foci
