// foci atlas regions: every label of an atlas with its side, centroid and volume.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "atlas/atlas.hpp"
#include "cli/commands.hpp"
#include "core/text.hpp"

namespace foci {

namespace {

struct RegionsRequest {
  std::string atlas;
  std::string format = "tsv";
};

void run_atlas_regions(const RegionsRequest& request, CommandContext& context) {
  const Atlas atlas = Atlas::load(find_atlas_manifest(request.atlas));
  if (context.verbose) {
    *context.log << "foci: atlas '" << atlas.name() << "' oriented by " << atlas.orientation_note()
                 << "\n";
  }
  const auto regions = atlas.region_stats();
  if (request.format == "tsv") {
    *context.out << "label\tname\themisphere\tx\ty\tz\tvolume_mm3\tvoxels\n";
    for (const auto& r : regions) {
      *context.out << r.label << '\t' << r.name << '\t' << to_string(r.hemisphere) << '\t'
                   << format_mm(r.centroid.x) << '\t' << format_mm(r.centroid.y) << '\t'
                   << format_mm(r.centroid.z) << '\t' << fmt::format("{:.1f}", r.volume_mm3) << '\t'
                   << r.voxels << '\n';
    }
    return;
  }
  nlohmann::json out = nlohmann::json::array();
  for (const auto& r : regions) {
    nlohmann::json centroid = nullptr;
    if (r.voxels > 0) centroid = {r.centroid.x, r.centroid.y, r.centroid.z};
    out.push_back({{"label", r.label},
                   {"name", r.name},
                   {"hemisphere", to_string(r.hemisphere)},
                   {"centroid_mm", centroid},
                   {"volume_mm3", r.volume_mm3},
                   {"voxels", r.voxels}});
  }
  *context.out << out.dump(2) << '\n';
}

}  // namespace

void add_atlas_regions_command(CLI::App& atlas, CommandContext& context) {
  auto request = std::make_shared<RegionsRequest>();
  CLI::App* cmd = atlas.add_subcommand(
      "regions", "List an atlas's labels: label, name, hemisphere, centroid (MNI mm), volume");
  cmd->add_option("--atlas", request->atlas, "Atlas name (see 'foci atlas list') or manifest path")
      ->required();
  cmd->add_option("--format", request->format, "Output format")
      ->check(CLI::IsMember({"tsv", "json"}))
      ->capture_default_str();
  cmd->callback([request, &context] { run_atlas_regions(*request, context); });
}

}  // namespace foci
