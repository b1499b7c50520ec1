// foci web on the real program: the page stands alone (no external reference), is the same
// bytes for the same inputs, carries the scene and the names a reader may type, and bad
// input or an existing output is refused before anything is written.
#include <gtest/gtest.h>

#include <algorithm>
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
  EXPECT_EQ(data["overlays"], nlohmann::json::array()) << "no --overlay, no maps";
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

/// +5 in a 12 mm ball around (-35, -65, 50) and -3 around its mirror, on a 2 mm MNI grid
/// stored LAS (i running right to left).
std::string write_ball_map(const TempDir& dir, const std::string& name) {
  testing::SyntheticHeader header;
  const Affine affine = Affine::from_rows({{{-2, 0, 0, 90}, {0, 2, 0, -126}, {0, 0, 2, -72}}});
  header.size = {91, 109, 91};
  header.sform = affine;
  header.datatype = 16;
  const Vec3 left{-35, -65, 50}, right{35, -65, 50};
  testing::write_synthetic_nifti(dir.path(name), header, [&](int i, int j, int k) {
    const Vec3 p = affine.apply({double(i), double(j), double(k)});
    if (norm(p - left) <= 12) return 5.0;
    if (norm(p - right) <= 12) return -3.0;
    return 0.0;
  });
  return dir.path(name);
}

TEST(WebCli, OverlayPageCarriesTheMapOnTheBrainAndIsTheSameBytesTwice) {
  TempDir dir;
  const std::string map = write_ball_map(dir, "balls.nii.gz");
  const std::string args = shell_quote(kFindings) + " --overlay " + shell_quote(map) +
                           " --threshold 1 --views dorsal -o ";
  const auto first = web(args + shell_quote(dir.path("a.html")), dir);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  ASSERT_EQ(web(args + shell_quote(dir.path("b.html")), dir).exit_code, 0);
  const std::string html = slurp(dir.path("a.html"));
  EXPECT_EQ(html, slurp(dir.path("b.html"))) << "the same inputs must give the same page";
  const std::regex external(R"re((src|href)\s*=\s*["']?\s*(https?:)?//)re", std::regex::icase);
  EXPECT_FALSE(std::regex_search(html, external));

  const auto data = page_data(html);
  ASSERT_EQ(data["overlays"].size(), 1u);
  const auto& overlay = data["overlays"][0];
  EXPECT_EQ(overlay["title"], "balls");
  EXPECT_EQ(overlay["style"], "surface");
  EXPECT_EQ(overlay["kind"], "signed");
  EXPECT_EQ(overlay["threshold"], 1.0);
  EXPECT_EQ(overlay["largest_magnitude"], 5.0);
  // The colour bar spans -5..5 and marks the threshold on both sides.
  EXPECT_EQ(overlay["colour_bar"]["minimum"], -5.0);
  EXPECT_EQ(overlay["colour_bar"]["maximum"], 5.0);
  EXPECT_EQ(overlay["colour_bar"]["marks"], nlohmann::json::array({1.0, -1.0}));
  // Values on each brain mesh the page draws: the whole brain and each hemisphere.
  for (const char* mesh : {"brain", "left", "right"}) {
    const auto& values = overlay["surface"][mesh];
    const std::string vertices = values["vertices"];
    EXPECT_GT(vertices.size(), 40u) << mesh;
    // uint32 indices, float32 values and RGB bytes of the same vertices.
    EXPECT_EQ(values["values"].get<std::string>().size(), vertices.size()) << mesh;
  }
  EXPECT_EQ(data["panels"][0]["overlays"], nlohmann::json::array({0}));
}

TEST(WebCli, BlobOverlayCarriesAnIsosurfaceForEachSign) {
  TempDir dir;
  const std::string map = write_ball_map(dir, "balls.nii.gz");
  const std::string out = dir.path("page.html");
  // A page of a map alone: findings files are optional with --overlay, as for render.
  const auto r = web("--overlay " + shell_quote(map) + " --overlay-style blobs --overlay-title " +
                         "'Ball map' -o " + shell_quote(out),
                     dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto data = page_data(slurp(out));
  ASSERT_EQ(data["overlays"].size(), 1u);
  const auto& overlay = data["overlays"][0];
  EXPECT_EQ(overlay["title"], "Ball map");
  EXPECT_EQ(overlay["style"], "blobs");
  ASSERT_EQ(overlay["blobs"].size(), 2u);
  for (const auto& blob : overlay["blobs"]) {
    const auto& c = blob["colour"];
    if (blob["sign"] == 1) {
      EXPECT_GT(c[0].get<int>(), c[2].get<int>() + 70) << "positive is warm: " << c;
    } else {
      EXPECT_EQ(blob["sign"], -1);
      EXPECT_GT(c[2].get<int>(), c[0].get<int>() + 70) << "negative is cool: " << c;
    }
    EXPECT_GT(blob["mesh"]["points"].get<std::string>().size(), 100u);
  }
}

TEST(WebCli, BatchPagesCarryTheSpecsOverlayMaps) {
  TempDir dir;
  const std::string map = write_ball_map(dir, "balls.nii.gz");
  write_text(dir.path("figures.json"),
             std::string(R"({"foci_figures": 1, "findings": [")") + kFindings + R"("],
  "figures": [{"name": "map", "views": ["dorsal"], "formats": ["html"], "overlay": ")" +
                 map + R"(", "threshold": 1, "overlay_title": "Balls",
               "panels": [{"title": "All"}]}]})");
  const std::string out = dir.path("out");
  const auto r = foci("batch " + shell_quote(dir.path("figures.json")) + " --out " +
                          shell_quote(out) + " --jobs 1 --quiet",
                      dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.err.find("not drawn in the page"), std::string::npos) << r.err;
  const auto data = page_data(slurp(out + "/map.html"));
  ASSERT_EQ(data["overlays"].size(), 1u);
  EXPECT_EQ(data["overlays"][0]["title"], "Balls");
  EXPECT_GT(data["overlays"][0]["surface"]["brain"]["vertices"].get<std::string>().size(), 40u);
  EXPECT_EQ(data["panels"][0]["overlays"], nlohmann::json::array({0}));
}

TEST(WebCli, ABadOverlayIsRefusedBeforeAnythingIsWritten) {
  TempDir dir;
  const std::string out = dir.path("page.html");
  write_text(dir.path("map.nii"), "not a NIfTI image");
  const auto bad = web(shell_quote(kFindings) + " --overlay " + shell_quote(dir.path("map.nii")) +
                           " -o " + shell_quote(out),
                       dir);
  EXPECT_EQ(bad.exit_code, 3) << bad.err;
  EXPECT_NE(bad.err.find("map.nii"), std::string::npos) << bad.err;
  EXPECT_FALSE(fs::exists(out));
  const auto none = web("-o " + shell_quote(out), dir);
  EXPECT_EQ(none.exit_code, 2) << none.err;
  EXPECT_NE(none.err.find("nothing to draw"), std::string::npos) << none.err;
  EXPECT_FALSE(fs::exists(out));
}

TEST(WebCli, ARegionIsNamedByItselfNotByAWiderNamePlacedOnIt) {
  // A "right cerebral hemisphere" finding covers every right label, Hippocampus_R among
  // them: it is one coarse region (a see-through tint), named by that finding, and the
  // hippocampus is its own region, named and listed by its own finding alone.
  TempDir dir;
  const std::string out = dir.path("page.html");
  const auto r = web(
      shell_quote(FOCI_SOURCE_DIR "/tests/web/overlay_findings.json") + " -o " + shell_quote(out),
      dir);
  ASSERT_EQ(r.exit_code, 0) << r.err;
  const auto data = page_data(slurp(out));
  bool hippocampus = false, hemisphere = false;
  for (const auto& region : data["panels"][0]["regions"]) {
    const std::string names = region["names"];
    const auto& labels = region["atlas_labels"];
    if (labels == nlohmann::json::array({"Hippocampus_R"})) {
      hippocampus = true;
      EXPECT_EQ(names, "hippocampus 海马");
      EXPECT_EQ(region["sources"].size(), 1u);
      EXPECT_FALSE(region["coarse"].get<bool>());
    } else if (std::find(labels.begin(), labels.end(), "Precentral_R") != labels.end()) {
      hemisphere = true;
      EXPECT_EQ(names, "cerebral hemisphere 大脑半球") << "named by the finding that put it there";
      EXPECT_TRUE(region["coarse"].get<bool>()) << "a hemisphere is drawn as a tint";
      EXPECT_GT(labels.size(), 30u);
    }
  }
  EXPECT_TRUE(hippocampus);
  EXPECT_TRUE(hemisphere);
}

}  // namespace
}  // namespace foci
