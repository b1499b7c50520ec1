// foci export: write findings as BrainNet .node/.edge, Sleuth text or TSV.
#include "cli/commands.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"
#include "findings/exporters.hpp"
#include "findings/findings_json.hpp"

namespace foci {

namespace {

struct ExportOptions {
  std::string to;
  std::string input, output, edges;
  std::string tal_transform = to_string(kDefaultTalairachTransform);
  bool force = false;
};

void run_export(const ExportOptions& options, CommandContext& context) {
  const auto format = *parse_export_format(options.to);
  const auto transform = *parse_talairach_transform(options.tal_transform);
  if (!options.edges.empty() && format != ExportFormat::brainnet) {
    throw usage_error("--edges goes with --to brainnet");
  }
  refuse_input_as_output(options.output, {options.input});
  check_can_write(options.output, options.force);
  if (!options.edges.empty()) {
    refuse_input_as_output(options.edges, {options.input});
    check_can_write(options.edges, options.force);
  }
  const FindingsFile file = read_findings_file(options.input);
  ExportResult result;
  switch (format) {
    case ExportFormat::brainnet:
      result = export_brainnet(file, transform);
      break;
    case ExportFormat::sleuth:
      result = export_sleuth(file, transform);
      break;
    case ExportFormat::tsv:
      result = export_tsv(file);
      break;
  }
  if (result.left_out.size() == file.findings.size()) {
    throw input_error("none of the " + std::to_string(file.findings.size()) + " findings of '" +
                      options.input + "' has a coordinate to export as " + options.to +
                      (file.findings.empty() ? "" : " (first: " + result.left_out.front() + ")"));
  }
  if (result.edges && options.edges.empty()) {
    throw usage_error("'" + options.input +
                      "' has connections: give --edges FILE for the "
                      "BrainNet edge matrix");
  }
  write_file_atomically(options.output, result.main, options.force);
  if (result.edges) write_file_atomically(options.edges, *result.edges, options.force);
  for (const auto& line : result.left_out)
    *context.log << "foci: [WARNING] left out " << line << '\n';
  *context.log << "foci: wrote " << options.output << (result.edges ? " and " + options.edges : "")
               << " from " << file.findings.size() - result.left_out.size() << " of "
               << file.findings.size() << " findings\n";
}

}  // namespace

void add_export_command(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<ExportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "export",
      "Write a findings file as BrainNet Viewer .node (+ .edge), Sleuth text (MNI) or TSV.\n"
      "BrainNet and Sleuth need coordinates: findings without one are left out, each named\n"
      "in a warning.");
  cmd->add_option("--to", options->to, "Output format")
      ->required()
      ->check(CLI::IsMember({"brainnet", "sleuth", "tsv"}));
  cmd->add_option("FILE", options->input, "Findings JSON")->required();
  cmd->add_option("-o,--output", options->output, "File to write")->required();
  cmd->add_option("--edges", options->edges, "BrainNet: the .edge file to write");
  cmd->add_option("--tal-transform", options->tal_transform,
                  "Talairach->MNI for BrainNet and Sleuth")
      ->check(CLI::IsMember(talairach_transform_names()))
      ->capture_default_str();
  cmd->add_flag("--force", options->force, "Overwrite outputs that exist");
  cmd->callback([options, &context] { run_export(*options, context); });
}

}  // namespace foci
