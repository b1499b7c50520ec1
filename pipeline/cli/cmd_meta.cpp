// foci meta: coordinate-based meta-analysis (ALE, MKDA) with analytic p values and Monte
// Carlo family-wise error, in shards that `foci meta combine` merges.
#include <chrono>
#include <filesystem>
#include <map>
#include <thread>

#include "atlas/atlas.hpp"
#include "atlas/nifti_io.hpp"
#include "cli/commands.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "findings/findings_json.hpp"
#include "meta/analysis.hpp"
#include "render/scene_from_mapping.hpp"

namespace foci {

namespace fs = std::filesystem;

namespace {

struct MetaCommandOptions {
  MetaOptions meta;
  std::string out;
  std::string voxel_rule = "nearest";
  std::string group_by = "contrast";
  std::string fwe_by = "size";
  std::string tal_transform = to_string(kDefaultTalairachTransform);
  std::optional<double> sample_size;
  std::string shard = "0/1";
  int jobs = 0;
  bool force = false;
  std::vector<std::string> combine_dirs;
};

int default_jobs() { return std::max(1, static_cast<int>(std::thread::hardware_concurrency())); }

void check_options(const MetaOptions& o, int jobs) {
  if (!(o.cluster_p > 0 && o.cluster_p < 1))
    throw usage_error("--cluster-p must lie between 0 and 1");
  if (!(o.fwe_p > 0 && o.fwe_p <= 1)) throw usage_error("--fwe-p must be above 0 and at most 1");
  if (!(o.radius_mm > 0 && o.radius_mm <= 50))
    throw usage_error("--radius must be above 0 and at most 50 mm");
  if (o.experiments.default_sample_size && !(*o.experiments.default_sample_size >= 1)) {
    throw usage_error("--sample-size must be at least 1");
  }
  if (o.iterations > 100000000) throw usage_error("--iterations must be at most 100000000");
  if (jobs < 1) throw usage_error("--jobs must be at least 1");
  if (o.shard_count > 1 && o.iterations == 0) {
    throw usage_error("--shard splits Monte Carlo iterations; give --iterations N");
  }
}

void parse_shard(const std::string& text, MetaOptions& o) {
  const auto slash = text.find('/');
  const auto index = parse_integer(text.substr(0, slash));
  const auto count =
      slash == std::string::npos ? std::nullopt : parse_integer(text.substr(slash + 1));
  if (!index || !count || *count < 1 || *index < 0 || *index >= *count || *count > 100000) {
    throw usage_error("--shard must be I/N with 0 <= I < N, got '" + text + "'");
  }
  o.shard_index = static_cast<int>(*index);
  o.shard_count = static_cast<int>(*count);
}

/// Reads, filters and analyses; writes every output of `options` into `out`. `given` is a
/// merged null (combine); without it the iterations of this shard are run here.
void run_meta(const MetaOptions& options, const std::string& out, bool force, int jobs,
              const std::optional<MetaNull>& given, CommandContext& context) {
  check_options(options, jobs);
  // Refuse before any work: existing results stay unless --force.
  const fs::path dir(out);
  std::error_code ec;
  if (fs::exists(dir, ec) && !fs::is_directory(dir, ec)) {
    throw output_error("'" + out + "' exists and is not a folder");
  }
  for (const auto& name : meta_output_names(options)) {
    if (!force && fs::exists(dir / name, ec)) {
      throw output_error("'" + (dir / name).string() + "' exists; use --force to overwrite it");
    }
  }
  const auto start = std::chrono::steady_clock::now();

  // Every input is read and checked before anything is computed or written.
  FindingFilter filter;
  for (const auto& f : options.filters) add_filter_conditions(filter, f);
  std::vector<FindingsFile> files;
  for (const auto& path : options.inputs) files.push_back(read_findings_file(path));
  std::vector<FindingInput> inputs;
  std::size_t all = 0;
  for (std::size_t n = 0; n < files.size(); ++n) {
    for (const auto& f : files[n].findings) {
      ++all;
      FindingInput input{options.inputs[n], &f, &files[n]};
      if (filter.matches(input)) inputs.push_back(input);
    }
  }
  if (inputs.empty()) {
    std::string names;
    for (const auto& p : options.inputs) names += (names.empty() ? "" : ", ") + p;
    throw input_error(all == 0 ? "no findings in " + names
                               : "the filter matches none of the " + std::to_string(all) +
                                     " findings of " + names);
  }
  MetaGrid grid;
  std::string mask_hash;
  if (options.mask.empty()) {
    const auto manifest = find_atlas_manifest("ch2bet");
    grid = default_meta_grid(read_label_volume(locate_atlas_file(manifest, manifest.volume_file)),
                             "ch2bet");
  } else {
    grid = meta_grid_from_mask_file(options.mask);
    mask_hash = file_hash(options.mask);
  }
  std::vector<Atlas> atlases;
  if (options.iterations > 0 && options.shard_count == 1) {
    for (const auto& name : options.atlases)
      atlases.push_back(Atlas::load(find_atlas_manifest(name)));
  }
  std::vector<std::string> hashes;
  for (const auto& path : options.inputs) hashes.push_back(file_hash(path));

  const MetaAnalysis analysis = analyse(inputs, grid, options);
  std::optional<MetaNull> null = given;
  if (!null && options.iterations > 0) null = run_null(analysis, options, jobs, context.log);
  write_meta_outputs(analysis, grid, atlases, options, null, hashes, mask_hash, out);

  float max_stat = 0;
  for (const float v : analysis.stat) max_stat = std::max(max_stat, v);
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  *context.log << "foci: " << to_string(options.method) << ": "
               << analysis.experiments.experiments.size() << " experiments, "
               << analysis.experiments.focus_count() << " foci ("
               << analysis.experiments.outside_mask().size() << " outside the mask, kept; "
               << analysis.experiments.outside_grid.size() << " outside the grid, left out); max "
               << max_stat;
  if (options.iterations > 0) {
    *context.log << "; " << (null ? null->results.size() : 0) << " of " << options.iterations
                 << " iterations";
    if (options.shard_count > 1) {
      *context.log << " (shard " << options.shard_index << "/" << options.shard_count << ")";
    }
  }
  *context.log << "; " << format_mm(seconds) << " s; results in " << out << "\n";
  for (const auto& f : analysis.experiments.outside_grid) {
    *context.log << "foci: [WARNING] " << f.place << " lies outside the grid; left out\n";
  }
}

void run_combine(const MetaCommandOptions& command, CommandContext& context) {
  if (command.combine_dirs.empty()) throw usage_error("give the shard folders to combine");
  std::optional<MetaOptions> first;
  std::vector<std::string> hashes;
  std::string mask_hash;
  std::map<int, MetaNull> shards;
  int count = 0;
  for (const auto& dir : command.combine_dirs) {
    const std::string manifest = (fs::path(dir) / "manifest.json").string();
    std::vector<std::string> these_hashes;
    std::string this_mask_hash;
    const MetaOptions o = read_meta_manifest(manifest, these_hashes, this_mask_hash);
    if (o.shard_count < 2) throw input_error(manifest + ": not the manifest of a shard");
    if (o.iterations == 0) throw input_error(manifest + ": a shard without iterations");
    MetaOptions same = o;
    same.shard_index = 0;
    if (!first) {
      first = same;
      hashes = these_hashes;
      mask_hash = this_mask_hash;
      count = o.shard_count;
    } else if (same.inputs != first->inputs || these_hashes != hashes ||
               this_mask_hash != mask_hash || same.filters != first->filters ||
               same.mask != first->mask || same.method != first->method ||
               same.iterations != first->iterations || same.seed != first->seed ||
               same.shard_count != first->shard_count || same.cluster_p != first->cluster_p ||
               same.fwe_p != first->fwe_p || same.fwe_by != first->fwe_by ||
               same.atlases != first->atlases || same.radius_mm != first->radius_mm ||
               same.experiments.voxel_rule != first->experiments.voxel_rule ||
               same.experiments.group_by != first->experiments.group_by ||
               same.experiments.transform != first->experiments.transform ||
               same.experiments.default_sample_size != first->experiments.default_sample_size) {
      throw input_error(manifest + ": this shard's run differs from that of '" +
                        command.combine_dirs.front() + "'; only shards of one run combine");
    }
    int index = 0, of = 0;
    const std::string null_path = (fs::path(dir) / "null.json").string();
    MetaNull null = read_null_json(null_path, index, of);
    if (index != o.shard_index || of != o.shard_count || null.seed != o.seed ||
        null.total != o.iterations ||
        null.iterations != shard_iterations(o.iterations, o.shard_index, o.shard_count)) {
      throw input_error(null_path + ": does not hold the iterations its manifest names");
    }
    if (!shards.emplace(o.shard_index, std::move(null)).second) {
      throw input_error(dir + ": shard " + std::to_string(o.shard_index) + " is given twice");
    }
  }
  std::string missing;
  for (int i = 0; i < count; ++i) {
    if (!shards.count(i)) missing += (missing.empty() ? "" : ", ") + std::to_string(i);
  }
  if (!missing.empty()) {
    throw input_error("the run has " + std::to_string(count) + " shards; missing: shard " +
                      missing);
  }
  MetaOptions options = *first;
  options.shard_index = 0;
  options.shard_count = 1;
  for (std::size_t n = 0; n < options.inputs.size(); ++n) {
    if (file_hash(options.inputs[n]) != hashes[n]) {
      throw input_error("'" + options.inputs[n] + "' has changed since the shards ran");
    }
  }
  if (!options.mask.empty() && file_hash(options.mask) != mask_hash) {
    throw input_error("'" + options.mask + "' has changed since the shards ran");
  }
  MetaNull merged;
  merged.seed = options.seed;
  merged.total = options.iterations;
  for (std::uint64_t i = 0; i < options.iterations; ++i) {
    const MetaNull& shard = shards.at(static_cast<int>(i % static_cast<std::uint64_t>(count)));
    merged.iterations.push_back(i);
    merged.results.push_back(shard.results.at(i / static_cast<std::uint64_t>(count)));
  }
  run_meta(options, command.out, command.force, 1, merged, context);
}

void add_method_command(CLI::App& meta, const std::string& name, MetaMethod method,
                        CommandContext& context) {
  auto o = std::make_shared<MetaCommandOptions>();
  o->meta.method = method;
  o->jobs = default_jobs();
  const bool ale = method == MetaMethod::ale;
  CLI::App* cmd = meta.add_subcommand(
      name, ale ? "Activation likelihood estimation (Eickhoff et al. 2009, 2012; Turkeltaub "
                  "et al. 2012):\nexperiments' modelled activation as Gaussians whose width "
                  "follows their sample size N."
                : "Multilevel kernel density analysis (Wager et al. 2007): the number of "
                  "experiments\nwith a focus within --radius of each voxel.");
  cmd->add_option("FILE", o->meta.inputs, "Findings JSON files")->required();
  cmd->add_option("--out", o->out, "Output folder (created if missing)")->required();
  cmd->add_option("--filter", o->meta.filters,
                  "Only findings that match: key=value,... (keys measure, direction, study,\n"
                  "timepoint, category, network, file; a|b for alternatives); repeatable")
      ->allow_extra_args(false);  // one value each time, so FILE may follow it
  cmd->add_option("--mask", o->meta.mask,
                  "A binary NIfTI mask on its own grid (default: the MNI 2 mm grid masked by\n"
                  "the Colin27 brain)");
  cmd->add_option("--voxel-rule", o->voxel_rule,
                  "nearest: the voxel whose centre is nearest; floor: the truncated index, as "
                  "NiMARE")
      ->check(CLI::IsMember({"nearest", "floor"}))
      ->capture_default_str();
  cmd->add_option("--group-by", o->group_by,
                  "An experiment is one study's contrast, or one study (contrasts pooled)")
      ->check(CLI::IsMember({"contrast", "study"}))
      ->capture_default_str();
  if (ale) {
    cmd->add_option("--sample-size", o->sample_size,
                    "N for experiments whose findings (sample_size) and study (patients,\n"
                    "controls) give none");
  } else {
    cmd->add_option("--radius", o->meta.radius_mm, "Sphere radius (mm)")->capture_default_str();
  }
  cmd->add_option("--tal-transform", o->tal_transform, "Talairach->MNI transform")
      ->check(CLI::IsMember(talairach_transform_names()))
      ->capture_default_str();
  cmd->add_option("--iterations", o->meta.iterations,
                  "Monte Carlo iterations for family-wise error (0: analytic maps only)")
      ->capture_default_str();
  cmd->add_option("--cluster-p", o->meta.cluster_p, "Cluster-forming threshold (uncorrected p)")
      ->capture_default_str();
  cmd->add_option("--fwe-p", o->meta.fwe_p, "Clusters kept below this FWE p")
      ->capture_default_str();
  cmd->add_option("--fwe-by", o->fwe_by, "Judge clusters by size or mass")
      ->check(CLI::IsMember({"size", "mass"}))
      ->capture_default_str();
  cmd->add_option("--seed", o->meta.seed, "Seed of the Monte Carlo draws")->capture_default_str();
  cmd->add_option("--jobs", o->jobs, "Worker processes (default: the cores)");
  cmd->add_option("--shard", o->shard,
                  "Run iterations I, I+N, I+2N ... only; 'foci meta combine' merges shards")
      ->capture_default_str();
  cmd->add_option("--atlas", o->meta.atlases, "Atlases that name clusters, comma-separated")
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_flag("--force", o->force, "Overwrite results already in the output folder");
  cmd->callback([o, &context] {
    MetaOptions options = o->meta;
    options.experiments.voxel_rule =
        o->voxel_rule == "floor" ? VoxelRule::floor : VoxelRule::nearest;
    options.experiments.group_by = o->group_by == "study" ? GroupBy::study : GroupBy::contrast;
    options.experiments.transform = *parse_talairach_transform(o->tal_transform);
    options.experiments.default_sample_size = o->sample_size;
    options.fwe_by = o->fwe_by == "mass" ? FweBy::mass : FweBy::size;
    parse_shard(o->shard, options);
    run_meta(options, o->out, o->force, o->jobs, std::nullopt, context);
  });
}

}  // namespace

void add_meta_command(CLI::App& app, CommandContext& context) {
  CLI::App* meta = app.add_subcommand(
      "meta",
      "Coordinate-based meta-analysis: ALE or MKDA maps, analytic p and z, Monte Carlo\n"
      "family-wise error and clusters. Writes DIR/stat.nii.gz, p.nii.gz, z.nii.gz, report.md,\n"
      "manifest.json and, with --iterations, logp_*_fwe.nii.gz, clusters.nii.gz, clusters.tsv\n"
      "and null.json.");
  meta->require_subcommand(1);
  add_method_command(*meta, "ale", MetaMethod::ale, context);
  add_method_command(*meta, "mkda", MetaMethod::mkda, context);
  auto o = std::make_shared<MetaCommandOptions>();
  CLI::App* combine = meta->add_subcommand(
      "combine",
      "Merge the shards of one run (foci meta ale|mkda --shard I/N) into the outputs of a\n"
      "single run, byte for byte. Run it where the shards ran: it reads their inputs again.");
  combine->add_option("DIR", o->combine_dirs, "Shard output folders")->required();
  combine->add_option("--out", o->out, "Output folder (created if missing)")->required();
  combine->add_flag("--force", o->force, "Overwrite results already in the output folder");
  combine->callback([o, &context] { run_combine(*o, context); });
}

}  // namespace foci
