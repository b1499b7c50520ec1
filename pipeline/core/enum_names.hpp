#pragma once
// Names of enum values as foci writes and reads them ("medial-left", "no change"): one table
// per enum, and these lookups, instead of a switch and a loop written out for each.
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace foci {

template <typename E, std::size_t N>
using NameTable = std::array<std::pair<E, std::string_view>, N>;

/// The name of `value`; "?" for a value the table lacks (never, for a complete table).
template <typename E, std::size_t N>
std::string name_in(const NameTable<E, N>& table, E value) {
  for (const auto& [v, name] : table) {
    if (v == value) return std::string(name);
  }
  return "?";
}

/// The value named exactly `word`; nullopt for any other word.
template <typename E, std::size_t N>
std::optional<E> value_in(const NameTable<E, N>& table, std::string_view word) {
  for (const auto& [v, name] : table) {
    if (name == word) return v;
  }
  return std::nullopt;
}

/// Every name, in the table's order.
template <typename E, std::size_t N>
std::vector<std::string> names_in(const NameTable<E, N>& table) {
  std::vector<std::string> names;
  for (const auto& entry : table) names.emplace_back(entry.second);
  return names;
}

}  // namespace foci
