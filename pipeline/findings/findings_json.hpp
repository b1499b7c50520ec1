#pragma once
// Findings files in JSON: reading with full validation, and writing.
#include <nlohmann/json_fwd.hpp>

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
/// Like read_findings_file, but returns the problems instead of throwing for bad content.
/// Throws Error (input) only when the file cannot be read at all.
std::vector<std::string> validate_findings_file(const std::string& path);

nlohmann::json to_json(const FindingsFile& file);
nlohmann::json to_json(const Finding& finding);

}  // namespace foci
