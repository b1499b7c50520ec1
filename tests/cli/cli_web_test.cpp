// foci web on the real program: the page stands alone (no external reference), is the same
// bytes for the same inputs, carries the scene and the names a reader may type, and bad
// input or an existing output is refused before anything is written.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <filesystem>
#include <regex>

#include "nifti_fixture.hpp"
#include "process.hpp"

namespace foci {
namespace {

namespace fs = std::filesystem;
using testing::shell_quote;
using testing::slurp;
using testing::TempDir;
using testing::write_text;

const std::string kFindings = FOCI_SOURCE_DIR "/tests/web/findings.json";

/// Runs foci with `args` in `dir`, the mesh cache shared with the other tests; `env` is
/// "NAME=value " words set for it.
testing::ProcessResult foci(const std::string& args, const TempDir& dir,
                            const std::string& env = "") {
  return testing::run_shell(env + "FOCI_CACHE_DIR=" + shell_quote(FOCI_MESH_CACHE) + " " +
                                shell_quote(FOCI_BINARY) + " " + args,
                            dir.root());
}

testing::ProcessResult web(const std::string& args, const TempDir& dir) {
  return foci("web " + args, dir);
}

/// The page's data: the JSON inside <script type="application/json" id="foci-data">.
nlohmann::json page_data(const std::string& html) {
  const std::string open = "<script type=\"application/json\" id=\"foci-data\">";
  const auto start = html.find(open);
  EXPECT_NE(start, std::string::npos);
  const auto end = html.find("</script>", start);
  std::string text = html.substr(start + open.size(), end - start - open.size());
  // "<\/" is how the page keeps "</" from closing the element; JSON reads it as "</".
  return nlohmann::json::parse(text);
}

TEST(WebCli, FindingsFilesAfterAtlasStayFindingsFiles) {
  // --atlas took every word after it as another atlas, so with the files last the command
  // said no findings file was given (and render, whose files are optional with --overlay,
  // said there was nothing to draw). render declares its options in the same place.
  TempDir dir;
  const auto r = web("--atlas aal " + shell_quote(kFindings) + " -o " +
                         shell_quote(dir.path("page.html")),
                     dir);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(dir.path("page.html")));
}

TEST(WebCli, AnEffectiveConnectionCarriesItsArrowheadAndAFunctionalOneNone) {
  TempDir dir;
  const auto edge = [](const char* id, const char* measure, double y) {
    const std::string at = std::to_string(y);
    return std::string(R"({"id": ")") + id + R"(", "study": "s", "measure": ")" + measure +
           R"(", "direction": "increase", "endpoints": [)" + R"({"coordinate": {"x": -50, "y": )" +
           at + R"(, "z": 40, "space": "MNI"}},)" + R"({"coordinate": {"x": 50, "y": )" + at +
           R"(, "z": 40, "space": "MNI"}}],)" + R"( "source_anchor": "test"})";
  };
  write_text(dir.path("f.json"),
             R"({"foci_findings": 1, "title": "t", "source": {"citation": "c"},
      "studies": [{"id": "s", "citation": "s"}], "findings": [)" +
                 edge("ec", "effective connectivity", -10) + "," +
                 edge("fc", "functional connectivity", -40) + "]}");
  const auto r =
      web(shell_quote(dir.path("f.json")) + " -o " + shell_quote(dir.path("p.html")), dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto edges = page_data(slurp(dir.path("p.html")))["panels"][0]["edges"];
  ASSERT_EQ(edges.size(), 2u);
  for (const auto& e : edges) {
    if (e["from"][1] == -10.0) {
      // A 0.9 mm tube: a head 4.5 radii long and 2.5 wide, its tip on the 2.5 mm node.
      ASSERT_TRUE(e.contains("arrow")) << e.dump();
      EXPECT_EQ(e["arrow"]["length"], 4.05);
      EXPECT_EQ(e["arrow"]["radius"], 2.25);
      EXPECT_EQ(e["arrow"]["gap"], 2.5);
    } else {
      EXPECT_FALSE(e.contains("arrow")) << "an undirected edge is a plain tube";
    }
  }
}

TEST(WebCli, PageHasNoExternalReferenceAndIsTheSameBytesTwice) {
  TempDir dir;
  const std::string a = dir.path("a.html"), b = dir.path("b.html");
  const std::string args =
      shell_quote(kFindings) + " --views dorsal,left --figure-title 'Test' -o ";
  const auto first = web(args + shell_quote(a), dir);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(web(args + shell_quote(b), dir).exit_code, 0);
  const std::string html = slurp(a);
  EXPECT_EQ(html, slurp(b)) << "the same inputs must give the same page";
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  // Nothing the browser would fetch: no src/href to the network, no import() of a URL, no
  // stylesheet or script from elsewhere.
  const std::regex external(R"re((src|href)\s*=\s*["']?\s*(https?:)?//)re", std::regex::icase);
  EXPECT_FALSE(std::regex_search(html, external));
  const std::regex imported(R"re(import\s*\(\s*["'`]\s*(https?:)?//)re", std::regex::icase);
  EXPECT_FALSE(std::regex_search(html, imported));
  const std::regex linked(R"re(<(link|script)[^>]*\s(src|href)\s*=)re", std::regex::icase);
  EXPECT_FALSE(std::regex_search(html, linked)) << "every script and style is inline";
  EXPECT_NE(html.find("<title>Test</title>"), std::string::npos);
}

TEST(WebCli, PageDataHoldsTheSceneFindingsAndNames) {
  TempDir dir;
  const std::string out = dir.path("page.html");
  const auto r = web(shell_quote(kFindings) + " -o " + shell_quote(out), dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto data = page_data(slurp(out));
  EXPECT_EQ(data["foci_web"], 1);
  EXPECT_EQ(data["overlays"], nlohmann::json::array()) << "the place kept for overlay maps";
  // The brain mesh: base64 of int16 hundredths of a millimetre and uint triangles.
  const std::string points = data["brain"]["points"];
  EXPECT_GT(points.size(), 100000u);
  EXPECT_EQ(points.size() % 4, 0u);
  ASSERT_EQ(data["panels"].size(), 1u);
  const auto& panel = data["panels"][0];
  // The right hippocampus as a region surface on its AAL label, its finding with its anchor.
  bool hippocampus = false;
  for (const auto& region : panel["regions"]) {
    if (region["atlas_labels"] == nlohmann::json::array({"Hippocampus_R"})) {
      hippocampus = true;
      EXPECT_EQ(region["side"], "right");
      ASSERT_EQ(region["sources"].size(), 1u);
      const auto& f = data["findings"][region["sources"][0].get<std::size_t>()];
      EXPECT_EQ(f["source_anchor"], "Table 1, row 3");
      EXPECT_EQ(f["study_citation"], "Lee B, et al. Test Journal 2021;2:3");
      EXPECT_EQ(f["file"], "findings.json") << "no folder of the machine it was made on";
    }
  }
  EXPECT_TRUE(hippocampus);
  // The left marker as a red node at its reported coordinate.
  bool marker = false;
  for (const auto& node : panel["nodes"]) {
    if (node["at"] == nlohmann::json::array({-45.0, -20.0, 40.0})) {
      marker = true;
      EXPECT_EQ(node["colour"], nlohmann::json::array({219, 31, 31})) << "an increase is red";
    }
  }
  EXPECT_TRUE(marker);
  EXPECT_EQ(panel["edges"].size(), 4u) << "PCC to mPFC, each side to each side, as render draws";
  // Names as papers write them, resolved by the lexicon.
  EXPECT_EQ(data["names"]["右侧海马"]["region"], "hippocampus");
  EXPECT_EQ(data["names"]["右侧海马"]["side"], "right");
  // The atlas label as written, by the lexicon's key ("Hippocampus_R" -> "hippocampus r").
  ASSERT_TRUE(data["names"].contains("hippocampus r"));
  const auto& label = data["names"]["hippocampus r"];
  EXPECT_TRUE(label.value("label", "") == "Hippocampus_R" ||
              (label.value("region", "") == "hippocampus" && label.value("side", "") == "right"))
      << label.dump();
}

TEST(WebCli, BadInputIsRefusedBeforeAnythingIsWritten) {
  TempDir dir;
  const std::string out = dir.path("page.html");
  write_text(dir.path("broken.json"), "{\"foci_findings\": 1, \"findings\": [");
  const auto broken = web(shell_quote(dir.path("broken.json")) + " -o " + shell_quote(out), dir);
  EXPECT_EQ(broken.exit_code, 3) << broken.err;
  EXPECT_NE(broken.err.find("broken.json"), std::string::npos) << broken.err;
  EXPECT_FALSE(fs::exists(out));

  const auto view = web(shell_quote(kFindings) + " --views dorsl -o " + shell_quote(out), dir);
  EXPECT_EQ(view.exit_code, 2);
  EXPECT_EQ(view.err.substr(0, view.err.find('\n')),
            "foci: [ERROR] --views: unknown view 'dorsl'; did you mean 'dorsal'? (views: left, "
            "right, dorsal, ventral, anterior, posterior, medial-left, medial-right)");
  EXPECT_FALSE(fs::exists(out));

  const auto filter =
      web(shell_quote(kFindings) + " --filter colour=red -o " + shell_quote(out), dir);
  EXPECT_EQ(filter.exit_code, 2);
  EXPECT_FALSE(fs::exists(out));

  const auto self = web(shell_quote(kFindings) + " -o " + shell_quote(kFindings) + " --force", dir);
  EXPECT_EQ(self.exit_code, 2) << "an input is never written over";
  // Only what the test wrote is in the folder: no temporary file left behind.
  std::size_t files = 0;
  for (const auto& e : fs::directory_iterator(dir.root())) files += e.is_regular_file();
  EXPECT_LE(files, 3u);
}

TEST(WebCli, AnExistingPageIsKeptWithoutForce) {
  TempDir dir;
  const std::string out = dir.path("page.html");
  write_text(out, "keep me");
  const auto refused = web(shell_quote(kFindings) + " -o " + shell_quote(out), dir);
  EXPECT_EQ(refused.exit_code, 4);
  EXPECT_NE(refused.err.find("page.html"), std::string::npos) << refused.err;
  EXPECT_EQ(slurp(out), "keep me");
  const auto forced = web(shell_quote(kFindings) + " --force -o " + shell_quote(out), dir);
  EXPECT_EQ(forced.exit_code, 0) << forced.err;
  EXPECT_NE(slurp(out), "keep me");
}

TEST(WebCli, AMissingNiiVueIsAnInputErrorNamingIt) {
  TempDir dir;
  const std::string out = dir.path("page.html");
  const auto r = foci("web " + shell_quote(kFindings) + " -o " + shell_quote(out), dir,
                      "FOCI_NIIVUE_JS=" + shell_quote(dir.path("none.js")) + " ");
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find("NiiVue"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("npm ci"), std::string::npos) << r.err;
  EXPECT_FALSE(fs::exists(out));
}

TEST(WebCli, BatchWritesThePageBesideThePngWhenTheSpecAsks) {
  TempDir dir;
  write_text(dir.path("figures.json"),
             std::string(R"({"foci_figures": 1, "findings": [")") + kFindings + R"("],
  "figures": [{"name": "both", "title": "Both", "size": "320x240", "views": ["dorsal"],
               "formats": ["html", "png"],
               "panels": [{"title": "Rises", "filter": {"direction": "increase"}},
                          {"title": "Falls", "filter": {"direction": "decrease"}}]},
              {"name": "png-only", "size": "320x240", "views": ["dorsal"],
               "panels": [{"title": "All"}]}]})");
  const std::string out = dir.path("out");
  const std::string batch = "batch " + shell_quote(dir.path("figures.json")) + " --out " +
                            shell_quote(out) + " --jobs 1 --quiet";
  const auto r = foci(batch, dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_TRUE(fs::exists(out + "/both.png"));
  EXPECT_TRUE(fs::exists(out + "/png-only.png"));
  EXPECT_FALSE(fs::exists(out + "/png-only.html")) << "png is the default format alone";
  ASSERT_TRUE(fs::exists(out + "/both.html"));
  const auto data = page_data(slurp(out + "/both.html"));
  ASSERT_EQ(data["panels"].size(), 2u) << "panels become tabs";
  EXPECT_EQ(data["panels"][0]["title"], "Rises");
  EXPECT_EQ(data["panels"][1]["letter"], "b");
  EXPECT_EQ(data["title"], "Both");
  // Written again with --force, the page is the same bytes.
  const std::string first = slurp(out + "/both.html");
  const auto again = foci(batch + " --force", dir);
  ASSERT_EQ(again.exit_code, 0) << again.err;
  EXPECT_EQ(slurp(out + "/both.html"), first);
}

}  // namespace
}  // namespace foci
