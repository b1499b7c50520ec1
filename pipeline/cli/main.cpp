// foci: map what neuroimaging papers report onto brain atlases.
#include <iostream>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

namespace {

const char* const kExitCodes =
    "Exit codes:\n"
    "  0  success\n"
    "  1  internal error (a bug in foci; please report it)\n"
    "  2  usage error: unknown option or sub-command, bad or missing argument, unknown atlas\n"
    "  3  input error: a file is missing, unreadable or malformed (the message names the file\n"
    "     and the line or JSON pointer)\n"
    "  4  output error: a result could not be written\n"
    "  5  partial: foci batch wrote some figures and not others (each failure is listed)\n";

void print_error(const std::string& prefix, const std::vector<std::string>& lines) {
  for (std::size_t n = 0; n < lines.size(); ++n) {
    std::cerr << prefix << (n == 0 ? "" : "  ") << lines[n] << "\n";
  }
}

}  // namespace

int main(int argc, char** argv) {
  using foci::ExitCode;
  foci::CommandContext context;
  context.out = &std::cout;
  context.log = &std::cerr;

  CLI::App app{
      "foci: map what neuroimaging papers report (coordinates, named regions,\n"
      "connections) onto brain atlases, and check them.",
      "foci"};
  app.footer(kExitCodes);
  app.require_subcommand(1);
  app.add_flag("-v,--verbose", context.verbose, "Say what is being done, on stderr");

  CLI::App* atlas =
      app.add_subcommand("atlas", "Atlases: list them, look up points, list and resolve regions");
  atlas->footer(kExitCodes);
  atlas->require_subcommand(1);
  foci::add_atlas_list_command(*atlas, context);
  foci::add_atlas_query_command(*atlas, context);
  foci::add_atlas_regions_command(*atlas, context);
  foci::add_atlas_resolve_command(*atlas, context);
  foci::add_import_command(app, context);
  foci::add_export_command(app, context);
  foci::add_validate_command(app, context);
  foci::add_map_command(app, context);
  foci::add_render_command(app, context);
  foci::add_batch_command(app, context);
  foci::add_inspect_command(app, context);
  for (auto* sub : atlas->get_subcommands({})) sub->footer(kExitCodes);
  for (auto* sub : app.get_subcommands({})) sub->footer(kExitCodes);

  try {
    app.parse(argc, argv);
    std::cout.flush();
    return 0;
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    std::vector<std::string> lines{e.what()};
    // An unknown sub-command name arrives as an unexpected argument: suggest the nearest.
    const CLI::App* where = app.got_subcommand(atlas) ? atlas : &app;
    std::vector<std::string> names;
    for (const auto* sub : where->get_subcommands({})) names.push_back(sub->get_name());
    for (const auto& extra : where->remaining()) {
      const auto near = foci::closest_matches(extra, names, 1);
      if (!near.empty()) lines.push_back("did you mean '" + near.front() + "'?");
    }
    lines.push_back("run 'foci " + std::string(where == &app ? "" : "atlas ") +
                    "--help' for usage");
    print_error("foci: [ERROR] ", lines);
    return static_cast<int>(ExitCode::usage);
  } catch (const foci::Error& e) {
    print_error("foci: [ERROR] ", e.lines());
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    print_error("foci: [ERROR] ", {std::string("internal error: ") + e.what()});
    return static_cast<int>(ExitCode::internal);
  }
}
