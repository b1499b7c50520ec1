// foci map: place every finding in atlas space, check it, and write tables and NIfTI maps.
#include <malloc.h>

#include <algorithm>
#include <filesystem>
#include <future>
#include <iterator>
#include <vector>

#include "atlas/atlas.hpp"
#include "atlas/lexicon.hpp"
#include "atlas/nifti_io.hpp"
#include "cli/commands.hpp"
#include "core/error.hpp"
#include "core/folder_lock.hpp"
#include "core/output_file.hpp"
#include "core/parallel.hpp"
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

/// Whether `name` is a temporary foci leaves while writing (".NAME.foci-tmp-...").
bool is_temporary(const std::string& name) {
  return name.size() > 1 && name[0] == '.' && name.find(".foci-tmp-") != std::string::npos;
}

/// Refuses an output folder that foci map cannot replace: one that holds anything but what
/// foci map writes (the folder is replaced as a whole, so anything else would be lost), or,
/// without --force, results. `shown` is the folder as the user named it.
void check_output_folder(const fs::path& out, const std::string& shown, bool force) {
  std::error_code ec;
  const auto status = fs::symlink_status(out, ec);
  if (status.type() == fs::file_type::not_found) return;
  if (!fs::is_directory(out, ec)) {
    throw output_error("'" + shown + "' exists and is not a folder");
  }
  const auto foreign = [&](const std::string& name) {
    return output_error("'" + shown + "' holds '" + name +
                        "', which foci map did not write; foci map replaces its output folder "
                        "as a whole, so give it a new or empty folder");
  };
  for (const auto& entry : fs::directory_iterator(out, ec)) {
    const std::string name = entry.path().filename().string();
    const bool table = std::find(std::begin(kTables), std::end(kTables), name) != std::end(kTables);
    if (table || name == kFolderLockName || is_temporary(name)) {
      if (table && !force) {
        throw output_error("'" + (fs::path(shown) / name).string() +
                           "' exists; use --force to overwrite it");
      }
      continue;
    }
    if (name != "maps" || !entry.is_directory(ec) || entry.is_symlink(ec)) throw foreign(name);
    for (const auto& map : fs::directory_iterator(entry.path(), ec)) {
      const std::string file = map.path().filename().string();
      const bool nifti = file.size() > 7 && file.compare(file.size() - 7, 7, ".nii.gz") == 0;
      if (is_temporary(file)) continue;
      if (!nifti || !map.is_regular_file(ec) || map.is_symlink(ec)) {
        throw foreign("maps/" + file);
      }
      if (!force) {
        throw output_error("'" + (fs::path(shown) / "maps").string() +
                           "' holds maps; use --force to overwrite");
      }
    }
  }
  if (ec) throw output_error("cannot read '" + shown + "': " + ec.message());
}

/// Brain mask for the outside-brain check: the Colin27 brain (ch2bet), on which AAL and
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

/// The output folder as a path to work on: absolute, without a trailing separator, and with
/// links resolved, so the folder replaced is the one the user's path leads to.
fs::path output_folder(const std::string& text) {
  std::error_code ec;
  fs::path out = fs::weakly_canonical(fs::absolute(text), ec);
  if (ec) out = fs::absolute(text).lexically_normal();
  if (out.filename().empty()) out = out.parent_path();
  // The folder is replaced as a whole, which would leave a shell working in it (or below
  // it) in a folder that no longer exists.
  const fs::path here = fs::current_path(ec);
  const fs::path inside = ec ? fs::path("..") : here.lexically_relative(out);
  if (out == out.root_path() || (!inside.empty() && *inside.begin() != "..")) {
    throw usage_error("--out '" + text +
                      "' holds the current folder; foci map replaces its output folder as a "
                      "whole, so give it a folder of its own");
  }
  return out;
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
  const std::string& shown = options.out;
  const fs::path out = output_folder(options.out);
  check_output_folder(out, shown, options.force);
  std::vector<AtlasManifest> manifests;
  for (const auto& name : options.atlases) manifests.push_back(find_atlas_manifest(name));

  // One run at a time per folder, held from here to the end: the lock lives in the folder,
  // so a missing one is made now (and removed again if this run fails before writing).
  std::error_code ec;
  const bool created = fs::create_directories(out, ec);
  if (ec) throw output_error("cannot create '" + shown + "': " + ec.message());
  FolderLock lock(out.string(), kFolderLockName, FolderLock::Mode::exclusive, shown);
  try {
    check_output_folder(out, shown, options.force);  // another run may have written meanwhile
    // Every input is read and checked before anything is mapped.
    std::vector<FindingsFile> files;
    for (const auto& path : options.files) files.push_back(read_findings_file(path));
    // Reading them left the parse trees' memory free in the heap, as much again as the
    // findings. The mapped findings are one new block (400 bytes each), which cannot reuse
    // it: handed back, it does not stay beside them (300 k findings: 0.3 GB handed back; the
    // run's peak 0.97-1.03 GB, where it was 1.09 GB without this).
    malloc_trim(0);
    std::vector<Atlas> atlases;
    for (const auto& manifest : manifests) atlases.push_back(Atlas::load(manifest));
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

    // The results appear together: all are written into a new folder beside the output
    // folder, which then takes its place in one step. A reader (or a run that is killed)
    // sees the old complete set or the new one; maps of measures the new run does not have
    // go with the old set. Leftovers of killed runs are cleared first.
    remove_stale_temporaries(out.string());
    TemporaryFolder staging(out.string());
    const fs::path next(staging.path());
    const auto shown_path = [&](const std::string& name) {
      return (fs::path(shown) / name).string();
    };
    if (!fs::create_directory(next / "maps", ec) || ec) {
      throw output_error("cannot write '" + shown_path("maps") + "': " + ec.message());
    }
    // mapped.json, the largest result (most of the time of writing them all), is made on a
    // thread of its own while the maps and the tables are made and written.
    auto mapped_json_text = std::async(std::launch::async | std::launch::deferred,
                                       [&] { return mapped_json(result, record, lexicon); });
    {
      // The maps are compressed on every core, a map to a thread at a time: gzip at zlib's
      // default level took 1.2 s for each 1 mm map of 300 k findings, one after another.
      const auto maps = mapping_maps(result, request.atlases, lexicon, options.sphere_radius_mm);
      std::vector<std::pair<std::string, const LabelVolume*>> to_write;
      for (const auto& [name, volume] : maps) to_write.emplace_back(name, &volume);
      for_each_part_on_cores(to_write.size(), [&](std::size_t n) {
        const auto& [name, volume] = to_write[n];
        write_label_volume(*volume, (next / "maps" / name).string(), shown_path("maps/" + name));
      });
    }
    const auto write = [&](const std::string& name, const std::string& content) {
      write_file_atomically((next / name).string(), content, false, shown_path(name));
    };
    write("mapped.tsv", mapped_tsv(result, record));
    write("summary.tsv", summary_tsv(result, lexicon));
    write("summary.md", summary_markdown(result, record, lexicon));
    write("mapped.json", mapped_json_text.get());
    staging.replace_target(shown);

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
  } catch (...) {
    // A folder this run made for its lock goes again when nothing was written.
    if (created) lock.remove_with_folder();
    throw;
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
