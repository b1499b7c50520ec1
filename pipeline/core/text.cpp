#include "core/text.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <numeric>

#include "core/error.hpp"

namespace foci {

std::string_view trim(std::string_view s) {
  const auto is_blank = [](char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; };
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

std::string_view strip_utf8_bom(std::string_view text) {
  constexpr std::string_view bom = "\xEF\xBB\xBF";
  if (text.substr(0, bom.size()) == bom) text.remove_prefix(bom.size());
  return text;
}

void strip_byte_order_mark(std::string& first_line, const std::string& path) {
  const std::string_view head = std::string_view(first_line).substr(0, 2);
  if (head == "\xFF\xFE" || head == "\xFE\xFF") {
    throw input_error(path +
                      ":1: the file is UTF-16 text (it starts with a UTF-16 byte-order mark); "
                      "foci reads UTF-8: save it as UTF-8 (in Excel: Save As, CSV UTF-8)");
  }
  first_line.erase(0, first_line.size() - strip_utf8_bom(first_line).size());
}

std::string to_lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string> split_tabs(std::string_view line) {
  std::vector<std::string> fields;
  split_tabs(line, fields);
  return fields;
}

void split_tabs(std::string_view line, std::vector<std::string>& fields) {
  std::size_t count = 0, start = 0;
  while (true) {
    const auto tab = line.find('\t', start);
    const auto field = line.substr(start, tab - start);
    if (count < fields.size()) {
      fields[count].assign(field);
    } else {
      fields.emplace_back(field);
    }
    ++count;
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
  fields.resize(count);
}

std::vector<std::string> split_whitespace(std::string_view line) {
  std::vector<std::string> fields;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
    const auto start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r') ++i;
    if (i > start) fields.emplace_back(line.substr(start, i - start));
  }
  return fields;
}

std::optional<double> parse_finite_double(std::string_view field) {
  field = trim(field);
  if (!field.empty() && field.front() == '+') field.remove_prefix(1);
  if (field.empty()) return std::nullopt;
  double value = 0;
  const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (ec != std::errc() || end != field.data() + field.size() || !std::isfinite(value)) {
    return std::nullopt;
  }
  return value;
}

std::optional<long long> parse_integer(std::string_view field) {
  field = trim(field);
  if (field.empty()) return std::nullopt;
  long long value = 0;
  const auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), value);
  if (ec != std::errc() || end != field.data() + field.size()) return std::nullopt;
  return value;
}

namespace {
std::size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<std::size_t> row(b.size() + 1);
  std::iota(row.begin(), row.end(), 0);
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diagonal = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t above = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = above;
    }
  }
  return row[b.size()];
}
}  // namespace

std::vector<std::string> closest_matches(std::string_view word,
                                         const std::vector<std::string>& candidates,
                                         std::size_t limit) {
  if (word.size() > kMaxSuggestedWordLength) return {};
  const std::string lowered = to_lower(word);
  std::vector<std::pair<std::size_t, std::string>> scored;
  for (const auto& candidate : candidates) {
    const std::string c = to_lower(candidate);
    std::size_t d = edit_distance(lowered, c);
    // A candidate that contains the word, or is contained in it, is a good suggestion even
    // when the lengths differ a lot ("hippo" -> "Hippocampus_L").
    if (!lowered.empty() &&
        (c.find(lowered) != std::string::npos || lowered.find(c) != std::string::npos)) {
      d = std::min<std::size_t>(d, 1);
    }
    const std::size_t allowed = std::max<std::size_t>(2, lowered.size() / 3);
    if (d <= allowed) scored.emplace_back(d, candidate);
  }
  std::stable_sort(scored.begin(), scored.end(),
                   [](const auto& a, const auto& b) { return a.first < b.first; });
  std::vector<std::string> out;
  for (const auto& [d, c] : scored) {
    if (out.size() == limit) break;
    out.push_back(c);
  }
  return out;
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (std::size_t n = 0; n < items.size(); ++n) {
    if (n) out += separator;
    out += items[n];
  }
  return out;
}

std::string format_mm(double mm) {
  if (std::isnan(mm)) return "";
  if (std::abs(mm) < 0.005) mm = 0;
  // fmt rounds the exact binary value as printf's "%.2f" does (ties to even), at a
  // fraction of the cost; a table of a million rows prints four of these per row.
  return fmt::format("{:.2f}", mm);
}

std::string tsv_cell(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return out;
}

namespace {

/// The length of the well-formed UTF-8 sequence that starts at text[i], or 0 when none does
/// (the table of well-formed sequences in the Unicode standard, section 3.9).
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char first = byte(i);
  if (first < 0x80) return 1;
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // the range of the second byte
  if (first >= 0xC2 && first <= 0xDF) {
    length = 2;
  } else if (first >= 0xE0 && first <= 0xEF) {
    length = 3;
    if (first == 0xE0) low = 0xA0;   // no overlong forms
    if (first == 0xED) high = 0x9F;  // no surrogates
  } else if (first >= 0xF0 && first <= 0xF4) {
    length = 4;
    if (first == 0xF0) low = 0x90;   // no overlong forms
    if (first == 0xF4) high = 0x8F;  // nothing beyond U+10FFFF
  } else {
    return 0;
  }
  if (i + length > text.size() || byte(i + 1) < low || byte(i + 1) > high) return 0;
  for (std::size_t k = 2; k < length; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0;
  }
  return length;
}

}  // namespace

std::size_t invalid_utf8_at(std::string_view text) {
  std::size_t i = 0;
  while (i < text.size()) {
    if (static_cast<unsigned char>(text[i]) < 0x80) {
      ++i;
      continue;
    }
    const std::size_t length = utf8_sequence_length(text, i);
    if (length == 0) return i;
    i += length;
  }
  return std::string_view::npos;
}

std::size_t utf8_length(std::string_view text) {
  std::size_t count = 0;
  for (const char c : text) count += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return count;
}

std::string excerpt(std::string_view text, std::size_t limit) {
  std::string out;
  std::size_t characters = 0, i = 0;
  for (; i < text.size() && characters < limit; ++characters) {
    const auto byte = static_cast<unsigned char>(text[i]);
    const std::size_t length = utf8_sequence_length(text, i);
    if (length > 1) {
      out.append(text.substr(i, length));
      i += length;
      continue;
    }
    ++i;
    if (byte == '\t') {
      out += "\\t";
    } else if (byte == '\n') {
      out += "\\n";
    } else if (byte == '\r') {
      out += "\\r";
    } else if (byte < 0x20 || byte == 0x7F || length == 0) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02x", byte);
      out += escaped;
    } else {
      out += static_cast<char>(byte);
    }
  }
  if (i < text.size()) {
    out += "... (" + std::to_string(utf8_length(text)) + " characters)";
  }
  return out;
}

std::string format_short_number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.3g", value);
  return buffer;
}

}  // namespace foci
