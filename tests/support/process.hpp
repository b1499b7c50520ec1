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

/// Like run_shell, and also the peak resident memory of the run in KiB: the largest of the
/// shell and every process it waited for (the kernel's ru_maxrss through wait4), so a test
/// can check that a command's memory does not grow with its input. The figure is at least the
/// resident size of the calling process when it forks (a few tens of MB for a test).
struct MeasuredResult {
  ProcessResult result;
  long peak_rss_kib = -1;
};
MeasuredResult run_shell_measured(const std::string& command, const std::string& scratch);

/// A TSV text as rows of column name -> cell, for checking cells by their column's name.
/// A row whose cell count differs from the header's fails the calling test.
std::vector<std::map<std::string, std::string>> read_tsv(const std::string& text);

/// A file's whole content ("" when it cannot be read).
std::string slurp(const std::string& path);

}  // namespace foci::testing
