#pragma once
// What `foci import` does with an importer's result, as a harness check: the findings must
// validate (cmd_import.cpp calls a failure an internal error) and be writable as JSON.
#include <nlohmann/json.hpp>

#include "findings/exporters.hpp"
#include "findings/findings_json.hpp"
#include "fuzz_common.hpp"

namespace foci::fuzz {

inline void check_findings_round_trip(const FindingsFile& file, const char* what) {
  const nlohmann::json document = to_json(file);
  const auto check = parse_findings(document);
  if (!check.problems.empty()) {
    bug(std::string(what) + " does not validate",
        check.problems.front().pointer + ": " + check.problems.front().message);
  }
  (void)document.dump(2);
}

/// The exporters on a valid findings file (what `foci export` does after reading one).
inline void export_everything(const FindingsFile& file) {
  expect_only_foci_errors([&] { (void)export_tsv(file); });
  expect_only_foci_errors([&] { (void)export_brainnet(file, kDefaultTalairachTransform); });
  expect_only_foci_errors([&] { (void)export_sleuth(file, kDefaultTalairachTransform); });
}

}  // namespace foci::fuzz
