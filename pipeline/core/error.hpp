#pragma once
// The one error type of foci: a failure with a stack of context lines, outermost first, and
// the exit code that main() returns for it. The library throws; only main() prints.
#include <exception>
#include <string>
#include <vector>

namespace foci {

/// Exit codes of the foci executable, documented in `foci --help` and README.md.
enum class ExitCode : int {
  ok = 0,
  internal = 1,  ///< a bug in foci: please report it
  usage = 2,     ///< bad command line (unknown option, unknown atlas name, missing argument)
  input = 3,     ///< an input file is missing, unreadable or malformed
  output = 4,    ///< an output could not be written
  partial = 5,   ///< a batch finished with some figures failed (the rest were written)
};

class Error : public std::exception {
 public:
  Error(ExitCode code, std::string message);

  /// Adds a line that says what was being done when the failure happened ("cannot load atlas
  /// 'aal'"); it is printed above the lines already there.
  Error& with_context(std::string line);

  ExitCode code() const noexcept { return code_; }
  /// Outermost context first, the original failure last.
  const std::vector<std::string>& lines() const noexcept { return lines_; }
  const char* what() const noexcept override;

 private:
  ExitCode code_;
  std::vector<std::string> lines_;
  mutable std::string joined_;
};

/// Shorthands for the common kinds.
Error input_error(std::string message);
Error usage_error(std::string message);
Error output_error(std::string message);

}  // namespace foci
