// foci atlas resolve: which atlas labels a region name, as papers write it, stands for.
#include <sstream>

#include "atlas/atlas.hpp"
#include "atlas/lexicon.hpp"
#include "cli/commands.hpp"
#include "core/error.hpp"

namespace foci {

namespace {

struct ResolveRequest {
  std::string atlas;
  std::vector<std::string> names;
};

void run_atlas_resolve(const ResolveRequest& request, CommandContext& context) {
  const RegionLexicon lexicon = RegionLexicon::load_default();
  // Every name is checked before the atlas is loaded, so a typo fails fast.
  std::vector<ResolvedRegion> resolved;
  for (const auto& name : request.names) {
    const auto r = lexicon.resolve(name);
    if (!r) {
      std::string message = "cannot resolve region name '" + name + "'";
      const auto near = lexicon.suggest(name);
      if (!near.empty()) {
        message += "; closest names:";
        for (std::size_t n = 0; n < near.size(); ++n) message += (n ? ", '" : " '") + near[n] + "'";
      }
      throw usage_error(message);
    }
    resolved.push_back(*r);
  }
  const Atlas atlas = Atlas::load(find_atlas_manifest(request.atlas));
  // Rows are written only once every name has its labels, so a failure prints no table.
  std::ostringstream rows;
  rows << "query\tregion\tregion_en\tregion_zh\tlabel\tname\themisphere\tapproximate\twhy\n";
  for (std::size_t n = 0; n < resolved.size(); ++n) {
    const auto& r = resolved[n];
    std::vector<RegionLabel> labels;
    try {
      labels = lexicon.labels_in(atlas, *r.region, r.hemisphere);
    } catch (Error& e) {
      e.with_context("cannot resolve '" + request.names[n] + "' in atlas '" + atlas.name() + "'");
      throw;
    }
    for (const auto& l : labels) {
      rows << request.names[n] << '\t' << r.region->id << '\t' << r.region->en << '\t'
           << r.region->zh << '\t' << l.label << '\t' << l.name << '\t' << to_string(l.hemisphere)
           << '\t' << (l.approximate ? "yes" : "no") << '\t' << l.why << '\n';
    }
  }
  *context.out << rows.str();
}

}  // namespace

void add_atlas_resolve_command(CLI::App& atlas, CommandContext& context) {
  auto request = std::make_shared<ResolveRequest>();
  CLI::App* cmd = atlas.add_subcommand(
      "resolve",
      "Resolve region names as papers write them (English, Chinese, abbreviations, with side\n"
      "words such as 左侧/右侧/双侧, left/right, L/R) to atlas labels, one row per label.\n"
      "A name the lexicon does not hold is an error with the closest names.");
  cmd->add_option("--atlas", request->atlas, "Atlas name (aal, ho-cort, brodmann)")->required();
  cmd->add_option("NAME", request->names, "Region names, e.g. \"右侧海马\" \"L DLPFC\"")
      ->required();
  cmd->callback([request, &context] { run_atlas_resolve(*request, context); });
}

}  // namespace foci
