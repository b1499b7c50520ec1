#pragma once
// The one way foci reads a JSON file (findings, atlas manifests, the region lexicon, figure
// specs, batch manifests), so every syntax error reads "FILE:LINE:COLUMN: ..." and every
// unknown key is reported in the same words.
#include <nlohmann/json_fwd.hpp>

#include <cstddef>
#include <optional>
#include <set>
#include <string>

namespace foci {

/// Objects and arrays nested deeper than this are refused: no foci file needs more than a
/// handful of levels, and the JSON library copies and prints a document recursively.
constexpr std::size_t kMaxJsonDepth = 256;

/// Parses a JSON file. Throws Error (input): no such file; "FILE:LINE:COLUMN: not valid JSON
/// (...)" for a syntax error; "FILE:LINE:COLUMN: the number 1e400 is too large to hold" for a
/// number beyond the range of a double; "FILE: POINTER: duplicate key "k"" for a key given
/// twice in one object (the JSON standard leaves duplicates undefined, and silently keeping
/// one of them would hide a mistake); nesting deeper than kMaxJsonDepth.
nlohmann::json read_json_file(const std::string& path);

/// A problem at a JSON pointer ("/figures/2/size") inside a document.
struct JsonProblem {
  std::string pointer;
  std::string message;
};

/// The first key of `object` that is not in `known`, as a problem at "<pointer>/<key>" saying
/// "unknown key (expected one of a, b, c)"; nullopt when every key is known.
std::optional<JsonProblem> find_unknown_key(const nlohmann::json& object,
                                            const std::set<std::string>& known,
                                            const std::string& pointer);

/// Appends `text` (a value's dump(2)) to `out` with `indent` before each of its lines: how the
/// value reads nested in a document dumped whole, for writing a long array an item at a time.
/// A dump holds no raw line break inside a string (JSON escapes them), so every '\n' starts a
/// line.
void append_indented(std::string& out, const std::string& text, const std::string& indent);

/// Throws Error (input) "FILE: POINTER: MESSAGE".
[[noreturn]] void throw_json_problem(const std::string& path, const JsonProblem& problem);

}  // namespace foci
