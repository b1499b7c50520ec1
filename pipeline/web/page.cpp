#include "web/page.hpp"

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <type_traits>

#include "core/error.hpp"

#ifndef FOCI_DEFAULT_WEB_PAGE_DIR
#define FOCI_DEFAULT_WEB_PAGE_DIR "pipeline/web/page"
#endif
#ifndef FOCI_DEFAULT_NIIVUE_JS
#define FOCI_DEFAULT_NIIVUE_JS "node_modules/@niivue/niivue/dist/niivue.umd.js"
#endif

namespace foci {

namespace {

std::string setting(const char* variable, const char* fallback) {
  if (const char* value = std::getenv(variable); value && *value) return value;
  return fallback;
}

/// A whole file, or Error (input) "cannot read WHAT 'PATH'" and `hint`.
std::string read_asset(const std::string& path, const std::string& what,
                       const std::string& hint = "") {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  if (in) text << in.rdbuf();
  if (!in || in.bad()) {
    throw input_error("cannot read " + what + " '" + path + "'" + hint);
  }
  return text.str();
}

/// Text placed inside a <script> element must not close it: "</" becomes "<\/", which means
/// the same in JavaScript strings, regular expressions and JSON.
std::string script_safe(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t n = 0; n < text.size(); ++n) {
    out += text[n];
    if (text[n] == '<' && n + 1 < text.size() && text[n + 1] == '/') out += '\\';
  }
  return out;
}

std::string html_escaped(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c == '&')
      out += "&amp;";
    else if (c == '<')
      out += "&lt;";
    else if (c == '>')
      out += "&gt;";
    else if (c == '"')
      out += "&quot;";
    else
      out += c;
  }
  return out;
}

}  // namespace

std::vector<std::string> web_asset_paths() {
  const std::string page_dir = setting("FOCI_WEB_PAGE_DIR", FOCI_DEFAULT_WEB_PAGE_DIR);
  return {page_dir + "/page.html", page_dir + "/page.css", page_dir + "/page.js",
          setting("FOCI_NIIVUE_JS", FOCI_DEFAULT_NIIVUE_JS)};
}

WebAssets read_web_assets() {
  const auto paths = web_asset_paths();
  WebAssets assets;
  assets.html_template = read_asset(paths[0], "the web page template");
  assets.style = read_asset(paths[1], "the web page style");
  assets.script = read_asset(paths[2], "the web page script");
  assets.niivue = read_asset(paths[3], "NiiVue's browser build",
                             "; install it with the set-up (npm ci in the repository)");
  return assets;
}

std::string web_page_html(const std::string& title, const nlohmann::json& data,
                          const WebAssets& assets) {
  std::string page = assets.html_template;
  // Filled in order of the markers in the template, each once, so text inserted earlier
  // (NiiVue's code, the data) is never searched for markers.
  const std::string json = data.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  const std::vector<std::pair<std::string, std::string>> parts{
      {"{{TITLE}}", html_escaped(title.empty() ? "foci figure" : title)},
      {"{{STYLE}}", script_safe(assets.style)},
      {"{{NIIVUE}}", script_safe(assets.niivue)},
      {"{{DATA}}", script_safe(json)},
      {"{{SCRIPT}}", script_safe(assets.script)}};
  std::size_t from = 0;
  for (const auto& [marker, text] : parts) {
    const auto at = page.find(marker, from);
    if (at == std::string::npos) {
      throw input_error("the page template has no " + marker + " marker after the previous one");
    }
    page.replace(at, marker.size(), text);
    from = at + text.size();
  }
  return page;
}

std::string base64(const unsigned char* bytes, std::size_t size) {
  static constexpr char kDigits[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((size + 2) / 3 * 4);
  for (std::size_t n = 0; n < size; n += 3) {
    const std::uint32_t a = bytes[n];
    const std::uint32_t b = n + 1 < size ? bytes[n + 1] : 0;
    const std::uint32_t c = n + 2 < size ? bytes[n + 2] : 0;
    const std::uint32_t triple = (a << 16) | (b << 8) | c;
    out += kDigits[(triple >> 18) & 63];
    out += kDigits[(triple >> 12) & 63];
    out += n + 1 < size ? kDigits[(triple >> 6) & 63] : '=';
    out += n + 2 < size ? kDigits[triple & 63] : '=';
  }
  return out;
}

namespace {

/// Bytes of whole numbers, little-endian whatever the machine.
template <typename T>
std::string base64_of_words(const std::vector<T>& values) {
  static_assert(std::is_integral_v<T>);
  std::vector<unsigned char> bytes(values.size() * sizeof(T));
  for (std::size_t n = 0; n < values.size(); ++n) {
    const auto word = static_cast<std::make_unsigned_t<T>>(values[n]);
    for (std::size_t k = 0; k < sizeof(T); ++k) {
      bytes[n * sizeof(T) + k] = static_cast<unsigned char>(word >> (8 * k));
    }
  }
  return base64(bytes.data(), bytes.size());
}

}  // namespace

std::string base64_of(const std::vector<std::int16_t>& values) { return base64_of_words(values); }
std::string base64_of(const std::vector<std::uint16_t>& values) { return base64_of_words(values); }
std::string base64_of(const std::vector<std::uint32_t>& values) { return base64_of_words(values); }
std::string base64_of(const std::vector<float>& values) {
  // IEEE 754 binary32, written as its bits (little-endian, as every browser reads it).
  std::vector<std::uint32_t> bits(values.size());
  static_assert(sizeof(float) == sizeof(std::uint32_t));
  for (std::size_t n = 0; n < values.size(); ++n) std::memcpy(&bits[n], &values[n], sizeof(float));
  return base64_of_words(bits);
}
std::string base64_of(const std::vector<std::uint8_t>& values) {
  return base64(values.data(), values.size());
}

}  // namespace foci
