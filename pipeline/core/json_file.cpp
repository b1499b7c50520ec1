#include "core/json_file.hpp"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/error.hpp"
#include "core/text.hpp"

namespace foci {

using json = nlohmann::json;

namespace {

/// "LINE:COLUMN" of a byte offset as nlohmann reports it (the byte after the offending
/// token); people read files by line and column.
std::string line_and_column(const std::string& text, std::size_t byte) {
  std::size_t line = 1, column = 1;
  for (std::size_t i = 0; i + 1 < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return std::to_string(line) + ":" + std::to_string(column);
}

/// A key as one token of a JSON pointer (RFC 6901: '~' is "~0", '/' is "~1").
std::string pointer_token(const std::string& key) {
  std::string out;
  for (const char c : key) {
    if (c == '~') {
      out += "~0";
    } else if (c == '/') {
      out += "~1";
    } else {
      out += c;
    }
  }
  return out;
}

/// Builds the document from nlohmann's SAX events, as json::parse does, and also refuses what
/// json::parse lets through or reports without a place: a key given twice in one object
/// (json::parse keeps the last silently), a number too large for a double (json::parse
/// throws out_of_range without a position), and nesting deeper than kMaxJsonDepth (the
/// library's dump and copy recurse, one stack frame a level).
class DocumentBuilder {
 public:
  using number_integer_t = json::number_integer_t;
  using number_unsigned_t = json::number_unsigned_t;
  using number_float_t = json::number_float_t;
  using string_t = json::string_t;
  using binary_t = json::binary_t;

  DocumentBuilder(const std::string& path, const std::string& text) : path_(path), text_(text) {}

  bool null() { return add(json(nullptr)); }
  bool boolean(bool value) { return add(json(value)); }
  bool number_integer(number_integer_t value) { return add(json(value)); }
  bool number_unsigned(number_unsigned_t value) { return add(json(value)); }
  bool number_float(number_float_t value, const string_t& /*text*/) { return add(json(value)); }
  bool string(string_t& value) { return add(json(std::move(value))); }
  bool binary(binary_t& /*value*/) { return false; }  // JSON text has no binary values

  bool start_object(std::size_t /*elements*/) { return open(json::object()); }
  bool start_array(std::size_t /*elements*/) { return open(json::array()); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(string_t& key) {
    // A key already in the object is found when its value is placed (one search, not two).
    key_ = std::move(key);
    return true;
  }

  bool parse_error(std::size_t byte, const std::string& token,
                   const nlohmann::detail::exception& e) {
    if (e.id == 406 && token.size() < byte) {
      // A number that overflows a double ("1e400"), placed at its first character.
      error_ = input_error(path_ + ":" + line_and_column(text_, byte - token.size() + 1) +
                           ": the number " + excerpt(token) +
                           " is too large to hold (beyond +/-1.8e308)");
      return false;
    }
    const std::string where = path_ + ":" + line_and_column(text_, byte);
    std::string what = e.what();
    const auto cut = what.find("syntax error");
    error_ = input_error(where + ": not valid JSON" +
                         (cut == std::string::npos ? "" : " (" + what.substr(cut) + ")"));
    return false;
  }

  json take_document() { return std::move(document_); }
  const std::optional<Error>& error() const { return error_; }

 private:
  struct Open {
    json* value;
    std::string token;  ///< its pointer token in its parent
  };

  /// Where a new value goes: the root, the end of the open array, or the pending key.
  /// Null, with the error set, when the open object has the key already.
  json* place(json value) {
    if (open_.empty()) {
      document_ = std::move(value);
      return &document_;
    }
    json& parent = *open_.back().value;
    if (parent.is_array()) {
      parent.push_back(std::move(value));
      return &parent.back();
    }
    auto [slot, added] = parent.emplace(key_, std::move(value));
    if (!added) {
      error_ =
          input_error(path_ + ": " + pointer() + "/" + pointer_token(key_) + ": duplicate key \"" +
                      excerpt(key_) + "\" (a key may appear once in an object)");
      return nullptr;
    }
    return &slot.value();
  }

  bool add(json value) { return place(std::move(value)) != nullptr; }

  bool open(json container) {
    if (open_.size() >= kMaxJsonDepth) {
      error_ = input_error(path_ + ": " + excerpt(pointer()) + ": nested deeper than " +
                           std::to_string(kMaxJsonDepth) + " levels");
      return false;
    }
    // Its pointer token in its parent, kept for messages about what lies inside it (a
    // scalar's is made only for a message about it).
    std::string token;
    if (!open_.empty()) {
      const json& parent = *open_.back().value;
      token = parent.is_array() ? std::to_string(parent.size()) : pointer_token(key_);
    }
    json* value = place(std::move(container));
    if (!value) return false;
    // Pointers into the tree stay valid: a parent is not touched while a child is open.
    open_.push_back({value, std::move(token)});
    return true;
  }

  bool close() {
    open_.pop_back();
    return true;
  }

  /// The JSON pointer of the innermost open container.
  std::string pointer() const {
    std::string out;
    for (std::size_t n = 1; n < open_.size(); ++n) out += "/" + open_[n].token;
    return out;
  }

  const std::string& path_;
  const std::string& text_;
  json document_;
  std::vector<Open> open_;
  std::string key_;
  std::optional<Error> error_;
};

}  // namespace

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
  DocumentBuilder builder(path, text);
  const bool complete = json::sax_parse(text, &builder);
  if (builder.error()) throw *builder.error();
  if (!complete) throw Error(ExitCode::internal, "cannot parse '" + path + "' (no reason given)");
  return builder.take_document();
}

void append_indented(std::string& out, const std::string& text, const std::string& indent) {
  for (std::size_t line = 0; line < text.size();) {
    const std::size_t end = std::min(text.find('\n', line), text.size() - 1) + 1;
    out += indent;
    out.append(text, line, end - line);
    line = end;
  }
}

std::optional<JsonProblem> find_unknown_key(const json& object, const std::set<std::string>& known,
                                            const std::string& pointer) {
  if (!object.is_object()) return std::nullopt;
  for (const auto& [key, value] : object.items()) {
    if (!known.count(key)) {
      return JsonProblem{pointer + "/" + excerpt(key),
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
