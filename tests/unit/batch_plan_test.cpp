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
    f.panels.push_back(PanelRequest{"all", {}, {View::dorsal}});
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

}  // namespace
}  // namespace foci
