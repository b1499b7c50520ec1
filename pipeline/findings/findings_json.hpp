#pragma once
// Findings files in JSON: reading with full validation, and writing.
#include <nlohmann/json_fwd.hpp>

#include <ostream>
#include <set>
#include <string>
#include <vector>

#include "core/json_file.hpp"
#include "findings/model.hpp"

namespace foci {

/// One thing wrong with a findings file, at a JSON pointer ("/findings/12/direction").
struct FindingsProblem {
  std::string pointer;
  std::string message;
};

struct FindingsParse {
  FindingsFile file;  ///< what could be read; complete only when problems is empty
  std::vector<FindingsProblem> problems;
};

/// Checks every rule of findings/README.md and collects every problem; never throws on bad
/// content.
FindingsParse parse_findings(const nlohmann::json& document);

/// Reads and validates a findings file. Throws Error (input) whose lines are the file's
/// problems, each "FILE: POINTER: MESSAGE" (or "FILE:LINE:COLUMN: ..." for bad JSON).
FindingsFile read_findings_file(const std::string& path);
/// Like read_findings_file, but returns the problems instead of throwing for bad content;
/// when there are none and `valid` is given, the file read goes there (read once, not again).
/// Throws Error (input) only when the file cannot be read at all.
std::vector<std::string> validate_findings_file(const std::string& path,
                                                FindingsFile* valid = nullptr);

nlohmann::json to_json(const FindingsFile& file);
nlohmann::json to_json(const Finding& finding);

/// Writes a findings file one finding at a time, in exactly the bytes of
/// `to_json(file).dump(2) + "\n"`: that layout puts the findings first (its keys are in
/// alphabetical order), so only the studies and the file's own fields wait for finish(), and
/// memory does not grow with the number of findings. What is written is checked as it goes,
/// as parse_findings checks a whole file, except that finding ids are not compared with each
/// other (that would hold every id): the importers make them unique by construction.
class FindingsJsonWriter {
 public:
  /// Starts the document on `out`.
  explicit FindingsJsonWriter(std::ostream& out);
  /// Writes one finding. Throws Error (internal) when it does not validate: a bug of the
  /// code that made it.
  void add(const Finding& finding);
  /// Writes the rest of the document: the fields and studies of `file`, whose findings are
  /// ignored. Throws Error (internal) when they do not validate, or a finding's study is not
  /// among them.
  void finish(const FindingsFile& file);
  std::size_t count() const { return count_; }

 private:
  std::ostream& out_;
  std::size_t count_ = 0;
  std::set<std::string> studies_used_;
};

}  // namespace foci
