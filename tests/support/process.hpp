#pragma once
// Running the foci executable as a user would, for the CLI, render and batch tests.
#include <map>
#include <string>
#include <vector>

namespace foci::testing {

struct ProcessResult {
  int exit_code = -1;
  std::string out, err;
};

/// Runs `command` through /bin/sh with stdout and stderr captured in files under `scratch`.
ProcessResult run_shell(const std::string& command, const std::string& scratch);

/// A TSV text as rows of column name -> cell, for checking cells by their column's name.
/// A row whose cell count differs from the header's fails the calling test.
std::vector<std::map<std::string, std::string>> read_tsv(const std::string& text);

/// A file's whole content ("" when it cannot be read).
std::string slurp(const std::string& path);

}  // namespace foci::testing
