#pragma once
// One self-contained HTML page: the page's own template, style and script
// (pipeline/web/page/), NiiVue's browser build, and the figure's data, all inlined, so the
// file opens from a double-click with no server and no network. Plain text and JSON only:
// what the page shows is assembled by the app stage (app/web_figure).
#include <nlohmann/json.hpp>

#include <cstdint>
#include <string>
#include <vector>

namespace foci {

/// What every page is made of besides its data, read from disk at run time: the page folder
/// (FOCI_WEB_PAGE_DIR, default pipeline/web/page of the source tree) and NiiVue's browser
/// build (FOCI_NIIVUE_JS, default node_modules/@niivue/niivue/dist/niivue.umd.js, installed
/// by the set-up's `npm ci`).
struct WebAssets {
  std::string html_template, style, script, niivue;
};

/// The files read_web_assets reads, in its order.
std::vector<std::string> web_asset_paths();

/// Reads the assets. Throws Error (input) naming a missing file and how to install it.
WebAssets read_web_assets();

/// The page: the template with the title, style, NiiVue, the data (as JSON in a
/// <script type="application/json">) and the page script filled in. Nothing in it refers to
/// another file or to the network; the same data give the same bytes.
std::string web_page_html(const std::string& title, const nlohmann::json& data,
                          const WebAssets& assets);

/// Base64 of little-endian int16 / uint16 / uint32 / float32 arrays and of bytes, the page's
/// compact form of meshes and overlay values (typed arrays read them so on every browser
/// platform).
std::string base64_of(const std::vector<std::int16_t>& values);
std::string base64_of(const std::vector<std::uint16_t>& values);
std::string base64_of(const std::vector<std::uint32_t>& values);
std::string base64_of(const std::vector<float>& values);
std::string base64_of(const std::vector<std::uint8_t>& values);
std::string base64(const unsigned char* bytes, std::size_t size);

}  // namespace foci
