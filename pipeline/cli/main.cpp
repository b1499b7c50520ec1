// foci: map what neuroimaging papers report onto brain atlases.
#include <algorithm>
#include <cctype>
#include <iostream>
#include <optional>

#include "cli/commands.hpp"
#include "core/error.hpp"
#include "core/text.hpp"

namespace {

const char* const kExitCodes =
    "Exit codes:\n"
    "  0  success\n"
    "  1  internal error (a bug in foci; please report it)\n"
    "  2  usage error: unknown option or sub-command, bad or missing argument, unknown atlas,\n"
    "     an output that is one of the inputs\n"
    "  3  input error: a file is missing, unreadable or malformed (the message names the file\n"
    "     and the line or JSON pointer)\n"
    "  4  output error: a result could not be written, exists (use --force), or another foci\n"
    "     run is writing to the same folder\n"
    "  5  partial: foci batch wrote some figures and not others (each failure is listed)\n";

void print_error(const std::string& prefix, const std::vector<std::string>& lines) {
  for (std::size_t n = 0; n < lines.size(); ++n) {
    std::cerr << prefix << (n == 0 ? "" : "  ") << lines[n] << "\n";
  }
}

/// The commands given, from foci itself to the sub-command being parsed when parsing stopped.
std::vector<const CLI::App*> commands_given(const CLI::App& app) {
  std::vector<const CLI::App*> chain{&app};
  for (bool deeper = true; deeper;) {
    deeper = false;
    // An app lists every sub-command parsed below it, nested ones too: follow direct children.
    for (const CLI::App* sub : chain.back()->get_subcommands()) {
      if (sub->get_parent() == chain.back()) {
        chain.push_back(sub);
        deeper = true;
        break;
      }
    }
  }
  return chain;
}

/// "foci atlas query": the command as the user types it, for help pointers.
std::string command_path(const CLI::App* command) {
  std::string path = command->get_name();
  for (const CLI::App* p = command->get_parent(); p != nullptr; p = p->get_parent()) {
    path = p->get_name() + " " + path;
  }
  return path;
}

std::string help_pointer(const CLI::App* command) {
  return "run '" + command_path(command) + " --help' for usage";
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
  const auto near = foci::closest_matches(word, candidates, 1);
  return near.empty() ? "" : "; did you mean '" + near.front() + "'?";
}

/// The first argument that no command took, worded for the command that was parsing it
/// (CLI11 keeps it there), or nothing. It outranks every other problem, --help included:
/// a missing option or a help page means little when a word was mistyped.
std::optional<std::vector<std::string>> unknown_argument(const CLI::App& app) {
  for (const CLI::App* command : commands_given(app)) {
    const auto left = command->remaining();
    const auto arg =
        std::find_if(left.begin(), left.end(), [](const auto& a) { return a != "--"; });
    if (arg == left.end()) continue;
    const bool is_option = arg->size() > 1 && (*arg)[0] == '-' &&
                           !std::isdigit(static_cast<unsigned char>((*arg)[1])) && (*arg)[1] != '.';
    std::string message;
    if (is_option) {
      const std::string name = arg->substr(0, arg->find('='));
      std::vector<std::string> names;
      for (const CLI::Option* option : command->get_options()) {
        for (const auto& l : option->get_lnames()) names.push_back("--" + l);
        for (const auto& s : option->get_snames()) names.push_back("-" + s);
      }
      message = "unknown option '" + name + "'" + did_you_mean(name, names);
    } else if (!command->get_subcommands({}).empty() && command->get_subcommands().empty()) {
      std::vector<std::string> names;
      for (const CLI::App* sub : command->get_subcommands({})) names.push_back(sub->get_name());
      message = "unknown sub-command '" + *arg + "'" + did_you_mean(*arg, names);
    } else {
      message = "unexpected argument '" + *arg + "'";
    }
    return std::vector<std::string>{message, help_pointer(command)};
  }
  return std::nullopt;
}

/// CLI11's message, with a required positional named by its placeholder in the usage line
/// and what it stands for, and a missing sub-command listed.
std::string parse_error_message(const CLI::ParseError& e, const CLI::App* command) {
  if (dynamic_cast<const CLI::RequiredError*>(&e) == nullptr) return e.what();
  for (const CLI::Option* option : command->get_options()) {
    if (!option->get_required() || option->count() > 0) continue;
    if (!option->get_positional()) break;  // CLI11's own message names the option
    std::string what = option->get_description();
    if (what.size() > 1 && std::isupper(static_cast<unsigned char>(what[0])) &&
        std::islower(static_cast<unsigned char>(what[1]))) {
      what[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(what[0])));
    }
    return option->get_name(true) + " is required (" + what + ")";
  }
  const auto subs = command->get_subcommands({});
  if (!subs.empty() && command->get_subcommands().empty()) {
    std::string names;
    for (const CLI::App* sub : subs) names += (names.empty() ? "" : ", ") + sub->get_name();
    return "a sub-command is required: " + names;
  }
  return e.what();
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
  foci::add_meta_command(app, context);
  foci::add_render_command(app, context);
  foci::add_batch_command(app, context);
  foci::add_inspect_command(app, context);
  for (auto* sub : atlas->get_subcommands({})) sub->footer(kExitCodes);
  for (auto* sub : app.get_subcommand("meta")->get_subcommands({})) sub->footer(kExitCodes);
  for (auto* sub : app.get_subcommands({})) sub->footer(kExitCodes);

  try {
    app.parse(argc, argv);
    std::cout.flush();
    return 0;
  } catch (const CLI::CallForHelp& e) {
    if (const auto unknown = unknown_argument(app)) {
      print_error("foci: [ERROR] ", *unknown);
      return static_cast<int>(ExitCode::usage);
    }
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    if (const auto unknown = unknown_argument(app)) {
      print_error("foci: [ERROR] ", *unknown);
      return static_cast<int>(ExitCode::usage);
    }
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    if (const auto unknown = unknown_argument(app)) {
      print_error("foci: [ERROR] ", *unknown);
    } else {
      const CLI::App* command = commands_given(app).back();
      print_error("foci: [ERROR] ", {parse_error_message(e, command), help_pointer(command)});
    }
    return static_cast<int>(ExitCode::usage);
  } catch (const foci::Error& e) {
    print_error("foci: [ERROR] ", e.lines());
    return static_cast<int>(e.code());
  } catch (const std::exception& e) {
    print_error("foci: [ERROR] ", {std::string("internal error: ") + e.what()});
    return static_cast<int>(ExitCode::internal);
  }
}
