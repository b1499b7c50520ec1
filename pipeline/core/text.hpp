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
/// Splits on runs of spaces and tabs; never gives empty fields.
std::vector<std::string> split_whitespace(std::string_view line);
/// The whole field must be a decimal number (leading/trailing blanks allowed). NaN and
/// infinities are not numbers here; nullopt for anything else.
std::optional<double> parse_finite_double(std::string_view field);
std::optional<long long> parse_integer(std::string_view field);
/// The candidates closest to `word` by edit distance (case-insensitive), best first, at most
/// `limit`, and only those within a distance that makes a suggestion useful.
/// The items with `separator` between them.
std::string join(const std::vector<std::string>& items, std::string_view separator);
/// Millimetres with two decimals, as every table foci writes prints them; no "-0.00", and
/// empty for NaN (a region with no voxels has no centroid).
std::string format_mm(double mm);
/// A text cell of a TSV row: tabs and line breaks, which would break the row, become spaces.
std::string tsv_cell(std::string_view text);
std::vector<std::string> closest_matches(std::string_view word,
                                         const std::vector<std::string>& candidates,
                                         std::size_t limit = 3);

}  // namespace foci
