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

/// Starts `command` through /bin/sh as "exec COMMAND", so the returned process id is the
/// command's own (foci's, for a signal or a lock holder's pid), and does not wait for it.
int start_shell(const std::string& command);

/// Waits for a process from start_shell: its exit code, or -1 when a signal ended it.
int wait_for(int pid);

/// The id of a running process whose parent is `parent` and whose name is `name` (such as a
/// foci's private "Xvfb"), or 0.
int child_named(int parent, const std::string& name);

/// Whether a process holds an flock on `path` (from the kernel's /proc/locks).
bool flock_held(const std::string& path);

/// `text` in single quotes for /bin/sh.
std::string shell_quote(const std::string& text);

}  // namespace foci::testing
