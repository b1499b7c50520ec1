// Usage errors as a user meets them: the first line of stderr says what was wrong in the
// user's own words (the name typed, the placeholder --help shows), suggests the nearest
// name, and points at the help of the command that was being parsed; the exit code is 2.
#include <gtest/gtest.h>

#include <sstream>

#include "nifti_fixture.hpp"
#include "process.hpp"

namespace foci {
namespace {

using testing::ProcessResult;
using testing::TempDir;

class CliUsage : public ::testing::Test {
 protected:
  ProcessResult run_foci(const std::string& args) {
    return testing::run_shell(std::string("'") + FOCI_BINARY + "' " + args, dir_.root());
  }
  TempDir dir_;
};

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

/// A usage error: exit code 2, nothing on stdout, and exactly these two lines on stderr.
void expect_usage_error(const ProcessResult& r, const std::string& first,
                        const std::string& help_command) {
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.out, "") << "no help page or data on stdout";
  const auto lines = lines_of(r.err);
  ASSERT_EQ(lines.size(), 2u) << r.err;
  EXPECT_EQ(lines[0], "foci: [ERROR] " + first);
  EXPECT_EQ(lines[1], "foci: [ERROR]   run '" + help_command + " --help' for usage");
}

// Defect: "foci atlas quary" said "A subcommand is required", as if nothing had been typed.
TEST_F(CliUsage, UnknownSubCommandIsNamedAsUnknownNotAsMissing) {
  expect_usage_error(run_foci("atlas quary"), "unknown sub-command 'quary'; did you mean 'query'?",
                     "foci atlas");
  expect_usage_error(run_foci("mapp x.json --out y"),
                     "unknown sub-command 'mapp'; did you mean 'map'?", "foci");
}

// Defect: "foci atlas query --mnii 1 2 3" suggested nothing and pointed at 'foci atlas --help'
// (and, without --atlas, reported the missing --atlas instead of the typo).
TEST_F(CliUsage, UnknownOptionGetsTheNearestOptionAndTheHelpOfItsSubCommand) {
  expect_usage_error(run_foci("atlas query --mnii 1 2 3"),
                     "unknown option '--mnii'; did you mean '--mni'?", "foci atlas query");
  expect_usage_error(run_foci("atlas query --atlas aal --mnii 1 2 3"),
                     "unknown option '--mnii'; did you mean '--mni'?", "foci atlas query");
  expect_usage_error(run_foci("atlas list --formt=json"),
                     "unknown option '--formt'; did you mean '--format'?", "foci atlas list");
  expect_usage_error(run_foci("batch s.json --out o --jbos 2"),
                     "unknown option '--jbos'; did you mean '--jobs'?", "foci batch");
  // An option of foci itself, typed before the sub-command, is foci's to suggest.
  expect_usage_error(run_foci("--verbos atlas list"),
                     "unknown option '--verbos'; did you mean '--verbose'?", "foci");
}

// A stray word after a complete command is neither an option nor a sub-command.
TEST_F(CliUsage, UnexpectedArgumentPointsAtItsCommand) {
  expect_usage_error(run_foci("atlas list extra"), "unexpected argument 'extra'",
                     "foci atlas list");
}

// Defect: "foci batch" said "specs is required", a name from the source code. Every required
// positional is named by the placeholder of the command's usage line, with what it stands for.
TEST_F(CliUsage, MissingPositionalIsNamedByItsUsagePlaceholder) {
  struct Case {
    const char* args;
    const char* command;
    const char* usage;  ///< the positional in the usage line
    const char* first_line;
  };
  const Case cases[] = {
      {"batch --out o", "batch", "SPEC...", "SPEC is required (figure spec JSON files)"},
      {"validate", "validate", "FILE...", "FILE is required (findings JSON files)"},
      {"map --out o", "map", "FILE...", "FILE is required (findings JSON files)"},
      // render and inspect take maps alone too (--overlay): their own checks say so.
      {"import --from tsv -o x.json", "import", "FILE...",
       "FILE is required (input file(s); Sleuth takes several)"},
      {"export --to tsv -o x.tsv", "export", "FILE", "FILE is required (findings JSON)"},
      {"atlas resolve --atlas aal", "atlas resolve", "NAME...",
       "NAME is required (region names, e.g. \"右侧海马\" \"L DLPFC\")"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.args);
    expect_usage_error(run_foci(c.args), c.first_line, std::string("foci ") + c.command);
    // The placeholder is the one the help's usage line shows.
    const auto help = run_foci(std::string(c.command) + " --help");
    ASSERT_EQ(help.exit_code, 0) << help.err;
    EXPECT_NE(help.out.find("Usage: foci " + std::string(c.command) + " [OPTIONS] " + c.usage),
              std::string::npos)
        << help.out;
  }
}

// inspect shows findings, maps (--overlay), or both: with neither it says what it needs.
TEST_F(CliUsage, InspectWithoutFindingsOrMapsSaysWhatItNeeds) {
  const auto r = run_foci("inspect");
  EXPECT_EQ(r.exit_code, 2) << r.err;
  EXPECT_EQ(r.out, "");
  EXPECT_EQ(r.err, "foci: [ERROR] nothing to show: give findings files, --overlay maps, or both\n");
}

// A missing sub-command lists the ones there are.
TEST_F(CliUsage, MissingSubCommandListsTheChoices) {
  expect_usage_error(run_foci("atlas"), "a sub-command is required: list, query, regions, resolve",
                     "foci atlas");
  expect_usage_error(
      run_foci(""),
      "a sub-command is required: atlas, import, export, validate, map, meta, render, batch, "
      "inspect, slices, web",
      "foci");
}

// Defect: "foci nosuchcommand --help" printed foci's help and exited 0, so a script with a
// typo carried on as if it had worked.
TEST_F(CliUsage, UnknownNamesAreErrorsEvenWithHelp) {
  expect_usage_error(run_foci("nosuchcommand --help"), "unknown sub-command 'nosuchcommand'",
                     "foci");
  expect_usage_error(run_foci("rendr --help"),
                     "unknown sub-command 'rendr'; did you mean 'render'?", "foci");
  expect_usage_error(run_foci("atlas quary --help"),
                     "unknown sub-command 'quary'; did you mean 'query'?", "foci atlas");
  expect_usage_error(run_foci("atlas query --mnii 1 2 3 --help"),
                     "unknown option '--mnii'; did you mean '--mni'?", "foci atlas query");
  // Help for a command typed right is still help.
  const auto help = run_foci("atlas query --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_EQ(help.err, "");
  EXPECT_NE(help.out.find("Usage: foci atlas query [OPTIONS]"), std::string::npos) << help.out;
}

}  // namespace
}  // namespace foci
