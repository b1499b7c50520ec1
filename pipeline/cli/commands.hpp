#pragma once
// The sub-command table. Each sub-command lives in its own cmd_*.cpp: it declares its
// options on the CLI11 app it is given, and its callback fills a request, calls the library
// and writes the result to stdout. Only main() catches errors and prints them.
#include <CLI/CLI.hpp>

#include <ostream>

namespace foci {

/// What every command may use besides its own options.
struct CommandContext {
  bool verbose = false;
  std::ostream* out = nullptr;  ///< data (tables, JSON)
  std::ostream* log = nullptr;  ///< progress and notes, only in verbose mode
};

void add_atlas_list_command(CLI::App& atlas, CommandContext& context);
void add_atlas_query_command(CLI::App& atlas, CommandContext& context);
void add_atlas_regions_command(CLI::App& atlas, CommandContext& context);
void add_atlas_resolve_command(CLI::App& atlas, CommandContext& context);
void add_import_command(CLI::App& app, CommandContext& context);
void add_export_command(CLI::App& app, CommandContext& context);
void add_validate_command(CLI::App& app, CommandContext& context);
void add_map_command(CLI::App& app, CommandContext& context);
void add_meta_command(CLI::App& app, CommandContext& context);
void add_render_command(CLI::App& app, CommandContext& context);
void add_batch_command(CLI::App& app, CommandContext& context);
void add_inspect_command(CLI::App& app, CommandContext& context);

}  // namespace foci
