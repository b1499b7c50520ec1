// foci atlas list: the atlases and templates foci knows, and whether their files are here.
#include <nlohmann/json.hpp>

#include "atlas/manifest.hpp"
#include "cli/commands.hpp"
#include "core/error.hpp"

namespace foci {

namespace {

struct ListRequest {
  std::string format = "tsv";
};

void run_atlas_list(const ListRequest& request, CommandContext& context) {
  const auto manifests = list_atlas_manifests();
  nlohmann::json out = nlohmann::json::array();
  if (request.format == "tsv") *context.out << "name\tkind\tlateralised\tspace\tvolume\ttitle\n";
  for (const auto& m : manifests) {
    std::string volume;
    try {
      volume = locate_atlas_file(m, m.volume_file);
    } catch (const Error&) {
      volume = "missing: " + m.volume_file;
    }
    const std::string kind = m.kind == AtlasKind::labels ? "labels" : "template";
    if (request.format == "tsv") {
      *context.out << m.name << '\t' << kind << '\t' << (m.lateralised ? "yes" : "no") << '\t'
                   << m.space << '\t' << volume << '\t' << m.title << '\n';
    } else {
      out.push_back({{"name", m.name},
                     {"kind", kind},
                     {"title", m.title},
                     {"space", m.space},
                     {"volume", volume},
                     {"lateralised", m.lateralised},
                     {"citation", m.citation},
                     {"licence", m.licence}});
    }
  }
  if (request.format == "json") *context.out << out.dump(2) << '\n';
}

}  // namespace

void add_atlas_list_command(CLI::App& atlas, CommandContext& context) {
  auto request = std::make_shared<ListRequest>();
  CLI::App* cmd = atlas.add_subcommand("list", "List the atlases and templates foci knows");
  cmd->add_option("--format", request->format, "Output format")
      ->check(CLI::IsMember({"tsv", "json"}))
      ->capture_default_str();
  cmd->callback([request, &context] { run_atlas_list(*request, context); });
}

}  // namespace foci
