// foci map: place every finding in atlas space, check it, and write tables and NIfTI maps.
#include <filesystem>

#include "atlas/atlas.hpp"
#include "atlas/lexicon.hpp"
#include "atlas/nifti_io.hpp"
#include "cli/commands.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"
#include "findings/findings_json.hpp"
#include "mapping/mapping.hpp"
#include "mapping/mapping_outputs.hpp"

namespace foci {

namespace fs = std::filesystem;

namespace {

struct MapOptions {
  std::vector<std::string> files;
  std::vector<std::string> atlases{"aal"};
  std::string out;
  double radius_mm = kDefaultSearchRadiusMm;
  double sphere_radius_mm = kDefaultSphereRadiusMm;
  std::string tal_transform = to_string(kDefaultTalairachTransform);
  bool force = false;
};

const char* const kTables[] = {"mapped.json", "mapped.tsv", "summary.md", "summary.tsv"};

/// The brain mask for the outside-brain check: the Colin27 brain (ch2bet), on which AAL and
/// Brodmann were drawn. Absent, the check is skipped and the record says so.
std::optional<LabelVolume> load_brain_mask(CommandContext& context) {
  try {
    const auto manifest = find_atlas_manifest("ch2bet");
    return read_label_volume(locate_atlas_file(manifest, manifest.volume_file));
  } catch (const Error& e) {
    *context.log << "foci: [WARNING] no brain mask (" << e.lines().back()
                 << "); outside-brain checks are skipped\n";
    return std::nullopt;
  }
}

void run_map(const MapOptions& options, CommandContext& context) {
  const auto transform = *parse_talairach_transform(options.tal_transform);
  if (!(options.radius_mm >= 0 && options.radius_mm <= 50)) {
    throw usage_error("--radius must be between 0 and 50 mm");
  }
  if (!(options.sphere_radius_mm > 0 && options.sphere_radius_mm <= 50)) {
    throw usage_error("--sphere-radius must be above 0 and at most 50 mm");
  }
  // Refuse before any work: existing results stay unless --force.
  const fs::path out(options.out);
  std::error_code ec;
  for (const char* name : kTables) {
    if (!options.force && fs::exists(out / name, ec)) {
      throw output_error("'" + (out / name).string() + "' exists; use --force to overwrite it");
    }
  }
  if (fs::exists(out, ec) && !fs::is_directory(out, ec)) {
    throw output_error("'" + options.out + "' exists and is not a folder");
  }
  if (!options.force && fs::is_directory(out / "maps", ec) && !fs::is_empty(out / "maps", ec)) {
    throw output_error("'" + (out / "maps").string() + "' holds maps; use --force to overwrite");
  }

  // Every input is read and checked before anything is mapped.
  std::vector<FindingsFile> files;
  for (const auto& path : options.files) files.push_back(read_findings_file(path));
  std::vector<Atlas> atlases;
  for (const auto& name : options.atlases)
    atlases.push_back(Atlas::load(find_atlas_manifest(name)));
  const RegionLexicon lexicon = RegionLexicon::load_default();
  const auto mask = load_brain_mask(context);

  MappingRequest request;
  for (const auto& a : atlases) request.atlases.push_back(&a);
  request.lexicon = &lexicon;
  request.brain_mask = mask ? &*mask : nullptr;
  request.transform = transform;
  request.search_radius_mm = options.radius_mm;
  std::vector<FindingInput> inputs;
  for (std::size_t n = 0; n < files.size(); ++n) {
    for (const auto& f : files[n].findings) inputs.push_back({options.files[n], &f, &files[n]});
  }
  const MappingResult result = map_findings(inputs, request);

  MappingRecord record;
  record.inputs = options.files;
  record.atlases = options.atlases;
  record.transform = transform;
  record.search_radius_mm = options.radius_mm;
  record.brain_mask = mask.has_value();

  fs::create_directories(out / "maps", ec);
  if (ec) throw output_error("cannot create '" + (out / "maps").string() + "': " + ec.message());
  for (const auto& [name, volume] :
       mapping_maps(result, request.atlases, lexicon, options.sphere_radius_mm)) {
    write_label_volume(volume, (out / "maps" / name).string());
  }
  write_file_atomically((out / "mapped.tsv").string(), mapped_tsv(result, record), true);
  write_file_atomically((out / "summary.tsv").string(), summary_tsv(result, lexicon), true);
  write_file_atomically((out / "summary.md").string(), summary_markdown(result, record, lexicon),
                        true);
  // mapped.json last: its presence says the run finished.
  write_file_atomically((out / "mapped.json").string(), mapped_json(result, record, lexicon), true);

  std::string warnings;
  for (const auto& [code, n] : result.warning_counts()) {
    warnings += (warnings.empty() ? "" : ", ") + code + " " + std::to_string(n);
  }
  *context.log << "foci: " << result.input_count << " findings: " << result.mapped.size()
               << " mapped (" << result.placement_count() << " placements), "
               << result.unmapped.size()
               << " unmapped; warnings: " << (warnings.empty() ? "none" : warnings)
               << "; results in " << options.out << "\n";
  for (const auto& u : result.unmapped) {
    *context.log << "foci: [WARNING] unmapped " << u.input.file << ": " << u.input.finding->id
                 << ": " << u.reason << "\n";
  }
}

}  // namespace

void add_map_command(CLI::App& app, CommandContext& context) {
  auto options = std::make_shared<MapOptions>();
  CLI::App* cmd = app.add_subcommand(
      "map",
      "Place every finding in atlas space. A reported coordinate (Talairach converted) gets the\n"
      "label of each atlas, or the nearest within --radius; a named region gets its labels and\n"
      "is placed at their centroid on the named side (both sides when none is named), marked\n"
      "atlas-derived. Warnings: label-mismatch, side-flip, outside-brain, space-mixup,\n"
      "duplicate, unresolved-region, side-conflict. Writes DIR/mapped.json, mapped.tsv,\n"
      "summary.md, summary.tsv and DIR/maps/*.nii.gz on the first atlas's grid.");
  cmd->add_option("FILE", options->files, "Findings JSON files")->required();
  cmd->add_option("--atlas", options->atlases,
                  "Atlases, comma-separated; the first that has labels for a region places it")
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_option("--out", options->out, "Output folder (created if missing)")->required();
  cmd->add_option("--radius", options->radius_mm,
                  "How far (mm) to look for the nearest label outside one")
      ->capture_default_str();
  cmd->add_option("--sphere-radius", options->sphere_radius_mm,
                  "Sphere radius (mm) for coordinates without a cluster volume")
      ->capture_default_str();
  cmd->add_option("--tal-transform", options->tal_transform, "Talairach->MNI transform")
      ->check(CLI::IsMember(talairach_transform_names()))
      ->capture_default_str();
  cmd->add_flag("--force", options->force, "Overwrite results already in the output folder");
  cmd->callback([options, &context] { run_map(*options, context); });
}

}  // namespace foci
