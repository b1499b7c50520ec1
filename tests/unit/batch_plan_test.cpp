// Batch decisions without rendering: which shard owns a figure, what --resume keeps, what
// needs --force, and how figures are dealt to workers.
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "batch/batch_plan.hpp"
#include "batch/figure_spec.hpp"
#include "nifti_fixture.hpp"

namespace foci {
namespace {

SpecFile spec_with(const std::vector<std::string>& names, const std::string& findings = "f.json") {
  SpecFile spec;
  spec.path = "spec.json";
  spec.findings = {findings};
  for (const auto& name : names) {
    FigureSpec f;
    f.name = name;
    f.canonical = "{\"name\":\"" + name + "\"}";
    f.panels.push_back(PanelRequest{"all", {}, {View::dorsal}, {}});
    spec.figures.push_back(f);
  }
  return spec;
}

BatchPlan plan(const std::vector<SpecFile>& specs, PlanOptions options,
               const std::map<std::string, std::string>& recorded = {},
               const std::set<std::string>& existing = {}, const std::string& key = "k1") {
  options.out = "out";
  options.version = "test";
  return plan_batch(
      specs, options, recorded, [&](const std::string& p) { return existing.count(p) > 0; },
      [&](const std::string&) { return key; });
}

TEST(BatchPlan, ShardsSplitTheFiguresOfAllSpecsWithoutOverlap) {
  const std::vector<SpecFile> specs{spec_with({"a", "b", "c"}), spec_with({"d", "e"})};
  std::multiset<std::string> seen;
  for (int shard = 0; shard < 3; ++shard) {
    PlanOptions o;
    o.shard_index = shard;
    o.shard_count = 3;
    for (const auto& f : plan(specs, o).to_draw) seen.insert(f.name);
  }
  EXPECT_EQ(seen, (std::multiset<std::string>{"a", "b", "c", "d", "e"}));
  PlanOptions first;
  first.shard_count = 3;
  const auto p = plan(specs, first);
  ASSERT_EQ(p.to_draw.size(), 2u);
  EXPECT_EQ(p.to_draw[0].name, "a");
  EXPECT_EQ(p.to_draw[1].name, "d") << "figures are counted across specs";
  EXPECT_EQ(p.to_draw[1].spec, 1u);
  EXPECT_EQ(p.to_draw[1].output, "out/d.png");
}

TEST(BatchPlan, HtmlFormatWritesAPageBesideThePngAndCountsItsFiles) {
  std::vector<SpecFile> specs{spec_with({"a"})};
  specs[0].figures[0].options.formats = {"png", "html"};
  PlanOptions o;
  o.page_assets = {"page.js"};
  const auto p = plan(specs, o);
  ASSERT_EQ(p.to_draw.size(), 1u);
  EXPECT_EQ(p.to_draw[0].outputs, (std::vector<std::string>{"out/a.png", "out/a.html"}));
  EXPECT_EQ(p.to_draw[0].output, "out/a.png");
  // Either file existing needs --force; --resume keeps the figure only when both are there.
  EXPECT_EQ(plan(specs, o, {}, {"out/a.html"}).failures.size(), 1u);
  o.resume = true;
  const std::map<std::string, std::string> recorded{{"a", p.to_draw[0].input_hash}};
  EXPECT_EQ(plan(specs, o, recorded, {"out/a.png"}).to_draw.size(), 1u) << "the page is missing";
  EXPECT_EQ(plan(specs, o, recorded, {"out/a.png", "out/a.html"}).up_to_date.size(), 1u);
  // A changed page script means the page is drawn again.
  EXPECT_EQ(plan(specs, o, recorded, {"out/a.png", "out/a.html"}, "k2").to_draw.size(), 1u);
}

TEST(BatchPlan, ResumeKeepsOnlyFiguresWithTheSameInputsThatExist) {
  const std::vector<SpecFile> specs{spec_with({"a", "b", "c"})};
  PlanOptions o;
  const auto first = plan(specs, o);
  ASSERT_EQ(first.to_draw.size(), 3u);
  std::map<std::string, std::string> recorded;
  for (const auto& f : first.to_draw) recorded[f.name] = f.input_hash;
  o.resume = true;
  // a: recorded and present; b: recorded but deleted; c: present but its inputs changed.
  recorded["c"] = "other";
  auto p = plan(specs, o, recorded, {"out/a.png", "out/c.png"});
  EXPECT_EQ(p.up_to_date, std::vector<std::string>{"out/a.png"});
  ASSERT_EQ(p.to_draw.size(), 2u);
  EXPECT_EQ(p.to_draw[0].name, "b");
  EXPECT_EQ(p.to_draw[1].name, "c");
  // A changed findings file changes every input hash.
  recorded["c"] = first.to_draw[2].input_hash;
  p = plan(specs, o, recorded, {"out/a.png", "out/b.png", "out/c.png"}, "k2");
  EXPECT_TRUE(p.up_to_date.empty());
  EXPECT_EQ(p.to_draw.size(), 3u);
}

TEST(BatchPlan, AnExistingFigureNeedsForceOrResume) {
  const std::vector<SpecFile> specs{spec_with({"a", "b"})};
  PlanOptions o;
  auto p = plan(specs, o, {}, {"out/b.png"});
  ASSERT_EQ(p.failures.size(), 1u);
  EXPECT_EQ(p.failures[0],
            "b: 'out/b.png' exists; use --force to overwrite or --resume to keep it");
  ASSERT_EQ(p.to_draw.size(), 1u);
  o.force = true;
  EXPECT_EQ(plan(specs, o, {}, {"out/b.png"}).to_draw.size(), 2u);
}

TEST(BatchPlan, ABadFigureFailsAloneWithItsError) {
  auto spec = spec_with({"a", "b"});
  spec.figures[0].error = "spec.json: /figures/0/size: expected WIDTHxHEIGHT";
  const auto p = plan({spec}, PlanOptions{});
  EXPECT_EQ(p.failures,
            std::vector<std::string>{"a: spec.json: /figures/0/size: expected WIDTHxHEIGHT"});
  ASSERT_EQ(p.to_draw.size(), 1u);
  EXPECT_EQ(p.to_draw[0].name, "b");
}

TEST(BatchPlan, ManifestNamesKeepShardsApart) {
  EXPECT_EQ(manifest_name(0, 1), "manifest.json");
  EXPECT_EQ(manifest_name(2, 4), "manifest.shard-2-of-4.json");
}

TEST(BatchPlan, DealsLargestFirstToTheLeastLoadedWorker) {
  const auto dealt = deal_largest_first({1, 10, 2, 9, 3}, 2);
  ASSERT_EQ(dealt.size(), 2u);
  EXPECT_EQ(dealt[0], (std::vector<std::size_t>{1, 2, 0}));  // 10 + 2 + 1 = 13
  EXPECT_EQ(dealt[1], (std::vector<std::size_t>{3, 4}));     // 9 + 3 = 12
  const auto one = deal_largest_first({1, 2}, 1);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].size(), 2u);
}

TEST(BatchSpec, NamesThatAreHugeOrDotsFailAloneAndNameNoFile) {
  // "." and ".." would write the hidden files ..png and ...png; a name of 30,000 characters is
  // checked by a loop (never std::regex) and listed cut short.
  testing::TempDir dir;
  const std::string huge(30000, 'a');
  testing::write_text(dir.path("figures.json"),
                      R"({"foci_figures": 1, "findings": ["f.json"], "figures": [
                        {"name": ".", "panels": [{"title": "a"}]},
                        {"name": "..", "panels": [{"title": "a"}]},
                        {"name": ")" +
                          huge + R"(", "panels": [{"title": "a"}]},
                        {"name": "a/b", "panels": [{"title": "a"}]},
                        {"name": "fine", "panels": [{"title": "a"}]}]})");
  const SpecFile spec = read_spec_file(dir.path("figures.json"));
  ASSERT_EQ(spec.figures.size(), 5u);
  for (std::size_t n = 0; n < 4; ++n) {
    ASSERT_TRUE(spec.figures[n].error.has_value()) << n;
    EXPECT_NE(spec.figures[n].error->find("/figures/" + std::to_string(n) +
                                          "/name: required: a file name of at most 200"),
              std::string::npos)
        << *spec.figures[n].error;
  }
  EXPECT_LT(spec.figures[2].name.size(), 120u) << "the huge name is listed cut short";
  EXPECT_FALSE(spec.figures[4].error.has_value());
  const auto planned = plan({spec}, PlanOptions{});
  ASSERT_EQ(planned.to_draw.size(), 1u);
  EXPECT_EQ(planned.to_draw[0].output, "out/fine.png");
  ASSERT_EQ(planned.failures.size(), 4u);
  for (const auto& failure : planned.failures) EXPECT_LT(failure.size(), 400u) << failure;
}

TEST(BatchSpec, OverlayKeysAreReadRelativeToTheSpecAndTheMapIsPartOfTheInputHash) {
  testing::TempDir dir;
  testing::write_text(dir.path("figures.json"),
                      R"({"foci_figures": 1, "findings": ["f.json"], "figures": [
                        {"name": "maps", "overlay": ["z.nii.gz", "/abs/t.nii:2"],
                         "threshold": 2.3, "cluster_min": 10, "vmax": 6, "space_ok": true,
                         "projection": "average", "overlay_style": "blobs",
                         "colormap": "hot", "overlay_title": "z", "panels": [{"title": "a"}]},
                        {"name": "one", "overlay": "z.nii.gz", "panels": [{"title": "a"}]},
                        {"name": "bad", "threshold": "2.3", "panels": [{"title": "a"}]},
                        {"name": "worse", "overlay": [3], "panels": [{"title": "a"}]},
                        {"name": "own", "panels": [{"title": "a", "overlay": "p.nii:1"},
                                                   {"title": "b"}]}]})");
  const SpecFile spec = read_spec_file(dir.path("figures.json"));
  ASSERT_EQ(spec.figures.size(), 5u);
  ASSERT_FALSE(spec.figures[0].error.has_value()) << *spec.figures[0].error;
  const OverlayOptions& o = spec.figures[0].options.overlay;
  ASSERT_EQ(o.maps.size(), 2u);
  EXPECT_EQ(o.maps[0].path, dir.path("z.nii.gz"));
  EXPECT_EQ(o.maps[1].path, "/abs/t.nii");
  EXPECT_EQ(o.maps[1].volume, 2);
  EXPECT_DOUBLE_EQ(o.threshold, 2.3);
  EXPECT_EQ(o.cluster_min, 10);
  EXPECT_EQ(o.vmax, 6.0);
  EXPECT_TRUE(o.space_ok);
  EXPECT_EQ(o.projection, OverlayProjection::average);
  EXPECT_EQ(o.style, OverlayStyle::blobs);
  EXPECT_EQ(spec.figures[1].options.overlay.maps.size(), 1u);
  EXPECT_EQ(*spec.figures[2].error,
            dir.path("figures.json") + ": /figures/2/threshold: expected a number");
  EXPECT_EQ(*spec.figures[3].error,
            dir.path("figures.json") + ": /figures/3/overlay/0: expected the path of a NIfTI map");

  // A panel's own maps, relative to the spec as well.
  ASSERT_FALSE(spec.figures[4].error.has_value()) << *spec.figures[4].error;
  ASSERT_EQ(spec.figures[4].panels[0].overlays.size(), 1u);
  EXPECT_EQ(spec.figures[4].panels[0].overlays[0].path, dir.path("p.nii"));
  EXPECT_EQ(spec.figures[4].panels[0].overlays[0].volume, 1);
  EXPECT_TRUE(spec.figures[4].panels[1].overlays.empty());

  // A map with new content is a new figure for --resume.
  PlanOptions options;
  options.out = "out";
  options.version = "test";
  const auto hash_with = [&](const std::string& map_key) {
    return plan_batch(
               {spec}, options, {}, [](const std::string&) { return false; },
               [&](const std::string& p) {
                 return p.find(".nii") != std::string::npos ? map_key : "f";
               })
        .to_draw[0]
        .input_hash;
  };
  EXPECT_NE(hash_with("one"), hash_with("two"));
}

}  // namespace
}  // namespace foci
