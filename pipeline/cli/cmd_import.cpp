// foci import: read BrainNet, Sleuth, NiMARE, Neurosynth or TSV into a findings file.
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "core/output_stream.hpp"
#include "findings/findings_json.hpp"
#include "findings/importers.hpp"

namespace foci {

namespace {

struct ImportOptions {
  std::string from;
  std::vector<std::string> inputs;
  std::string edges, metadata, output;
  std::string space = "MNI";
  bool force = false;
};

void run_import(const ImportOptions& options, CommandContext& context) {
  ImportRequest request;
  request.format = *parse_import_format(options.from);
  request.inputs = options.inputs;
  if (!options.edges.empty()) request.edges = options.edges;
  if (!options.metadata.empty()) request.metadata = options.metadata;
  if (!options.edges.empty() && request.format != ImportFormat::brainnet) {
    throw usage_error("--edges goes with --from brainnet");
  }
  const auto space = parse_coordinate_space(options.space);
  if (!space) throw usage_error("--space must be MNI or Talairach");
  request.default_space = *space;
  std::vector<std::string> inputs = options.inputs;
  if (!options.edges.empty()) inputs.push_back(options.edges);
  if (!options.metadata.empty()) inputs.push_back(options.metadata);
  refuse_input_as_output(options.output, inputs);
  check_can_write(options.output, options.force);
  // Each finding is written as the importer reads it, to a temporary file renamed into place
  // at the end: memory does not grow with the input, and a refused input leaves nothing.
  AtomicOutputStream output(options.output, options.force);
  FindingsJsonWriter writer(output.stream());
  std::size_t connections = 0, regions = 0;
  const FindingsFile file = import_findings(request, [&](Finding&& f) {
    connections += f.is_connection();
    regions += f.location && !f.location->coordinate;
    writer.add(f);
  });
  writer.finish(file);
  output.commit();
  const std::size_t coordinates = writer.count() - connections - regions;
  *context.log << "foci: imported " << coordinates << " coordinate(s)"
               << (regions ? ", " + std::to_string(regions) + " region(s) without coordinates" : "")
               << (connections ? " and " + std::to_string(connections) + " connection(s)" : "")
               << " from " << file.studies.size() << " study(ies) into " << options.output << "\n";
}

}  // namespace

void add_import_command(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<ImportOptions>();
  CLI::App* cmd = app.add_subcommand(
      "import",
      "Read another tool's coordinates into a findings file: BrainNet Viewer .node (+ .edge),\n"
      "Sleuth text (GingerALE/BrainMap), NiMARE dataset JSON, Neurosynth TSVs, or a TSV with\n"
      "x y z (optional: space voxels direction value label region hemisphere study measure).\n"
      "--from tsv also reads CSV as Excel saves it (comma-separated when the header has no\n"
      "tab; \"quoted\" fields may hold commas, \"\" and line breaks). A table of regions\n"
      "without coordinates (header with region, no x y z; or a row with x y z all empty) gives\n"
      "region-only findings. Text files may start with a UTF-8 byte-order mark; save UTF-16\n"
      "files as UTF-8.");
  cmd->add_option("--from", options->from, "Input format")
      ->required()
      ->check(CLI::IsMember({"brainnet", "sleuth", "nimare", "neurosynth", "tsv"}));
  cmd->add_option("FILE", options->inputs, "Input file(s); Sleuth takes several")->required();
  cmd->add_option("--edges", options->edges, "BrainNet .edge matrix for the .node file");
  cmd->add_option("--metadata", options->metadata, "Neurosynth metadata TSV (study spaces)");
  cmd->add_option("--space", options->space, "TSV: space of rows with no space column")
      ->capture_default_str();
  cmd->add_option("-o,--output", options->output, "Findings JSON to write")->required();
  cmd->add_flag("--force", options->force, "Overwrite the output if it exists");
  cmd->callback([options, &context] { run_import(*options, context); });
}

}  // namespace foci
