#include "findings/import_support.hpp"

#include <cctype>
#include <cmath>

#include "core/error.hpp"
#include "core/hash.hpp"
#include "core/text.hpp"
#include "findings/coordinate_table.hpp"

namespace foci {

std::string make_id(const std::string& text) {
  std::string id;
  bool non_ascii = false;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    non_ascii |= byte >= 0x80;
    if (std::isalnum(byte) || c == '.' || c == '_' || c == '-') {
      id += c;
    } else if (!id.empty() && id.back() != '-') {
      id += '-';
    }
  }
  while (!id.empty() && id.back() == '-') id.pop_back();
  // Ids are ASCII (the schema says so), so "张三 2020" and "李四 2020" would both be "2020":
  // a hash of the whole name keeps them apart, the same on every run. A name too long for an
  // id is cut, and the hash keeps names that differ only after the cut apart.
  constexpr std::size_t kHashDigits = 8;
  const bool too_long = id.size() > kMaxMadeIdLength;
  if (too_long) {
    id.resize(kMaxMadeIdLength - kHashDigits - 1);
    while (!id.empty() && id.back() == '-') id.pop_back();
  }
  if (non_ascii || too_long) {
    id += (id.empty() ? "" : "-") + content_hash(text).substr(0, kHashDigits);
  }
  return id.empty() ? "study" : id;
}

std::pair<std::string, bool> IdMaker::id_of(const std::string& name,
                                            std::optional<std::string> proposed) {
  const auto known = by_name_.find(name);
  if (known != by_name_.end()) return {known->second, false};
  std::string id = claim(proposed ? std::move(*proposed) : make_id(name));
  by_name_.emplace(name, id);
  return {std::move(id), true};
}

std::string IdMaker::claim(std::string proposed) {
  if (proposed.size() > kMaxMadeIdLength) proposed = make_id(proposed);
  std::string id = proposed;
  for (std::size_t n = 2; !taken_.insert(id).second; ++n) {
    id = proposed + "-" + std::to_string(n);
  }
  return id;
}

const std::string& within_limit(const std::string& text, std::size_t limit,
                                const std::string& place, const std::string& what) {
  if (text.size() > limit && utf8_length(text) > limit) {
    throw input_error(place + ": " + what + " is " + std::to_string(utf8_length(text)) +
                      " characters long; at most " + std::to_string(limit) + " are allowed (\"" +
                      excerpt(text, 40) + "\")");
  }
  return text;
}

double checked_coordinate(const std::string& field, const std::string& place,
                          const std::string& what) {
  const auto value = parse_finite_double(field);
  if (!value) {
    throw input_error(
        place + ": " +
        (what.empty() ? "'" + excerpt(field) + "'" : what + " ('" + excerpt(field) + "')") +
        " is not a number");
  }
  if (std::abs(*value) > kMaxCoordinateMagnitudeMm) {
    throw input_error(
        place + ": " +
        (what.empty() ? excerpt(field) + " mm" : what + " (" + excerpt(field) + " mm)") +
        " is beyond +/-1000 mm; is it a voxel index or in the wrong unit?");
  }
  return *value;
}

std::optional<ImportFormat> parse_import_format(const std::string& word) {
  if (word == "brainnet") return ImportFormat::brainnet;
  if (word == "sleuth") return ImportFormat::sleuth;
  if (word == "nimare") return ImportFormat::nimare;
  if (word == "neurosynth") return ImportFormat::neurosynth;
  if (word == "tsv") return ImportFormat::tsv;
  return std::nullopt;
}

FindingsFile import_findings(const ImportRequest& request, const FindingSink& sink) {
  const auto one_input = [&]() -> const std::string& {
    if (request.inputs.size() != 1) {
      throw usage_error("this format takes one input file, got " +
                        std::to_string(request.inputs.size()));
    }
    return request.inputs.front();
  };
  switch (request.format) {
    case ImportFormat::brainnet:
      return import_brainnet(one_input(), request.edges, sink);
    case ImportFormat::sleuth:
      return import_sleuth(request.inputs, sink);
    case ImportFormat::nimare:
      return import_nimare(one_input(), sink);
    case ImportFormat::neurosynth:
      if (!request.metadata) {
        throw usage_error("Neurosynth coordinates need their metadata file: --metadata FILE");
      }
      return import_neurosynth(one_input(), *request.metadata, sink);
    case ImportFormat::tsv:
      return import_coordinate_tsv(one_input(), request.default_space, sink);
  }
  throw Error(ExitCode::internal, "unknown import format");
}

FindingsFile import_findings(const ImportRequest& request) {
  return collect_findings([&](const FindingSink& sink) { return import_findings(request, sink); });
}

}  // namespace foci
