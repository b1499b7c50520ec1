#include "core/json_file.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "core/text.hpp"

namespace foci {

using json = nlohmann::json;

json read_json_file(const std::string& path) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw input_error("cannot read '" + path + "': no such file");
  }
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  if (!in && !in.eof()) throw input_error("cannot read '" + path + "'");
  const std::string text = buffer.str();
  try {
    return json::parse(text);
  } catch (const json::parse_error& e) {
    // nlohmann reports a byte offset; people read files by line and column.
    std::size_t line = 1, column = 1;
    for (std::size_t i = 0; i + 1 < e.byte && i < text.size(); ++i) {
      if (text[i] == '\n') {
        ++line;
        column = 1;
      } else {
        ++column;
      }
    }
    std::string what = e.what();
    const auto cut = what.find("syntax error");
    throw input_error(path + ":" + std::to_string(line) + ":" + std::to_string(column) +
                      ": not valid JSON" +
                      (cut == std::string::npos ? "" : " (" + what.substr(cut) + ")"));
  }
}

std::optional<JsonProblem> find_unknown_key(const json& object, const std::set<std::string>& known,
                                            const std::string& pointer) {
  if (!object.is_object()) return std::nullopt;
  for (const auto& [key, value] : object.items()) {
    if (!known.count(key)) {
      return JsonProblem{pointer + "/" + key,
                         "unknown key (expected one of " +
                             join(std::vector<std::string>(known.begin(), known.end()), ", ") +
                             ")"};
    }
  }
  return std::nullopt;
}

void throw_json_problem(const std::string& path, const JsonProblem& problem) {
  throw input_error(path + ": " + problem.pointer + ": " + problem.message);
}

}  // namespace foci
