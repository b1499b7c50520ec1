#pragma once
// Small text helpers for the plain-text formats foci reads (TSV, label lists).
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace foci {

std::string_view trim(std::string_view s);

/// `text` without a leading UTF-8 byte-order mark (EF BB BF). Excel's "CSV UTF-8" and Windows
/// Notepad write one; left in place it would become part of the first column's name.
std::string_view strip_utf8_bom(std::string_view text);
/// For the first line of a text file: strips a UTF-8 byte-order mark, and refuses a file that
/// starts with a UTF-16 one (FF FE or FE FF; Excel's "Unicode text"), whose every other byte
/// is zero and which would otherwise fail later with a puzzling message. Throws Error (input)
/// naming `path`.
void strip_byte_order_mark(std::string& first_line, const std::string& path);
std::string to_lower(std::string_view s);
/// Splits on every tab; "a\t\tb" gives three fields, the middle one empty.
std::vector<std::string> split_tabs(std::string_view line);
/// The same into `fields`, whose strings keep their storage: a million rows split this way
/// allocate next to nothing.
void split_tabs(std::string_view line, std::vector<std::string>& fields);
/// Splits on runs of spaces and tabs; never gives empty fields.
std::vector<std::string> split_whitespace(std::string_view line);
/// The whole field must be a decimal number (leading/trailing blanks allowed). NaN and
/// infinities are not numbers here; nullopt for anything else.
std::optional<double> parse_finite_double(std::string_view field);
std::optional<long long> parse_integer(std::string_view field);
/// The items with `separator` between them.
std::string join(const std::vector<std::string>& items, std::string_view separator);
/// Millimetres with two decimals, as every table foci writes prints them; no "-0.00", and
/// empty for NaN (a region with no voxels has no centroid).
std::string format_mm(double mm);
/// A value as colour bars and notes print it: three significant digits ("%.3g").
std::string format_short_number(double value);
/// A text cell of a TSV row: tabs and line breaks, which would break the row, become spaces.
std::string tsv_cell(std::string_view text);

/// The byte offset of the first byte of `text` that is not well-formed UTF-8 (a stray
/// continuation byte, a truncated sequence, an overlong form, a surrogate, a code point beyond
/// U+10FFFF), or npos when all of it is. JSON output needs UTF-8; Latin-1 or Windows-1252 text
/// passes as bytes elsewhere and would fail far from the file it came from.
std::size_t invalid_utf8_at(std::string_view text);
/// The number of characters (code points) in UTF-8 text; each byte of a malformed sequence
/// counts as one. Lengths in findings files are counted so, as JSON Schema's maxLength does.
std::size_t utf8_length(std::string_view text);
/// Text from an input file, fit to quote in a message: at most `limit` characters, then
/// "..." and the full length; tabs, line breaks, other control characters and bytes that are
/// not UTF-8 written as escapes (\t, \n, \x1b). A huge field or a terminal escape sequence
/// never reaches the screen whole.
std::string excerpt(std::string_view text, std::size_t limit = 80);
/// Words longer than this get no suggestions: nobody mistypes a 200-character name, and the
/// edit distance costs the product of the lengths.
constexpr std::size_t kMaxSuggestedWordLength = 200;
/// The candidates closest to `word` by edit distance (case-insensitive), best first, at most
/// `limit`, and only those within a distance that makes a suggestion useful; none for a word
/// longer than kMaxSuggestedWordLength.
std::vector<std::string> closest_matches(std::string_view word,
                                         const std::vector<std::string>& candidates,
                                         std::size_t limit = 3);

}  // namespace foci
