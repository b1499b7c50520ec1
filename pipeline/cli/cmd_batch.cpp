// foci batch: render every figure of one or more figure specs.
#include <unistd.h>

#include "batch/batch.hpp"
#include "cli/commands.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

namespace foci {

namespace {

struct BatchOptions {
  std::vector<std::string> specs;
  std::string out;
  int jobs = 0;
  std::string shard = "0/1";
  bool resume = false, force = false, quiet = false;
};

void run_batch_command(const BatchOptions& options, CommandContext& context) {
  BatchRequest request;
  request.specs = options.specs;
  request.out = options.out;
  const long cores = sysconf(_SC_NPROCESSORS_ONLN);
  request.jobs = options.jobs > 0 ? options.jobs : static_cast<int>(cores > 0 ? cores : 1);
  const auto slash = options.shard.find('/');
  const auto i =
      slash == std::string::npos ? std::nullopt : parse_integer(options.shard.substr(0, slash));
  const auto n =
      slash == std::string::npos ? std::nullopt : parse_integer(options.shard.substr(slash + 1));
  if (!i || !n || *n < 1 || *i < 0 || *i >= *n) {
    throw usage_error("--shard must be I/N with 0 <= I < N, got '" + options.shard + "'");
  }
  request.shard_index = static_cast<int>(*i);
  request.shard_count = static_cast<int>(*n);
  request.resume = options.resume;
  request.force = options.force;
  request.quiet = options.quiet;
  request.verbose = context.verbose;
  const BatchOutcome outcome = run_batch(request, *context.log);
  for (const auto& path : outcome.written) *context.out << path << "\n";
  for (const auto& warning : outcome.warnings)
    *context.log << "foci: [WARNING] " << warning << "\n";
  if (!options.quiet) {
    *context.log << "foci: " << outcome.written.size() << " figure(s) written, "
                 << outcome.skipped.size() << " up to date, " << outcome.failures.size()
                 << " failed; manifest in " << options.out << "/manifest.json\n";
  }
  if (!outcome.failures.empty()) {
    Error partial(ExitCode::partial, outcome.failures.back());
    for (auto it = outcome.failures.rbegin() + 1; it != outcome.failures.rend(); ++it) {
      partial.with_context(*it);
    }
    partial.with_context("some figures failed (the others were written):");
    throw partial;
  }
}

}  // namespace

void add_batch_command(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<BatchOptions>();
  CLI::App* cmd = app.add_subcommand(
      "batch",
      "Render every figure of figure specs (findings/README.md) into DIR/<name>.png, with a\n"
      "manifest of inputs and hashes. A figure that fails is reported, the rest still render,\n"
      "and the exit code is 5 (partial). Prints the files it wrote on stdout.");
  cmd->add_option("SPEC", options->specs, "Figure spec JSON files")->required();
  cmd->add_option("--out", options->out, "Output folder")->required();
  cmd->add_option("--jobs", options->jobs, "Worker processes (default: the number of cores)");
  cmd->add_option("--shard", options->shard,
                  "Render only slice I of N (I/N, 0-based), e.g. $SLURM_ARRAY_TASK_ID/"
                  "$SLURM_ARRAY_TASK_COUNT; the union of all shards is a single run")
      ->capture_default_str();
  cmd->add_flag("--resume", options->resume,
                "Skip figures whose PNG exists and whose inputs are unchanged");
  cmd->add_flag("--force", options->force, "Overwrite figures that exist");
  cmd->add_flag("--quiet", options->quiet, "No progress");
  cmd->callback([options, &context] { run_batch_command(*options, context); });
}

}  // namespace foci
