// Usage errors as a user meets them: the first line of stderr says what was wrong in the
// user's own words (the name typed, the placeholder --help shows), suggests the nearest
// name, and points at the help of the command that was being parsed; the exit code is 2.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

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

/// The sub-commands a help page lists under "Subcommands:".
std::vector<std::string> sub_commands(const std::string& help) {
  std::vector<std::string> names;
  bool in_list = false;
  for (const auto& line : lines_of(help)) {
    if (line == "Subcommands:") {
      in_list = true;
    } else if (in_list && line.rfind("  ", 0) == 0 && line.size() > 2 && line[2] != ' ') {
      names.push_back(line.substr(2, line.find(' ', 2) - 2));
    } else if (in_list && !line.empty() && line[0] != ' ') {
      in_list = false;
    }
  }
  return names;
}

/// The options a help page offers, each as its names ("-o", "--out"), --help left out.
std::vector<std::vector<std::string>> options_of(const std::string& help) {
  std::vector<std::vector<std::string>> options;
  bool in_options = false;
  for (const auto& line : lines_of(help)) {
    if (line == "Options:") in_options = true;
    if (line == "Exit codes:") in_options = false;
    const auto start = line.find_first_not_of(' ');
    if (!in_options || start == std::string::npos || line[start] != '-') continue;
    std::vector<std::string> names;
    std::istringstream spec(line.substr(start, line.find(' ', start) - start));
    for (std::string name; std::getline(spec, name, ',');) names.push_back(name);
    if (names.back() != "--help") options.push_back(names);
  }
  return options;
}

/// Whether `text` holds `word` on its own: not inside a longer option or name.
bool names_word(const std::string& text, const std::string& word) {
  const auto part = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_'; };
  for (auto at = text.find(word); at != std::string::npos; at = text.find(word, at + 1)) {
    const bool starts = at == 0 || !part(text[at - 1]);
    const bool ends = at + word.size() == text.size() || !part(text[at + word.size()]);
    if (starts && ends) return true;
  }
  return false;
}

// The README's reference cannot drift from the program: every sub-command has its section
// (### foci NAME), and every option its --help offers is named in that section.
TEST_F(CliUsage, TheReadmeDocumentsEverySubCommandAndOption) {
  const std::string readme = testing::slurp(FOCI_SOURCE_DIR "/README.md");
  const auto top = run_foci("--help");
  ASSERT_EQ(top.exit_code, 0);
  const auto commands = sub_commands(top.out);
  ASSERT_GE(commands.size(), 10u) << top.out;
  for (const auto& command : commands) {
    const std::string heading = "\n### foci " + command + "\n";
    const auto start = readme.find(heading);
    if (start == std::string::npos) {
      ADD_FAILURE() << "README has no section '### foci " << command << "'";
      continue;
    }
    const auto end = std::min(readme.find("\n### ", start + 1), readme.find("\n## ", start + 1));
    const std::string section = readme.substr(start, end - start);
    std::vector<std::string> pages{command};
    const auto help = run_foci(command + " --help");
    ASSERT_EQ(help.exit_code, 0) << command;
    for (const auto& sub : sub_commands(help.out)) pages.push_back(command + " " + sub);
    for (const auto& page : pages) {
      const auto page_help = run_foci(page + " --help");
      ASSERT_EQ(page_help.exit_code, 0) << page;
      if (page != command) {
        EXPECT_TRUE(names_word(section, page.substr(command.size() + 1)))
            << "README's section of foci " << command << " does not show 'foci " << page << "'";
      }
      for (const auto& names : options_of(page_help.out)) {
        EXPECT_TRUE(std::any_of(names.begin(), names.end(),
                                [&](const std::string& n) { return names_word(section, n); }))
            << "README's section of foci " << command << " does not name " << page << "'s "
            << names.back();
      }
    }
  }
}

// The README's table of what to cite holds each shipped atlas's citation as its manifest
// says it, so a manifest that changes cannot leave the README behind.
TEST_F(CliUsage, TheReadmeCitesEveryShippedAtlasAsItsManifestDoes) {
  const std::string readme = testing::slurp(FOCI_SOURCE_DIR "/README.md");
  const auto listed = run_foci("atlas list --format json");
  ASSERT_EQ(listed.exit_code, 0) << listed.err;
  const auto atlases = nlohmann::json::parse(listed.out);
  ASSERT_GE(atlases.size(), 7u);
  for (const auto& atlas : atlases) {
    const std::string name = atlas.at("name");
    const std::string citation = atlas.value("citation", "");
    EXPECT_FALSE(citation.empty()) << name;
    EXPECT_NE(readme.find("| `" + name + "` | " + citation + " |"), std::string::npos)
        << "README's citation table lacks " << name << ": " << citation;
  }
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
