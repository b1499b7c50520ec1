// foci validate: check findings files against the format, reporting every problem.
#include "cli/commands.hpp"
#include "core/error.hpp"
#include "findings/findings_json.hpp"

namespace foci {

namespace {

struct ValidateRequest {
  std::vector<std::string> files;
};

void run_validate(const ValidateRequest& request, CommandContext& context) {
  std::size_t invalid = 0, problems = 0;
  for (const auto& path : request.files) {
    std::vector<std::string> lines;
    FindingsFile file;
    try {
      lines = validate_findings_file(path, &file);
    } catch (const Error& e) {
      lines = e.lines();  // unreadable, or not JSON at all
    }
    if (lines.empty()) {
      *context.out << path << ": ok (" << file.studies.size() << " studies, "
                   << file.findings.size() << " findings)\n";
      continue;
    }
    ++invalid;
    problems += lines.size();
    for (const auto& line : lines) *context.log << line << '\n';
  }
  if (invalid > 0) {
    throw input_error(std::to_string(invalid) + " of " + std::to_string(request.files.size()) +
                      " file(s) are not valid findings files (" + std::to_string(problems) +
                      " problem(s) listed above)");
  }
}

}  // namespace

void add_validate_command(CLI::App& app, CommandContext& context) {
  auto request = std::make_shared<ValidateRequest>();
  CLI::App* cmd = app.add_subcommand(
      "validate",
      "Check findings files (findings/README.md) and list every problem as FILE: POINTER: "
      "MESSAGE");
  cmd->add_option("FILE", request->files, "Findings JSON files")->required();
  cmd->callback([request, &context] { run_validate(*request, context); });
}

}  // namespace foci
