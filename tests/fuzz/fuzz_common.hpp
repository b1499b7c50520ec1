#pragma once
// Shared by the libFuzzer harnesses in this folder (one per reader; see README.md).
//
// Every reader takes a file name, so a harness writes the fuzzer's bytes to a file in a
// private temporary folder and reads it back. What the readers promise (core/error.hpp): bad
// input throws foci::Error with the input, usage or output code. An internal error, or a
// broken promise the harness checks, ends the run as a crash named on one line that
// tests/fuzz/fuzz.py uses to tell crashes apart:
//   FOCI-FUZZ-BUG: internal error
//   FOCI-FUZZ-BUG: <a broken promise the harness checks, e.g. an import that does not validate>
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "core/error.hpp"

namespace foci::fuzz {

/// A folder of our own under $TMPDIR (else /tmp), removed when the fuzzer exits normally.
inline const std::filesystem::path& scratch_folder() {
  static const std::filesystem::path folder = [] {
    const char* tmp = std::getenv("TMPDIR");
    std::filesystem::path base = tmp && *tmp ? tmp : "/tmp";
    auto path = base / ("foci-fuzz-" + std::to_string(::getpid()));
    std::filesystem::create_directories(path);
    std::atexit([] {
      std::error_code ec;
      std::filesystem::remove_all(scratch_folder(), ec);
    });
    return path;
  }();
  return folder;
}

/// Writes `bytes` to scratch_folder()/name and returns the path.
inline std::string write_input(std::string_view bytes, const std::string& name) {
  const std::string path = (scratch_folder() / name).string();
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  out.close();
  if (!out) {
    std::fprintf(stderr, "foci-fuzz: cannot write the input to %s\n", path.c_str());
    std::abort();
  }
  return path;
}

inline std::string_view as_text(const std::uint8_t* data, std::size_t size) {
  return {reinterpret_cast<const char*>(data), size};
}

/// Splits a two-file input at the first `separator` line ("\n--edges--\n"): the part before,
/// and the part after (nullopt without a separator).
inline std::pair<std::string_view, std::optional<std::string_view>> split_two(
    std::string_view text, std::string_view separator) {
  const auto at = text.find(separator);
  if (at == std::string_view::npos) return {text, std::nullopt};
  return {text.substr(0, at), text.substr(at + separator.size())};
}

[[noreturn]] inline void bug(const std::string& what, const std::string& detail = "") {
  std::fprintf(stderr, "FOCI-FUZZ-BUG: %s\n", what.c_str());
  if (!detail.empty()) std::fprintf(stderr, "foci-fuzz: %s\n", detail.c_str());
  std::fflush(stderr);
  std::abort();
}

/// Runs one reader call: input, usage and output errors are expected; an internal error is a
/// bug. Any other exception is left uncaught on purpose: with no handler anywhere, the C++
/// runtime calls std::terminate where it is thrown, so the crash report shows the throwing
/// function (and libstdc++ prints the exception's type and what()).
template <typename Call>
void expect_only_foci_errors(Call&& call) {
  try {
    call();
  } catch (const Error& e) {
    const std::string message = e.what();  // the joined message must be buildable
    if (e.code() == ExitCode::internal) bug("internal error", message.substr(0, 2000));
    if (message.empty()) bug("an Error without a message");
  }
}

}  // namespace foci::fuzz
