#pragma once
// Running the foci executable as a user would, for the CLI, render and batch tests.
#include <string>

namespace foci::testing {

struct ProcessResult {
  int exit_code = -1;
  std::string out, err;
};

/// Runs `command` through /bin/sh with stdout and stderr captured in files under `scratch`.
ProcessResult run_shell(const std::string& command, const std::string& scratch);

/// A file's whole content ("" when it cannot be read).
std::string slurp(const std::string& path);

}  // namespace foci::testing
