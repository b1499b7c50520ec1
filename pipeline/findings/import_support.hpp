#pragma once
// What the importers share besides ids (importers.hpp): checks that name the file and line,
// so that a value too long or too large for a findings file is refused where it is read.
#include <optional>
#include <string>
#include <vector>

#include "findings/importers.hpp"

namespace foci {

/// `text` when it has at most `limit` characters; else Error (input) "PLACE: WHAT is N
/// characters long; at most LIMIT are allowed".
const std::string& within_limit(const std::string& text, std::size_t limit,
                                const std::string& place, const std::string& what);

/// A coordinate read as `field`: a finite number within kMaxCoordinateMagnitudeMm, else
/// Error (input) "PLACE: WHAT ('FIELD') is not a number" or "PLACE: WHAT (FIELD mm) is beyond
/// +/-1000 mm ..." ("PLACE: 'FIELD' ..." when `what` is empty).
double checked_coordinate(const std::string& field, const std::string& place,
                          const std::string& what);

/// Runs an importer with a sink that collects its findings into the file it returns.
template <typename Import>
FindingsFile collect_findings(Import import) {
  std::vector<Finding> findings;
  FindingsFile file = import([&](Finding&& f) { findings.push_back(std::move(f)); });
  file.findings = std::move(findings);
  return file;
}

}  // namespace foci
