// The meta-analysis engine on tiny grids, every expected value derived by hand from the
// kernels: one focus, the union of experiments, the maximum within one, the analytic null
// against brute force, foci outside the mask or the grid, and the Monte Carlo summary.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <functional>
#include <random>

#include "core/error.hpp"
#include "findings/findings_json.hpp"
#include "meta/analysis.hpp"
#include "meta/engine.hpp"
#include "meta/experiments.hpp"
#include "meta/montecarlo.hpp"

namespace foci {
namespace {

/// A 2 mm grid of n^3 voxels, voxel (0, 0, 0) at (0, 0, 0) mm, masked where `in_mask`.
MetaGrid small_grid(int n, const std::function<bool(int, int, int)>& in_mask) {
  MetaGrid grid;
  grid.mask_source = "test";
  grid.mask.size = {n, n, n};
  set_voxel_to_world(grid.mask, Affine::from_rows({{{2, 0, 0, 0}, {0, 2, 0, 0}, {0, 0, 2, 0}}}));
  grid.mask.labels.assign(grid.mask.voxel_count(), 0);
  for (int k = 0; k < n; ++k)
    for (int j = 0; j < n; ++j)
      for (int i = 0; i < n; ++i)
        if (in_mask(i, j, k)) {
          grid.mask.labels[grid.mask.offset(i, j, k)] = 1;
          ++grid.mask_voxels;
        }
  return grid;
}

bool everywhere(int, int, int) { return true; }

/// Findings built in code; a focus at voxel (i, j, k) of small_grid is at (2i, 2j, 2k) mm.
struct Foci {
  FindingsFile file;
  std::vector<FindingInput> inputs;
  Foci() { file.findings.reserve(1000); }
  void study(const std::string& id, std::optional<long long> patients = std::nullopt,
             std::optional<long long> controls = std::nullopt) {
    Study s;
    s.id = id;
    s.citation = id;
    s.patients = patients;
    s.controls = controls;
    file.studies.push_back(s);
  }
  void add(const std::string& study, const std::string& contrast, Vec3 mm,
           std::optional<long long> n = std::nullopt) {
    if (!file.find_study(study)) this->study(study);
    Finding f;
    f.id = "f" + std::to_string(file.findings.size() + 1);
    f.study = study;
    if (!contrast.empty()) f.contrast = contrast;
    f.location = Location{std::nullopt, std::nullopt, ReportedCoordinate{mm, CoordinateSpace::mni}};
    f.sample_size = n;
    f.source_anchor = "test";
    file.findings.push_back(f);
  }
  const std::vector<FindingInput>& all() {
    inputs.clear();
    for (const auto& f : file.findings) inputs.push_back({"test.json", &f, &file});
    return inputs;
  }
};

MetaAnalysis run(Foci& foci, const MetaGrid& grid, MetaMethod method = MetaMethod::ale) {
  MetaOptions options;
  options.method = method;
  return analyse(foci.all(), grid, options);
}

std::size_t at(const MetaGrid& g, int i, int j, int k) { return g.mask.offset(i, j, k); }

TEST(MetaEngine, OneFocusGivesItsKernel) {
  const MetaGrid grid = small_grid(30, everywhere);
  Foci foci;
  foci.add("a", "", {30, 30, 30}, 10);  // voxel (15, 15, 15)
  const MetaAnalysis a = run(foci, grid);
  const MetaKernel k = ale_kernel(10, {2, 2, 2});
  ASSERT_EQ(k.radius[0], 8);
  for (int dz = -8; dz <= 8; dz += 4)
    for (int dy = -8; dy <= 8; dy += 2)
      for (int dx = -8; dx <= 8; ++dx) {
        const double expected = k.ma[((dz + 8) * 17 + dy + 8) * 17 + dx + 8];
        EXPECT_NEAR(a.stat[at(grid, 15 + dx, 15 + dy, 15 + dz)], expected, expected * 1e-6 + 1e-12)
            << dx << " " << dy << " " << dz;
      }
  EXPECT_EQ(a.stat[at(grid, 15 + 9, 15, 15)], 0.0f) << "past the kernel's box";
  EXPECT_EQ(a.stat[at(grid, 15, 15 - 9, 15)], 0.0f);
  // Alone, the focus's voxel is as unusual as the kernel's peak among all mask voxels: its p
  // is the share of mask voxels at the peak value, 1 of 27000.
  EXPECT_NEAR(a.p[at(grid, 15, 15, 15)], 1.0 / 27000, 1e-9);
  EXPECT_GT(a.z[at(grid, 15, 15, 15)], 3.9);
}

TEST(MetaEngine, ExperimentsCombineByTheUnionRule) {
  const MetaGrid grid = small_grid(30, everywhere);
  Foci foci;
  foci.add("a", "", {30, 30, 30}, 10);
  foci.add("b", "", {34, 30, 30}, 20);  // voxel (17, 15, 15)
  const MetaAnalysis a = run(foci, grid);
  const MetaKernel k10 = ale_kernel(10, {2, 2, 2}), k20 = ale_kernel(20, {2, 2, 2});
  const auto value = [](const MetaKernel& k, int dx) { return k.ma[(8 * 17 + 8) * 17 + 8 + dx]; };
  // Between them, one voxel from each focus: 1 - (1 - MA_a)(1 - MA_b).
  const double expected = 1 - (1 - value(k10, 1)) * (1 - value(k20, -1));
  EXPECT_NEAR(a.stat[at(grid, 16, 15, 15)], expected, 1e-7);
  EXPECT_NEAR(a.stat[at(grid, 15, 15, 15)], 1 - (1 - value(k10, 0)) * (1 - value(k20, -2)), 1e-7);
}

TEST(MetaEngine, FociOfOneExperimentTakeTheMaximum) {
  const MetaGrid grid = small_grid(30, everywhere);
  Foci foci;
  foci.add("a", "", {30, 30, 30}, 10);
  foci.add("a", "", {34, 30, 30}, 10);
  const MetaAnalysis a = run(foci, grid);
  const MetaKernel k = ale_kernel(10, {2, 2, 2});
  const auto value = [&](int dx) { return k.ma[(8 * 17 + 8) * 17 + 8 + dx]; };
  EXPECT_NEAR(a.stat[at(grid, 16, 15, 15)], value(1), 1e-8) << "max(MA, MA), not their union";
  EXPECT_NEAR(a.stat[at(grid, 15, 15, 15)], value(0), 1e-8);
  EXPECT_EQ(a.experiments.experiments.size(), 1u);
}

TEST(MetaEngine, MkdaCountsExperimentsWithinTheRadius) {
  const MetaGrid grid = small_grid(30, everywhere);
  Foci foci;
  foci.add("a", "", {30, 30, 30});
  foci.add("a", "", {32, 30, 30});  // same experiment: still counts once
  foci.add("b", "", {40, 30, 30});
  const MetaAnalysis a = run(foci, grid, MetaMethod::mkda);
  EXPECT_EQ(a.stat[at(grid, 15, 15, 15)], 2.0f) << "10 mm from b's focus: inside its sphere";
  EXPECT_EQ(a.stat[at(grid, 14, 15, 15)], 1.0f) << "12 mm from b";
  EXPECT_EQ(a.stat[at(grid, 25, 15, 15)], 1.0f) << "b only";
  EXPECT_EQ(a.stat[at(grid, 26, 15, 15)], 0.0f);
  // Exact null: each experiment marks a share of the mask (b: the 515 voxels of one sphere);
  // P(density >= 2) is the product of the shares.
  const double share_b = 515.0 / 27000;
  double marked_a = 0;
  for (std::size_t v = 0; v < a.stat.size(); ++v) {
    // Voxels within 10 mm of (30,30,30) or (32,30,30).
    const int i = static_cast<int>(v % 30), j = static_cast<int>(v / 30 % 30),
              k = static_cast<int>(v / 900);
    const double d1 = std::hypot(2.0 * (i - 15), 2.0 * (j - 15), 2.0 * (k - 15));
    const double d2 = std::hypot(2.0 * (i - 16), 2.0 * (j - 15), 2.0 * (k - 15));
    marked_a += (d1 <= 10 + 1e-9 || d2 <= 10 + 1e-9);
  }
  EXPECT_NEAR(a.p[at(grid, 15, 15, 15)], marked_a / 27000 * share_b, 1e-12);
}

TEST(MetaEngine, AnalyticNullAgreesWithBruteForce) {
  // A ball-shaped toy mask; three experiments of different N and foci, one near the edge.
  const MetaGrid grid = small_grid(24, [](int i, int j, int k) {
    return (i - 12) * (i - 12) + (j - 12) * (j - 12) + (k - 12) * (k - 12) <= 100;
  });
  Foci foci;
  foci.add("a", "", {24, 24, 24}, 8);
  foci.add("a", "", {30, 20, 24}, 8);
  foci.add("b", "", {20, 28, 26}, 25);
  foci.add("c", "", {24, 10, 24}, 14);
  foci.add("c", "", {24, 26, 18}, 14);
  const MetaAnalysis a = run(foci, grid);
  // Brute force, as the null supposes: each experiment's MA at its own random mask voxel.
  StatWorkspace workspace(a.model);
  std::vector<std::vector<float>> maps;
  for (std::size_t e = 0; e < a.model.experiment_count(); ++e) {
    maps.push_back(workspace.experiment_y_map(e, a.model.foci[e]));
  }
  std::vector<std::size_t> mask;
  for (std::size_t v = 0; v < grid.mask.labels.size(); ++v)
    if (grid.mask.labels[v]) mask.push_back(v);
  std::mt19937_64 random(12345);
  std::uniform_int_distribution<std::size_t> pick(0, mask.size() - 1);
  const int draws = 400000;
  std::vector<double> sums(draws);
  for (auto& s : sums) {
    s = 0;
    for (const auto& m : maps) s += m[mask[pick(random)]];
  }
  std::sort(sums.begin(), sums.end());
  int checked = 0;
  for (const double q : {0.5, 0.8, 0.9, 0.95, 0.99, 0.995, 0.999}) {
    const double y = sums[static_cast<std::size_t>(q * draws)];
    if (y <= 0) continue;
    const double empirical =
        static_cast<double>(sums.end() - std::lower_bound(sums.begin(), sums.end(), y)) / draws;
    const double analytic = a.null.p_of_y(y);
    const double se = std::sqrt(empirical * (1 - empirical) / draws);
    // Sampling error, plus the binning (1e-5 on the y scale) moving a value by half a bin.
    const double bin_slack = std::abs(a.null.p_of_y(y - 1e-5) - a.null.p_of_y(y + 1e-5));
    EXPECT_NEAR(analytic, empirical, 4 * se + bin_slack) << "at the " << q << " quantile, y " << y;
    ++checked;
  }
  EXPECT_GE(checked, 5);
}

TEST(MetaEngine, FocusOutsideTheMaskStillContributesAndIsReported) {
  // Mask: i < 15. A focus at i = 17 lies outside it; one at x = 200 mm lies outside the grid.
  const MetaGrid grid = small_grid(30, [](int i, int, int) { return i < 15; });
  Foci foci;
  foci.add("a", "", {34, 30, 30}, 10);
  foci.add("a", "", {200, 30, 30}, 10);
  const MetaAnalysis a = run(foci, grid);
  ASSERT_EQ(a.experiments.outside_mask().size(), 1u);
  EXPECT_EQ(a.experiments.outside_mask().front()->place, "test.json: /findings/0");
  ASSERT_EQ(a.experiments.outside_grid.size(), 1u);
  EXPECT_EQ(a.experiments.outside_grid.front().place, "test.json: /findings/1");
  EXPECT_EQ(a.experiments.focus_count(), 1u);
  const MetaKernel k = ale_kernel(10, {2, 2, 2});
  EXPECT_NEAR(a.stat[at(grid, 14, 15, 15)], k.ma[(8 * 17 + 8) * 17 + 8 - 3], 1e-8)
      << "the kernel reaches into the mask, 3 voxels from the focus";
  EXPECT_EQ(a.stat[at(grid, 17, 15, 15)], 0.0f) << "outside the mask the maps hold 0";
  EXPECT_EQ(a.p[at(grid, 17, 15, 15)], 1.0f);
}

TEST(MetaEngine, MonteCarloSummaryAgreesWithTheWholeMap) {
  const MetaGrid grid = small_grid(28, [](int i, int j, int k) {
    return (i - 14) * (i - 14) + (j - 14) * (j - 14) + (k - 14) * (k - 14) <= 144;
  });
  Foci foci;
  for (int s = 0; s < 6; ++s)
    for (int f = 0; f < 4; ++f) {
      foci.add("s" + std::to_string(s), "", {10.0 + 4 * f + 2 * s, 20.0 + 3 * s, 28.0 - 2 * f},
               10 + 3 * s);
    }
  MetaOptions options;
  options.cluster_p = 0.01;
  const MetaAnalysis a = analyse(foci.all(), grid, options);
  ASSERT_TRUE(a.threshold.reachable);
  StatWorkspace summary(a.model), whole(a.model);
  int with_clusters = 0;
  for (std::uint64_t i = 0; i < 20; ++i) {
    const auto positions = random_positions(a.model, 42, i);
    const IterationResult r = summary.summarise(positions, a.null, a.threshold);
    const auto y = whole.y_map(positions);
    double max_stat = 0;
    for (std::size_t v = 0; v < y.size(); ++v)
      if (grid.mask.labels[v]) max_stat = std::max(max_stat, a.model.stat_of(y[v]));
    EXPECT_EQ(r.max_stat, max_stat) << "iteration " << i;
    const MapClusters c = map_clusters(a.model, grid, y, a.null, a.threshold);
    const std::uint64_t size = c.size.empty() ? 0 : *std::max_element(c.size.begin(), c.size.end());
    const double mass = c.mass.empty() ? 0 : *std::max_element(c.mass.begin(), c.mass.end());
    EXPECT_EQ(r.clusters.size, size) << "iteration " << i;
    EXPECT_NEAR(r.clusters.mass, mass, 1e-9 * std::max(1.0, mass)) << "iteration " << i;
    with_clusters += size > 0;
  }
  EXPECT_GT(with_clusters, 5) << "the test must see clusters to check them";
}

TEST(MetaEngine, IterationsDependOnlyOnSeedAndIndex) {
  const MetaGrid grid = small_grid(24, everywhere);
  Foci foci;
  for (int f = 0; f < 5; ++f) foci.add("a", "", {10.0 + 5 * f, 20, 20}, 12);
  foci.add("b", "", {20, 20, 20}, 30);
  const MetaAnalysis a = run(foci, grid);
  EXPECT_EQ(random_positions(a.model, 7, 3), random_positions(a.model, 7, 3));
  EXPECT_NE(random_positions(a.model, 7, 3), random_positions(a.model, 7, 4));
  EXPECT_NE(random_positions(a.model, 7, 3), random_positions(a.model, 8, 3));
  MonteCarloRequest one;
  one.seed = 7;
  one.iterations = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9};
  MonteCarloRequest two = one;
  two.jobs = 3;
  MonteCarloRequest slice = one;
  slice.iterations = {3, 8};
  const auto all = run_monte_carlo(a.model, a.null, a.threshold, one);
  const auto forked = run_monte_carlo(a.model, a.null, a.threshold, two);
  const auto part = run_monte_carlo(a.model, a.null, a.threshold, slice);
  ASSERT_EQ(all.size(), 10u);
  ASSERT_EQ(forked.size(), 10u);
  for (std::size_t n = 0; n < all.size(); ++n) {
    EXPECT_EQ(all[n].max_stat, forked[n].max_stat);
    EXPECT_EQ(all[n].clusters.size, forked[n].clusters.size);
    EXPECT_EQ(all[n].clusters.mass, forked[n].clusters.mass);
  }
  EXPECT_EQ(part[0].max_stat, all[3].max_stat);
  EXPECT_EQ(part[1].max_stat, all[8].max_stat);
  EXPECT_EQ(shard_iterations(10, 1, 3), (std::vector<std::uint64_t>{1, 4, 7}));
}

TEST(MetaEngine, RandomDrawsAreUniformOverTheMask) {
  IterationRandom random(1, 2);
  std::vector<int> counts(7, 0);
  for (int n = 0; n < 70000; ++n) ++counts[random.below(7)];
  for (const int c : counts) EXPECT_NEAR(c, 10000, 400);
}

TEST(MetaEngine, PToZ) {
  EXPECT_NEAR(p_to_z(0.05), 1.6448536269514722, 1e-12);
  EXPECT_NEAR(p_to_z(0.001), 3.090232306167813, 1e-12);
  EXPECT_NEAR(p_to_z(1e-10), 6.361340902404056, 1e-10);
  EXPECT_EQ(p_to_z(0.5), 0.0);
  EXPECT_EQ(p_to_z(0.9), 0.0) << "never below 0";
}

// --- experiments and their N ---

TEST(MetaExperiments, SampleSizeComesFromFindingsThenStudyThenOption) {
  const MetaGrid grid = small_grid(20, everywhere);
  Foci foci;
  foci.add("a", "c1", {10, 10, 10}, 10);
  foci.add("a", "c1", {12, 10, 10}, 21);  // mean 15.5, as NiMARE
  foci.study("b", 24, 20);
  foci.add("b", "post- vs pre-ECT", {10, 10, 10});
  foci.add("b", "patients vs controls", {10, 10, 10});
  foci.study("c");
  foci.add("c", "", {10, 10, 10});
  ExperimentOptions options;
  options.default_sample_size = 17;
  const ExperimentSet set = build_experiments(foci.all(), grid, options);
  ASSERT_EQ(set.experiments.size(), 4u);
  EXPECT_EQ(set.experiments[0].id, "a: c1");
  EXPECT_EQ(set.experiments[0].sample_size, 15.5);
  EXPECT_EQ(set.experiments[0].sample_size_source, "sample_size");
  EXPECT_EQ(set.experiments[1].sample_size, 24) << "within patients: patients only";
  EXPECT_EQ(set.experiments[1].sample_size_source, "patients");
  EXPECT_EQ(set.experiments[2].sample_size, 44) << "patients vs controls: both groups";
  EXPECT_EQ(set.experiments[2].sample_size_source, "patients + controls");
  EXPECT_EQ(set.experiments[3].sample_size, 17);
  EXPECT_EQ(set.experiments[3].sample_size_source, "--sample-size");

  options.group_by = GroupBy::study;
  const ExperimentSet pooled = build_experiments(foci.all(), grid, options);
  ASSERT_EQ(pooled.experiments.size(), 3u);
  EXPECT_EQ(pooled.experiments[1].id, "b");
  EXPECT_EQ(pooled.experiments[1].sample_size, 44) << "one contrast compares groups";
}

TEST(MetaExperiments, WithoutNEveryExperimentIsListed) {
  const MetaGrid grid = small_grid(20, everywhere);
  Foci foci;
  foci.add("a", "x", {10, 10, 10});
  foci.add("b", "y", {10, 10, 10}, 12);
  foci.add("c", "", {10, 10, 10});
  try {
    build_experiments(foci.all(), grid, ExperimentOptions{});
    FAIL() << "refused";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::input);
    const std::string text = e.what();
    EXPECT_NE(text.find("2 of 3 experiments have no sample size"), std::string::npos) << text;
    EXPECT_NE(text.find("a: x (test.json: /findings/0)"), std::string::npos) << text;
    EXPECT_NE(text.find("c (test.json: /findings/2)"), std::string::npos) << text;
    EXPECT_EQ(text.find("b: y"), std::string::npos) << text;
  }
  ExperimentOptions mkda;
  mkda.require_sample_size = false;
  EXPECT_EQ(build_experiments(foci.all(), grid, mkda).experiments.size(), 3u) << "MKDA needs no N";
}

TEST(MetaExperiments, ContrastsThatCompareGroups) {
  EXPECT_TRUE(contrast_compares_groups("patients vs controls"));
  EXPECT_TRUE(contrast_compares_groups("MDD > HC"));
  EXPECT_TRUE(contrast_compares_groups("Healthy versus depressed"));
  EXPECT_FALSE(contrast_compares_groups("post- vs pre-ECT"));
  EXPECT_FALSE(contrast_compares_groups("controls only"));
  EXPECT_FALSE(contrast_compares_groups("uncontrolled > rest"));
}

TEST(MetaExperiments, NonFiniteCoordinateNamesFileAndFinding) {
  const MetaGrid grid = small_grid(20, everywhere);
  Foci foci;
  foci.add("a", "", {10, 10, 10}, 10);
  foci.add("a", "", {std::nan(""), 10, 10}, 10);
  try {
    build_experiments(foci.all(), grid, ExperimentOptions{});
    FAIL() << "refused";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::input);
    EXPECT_NE(std::string(e.what()).find("test.json: /findings/1/location/coordinate"),
              std::string::npos)
        << e.what();
  }
}

TEST(MetaExperiments, VoxelRules) {
  const MetaGrid grid = small_grid(20, everywhere);
  Foci foci;
  foci.add("a", "", {3.2, 10, 10}, 10);   // index 1.6
  foci.add("a", "", {-1.2, 10, 10}, 10);  // index -0.6
  ExperimentOptions nearest;
  const auto n = build_experiments(foci.all(), grid, nearest);
  ASSERT_EQ(n.experiments[0].foci.size(), 1u);
  EXPECT_EQ(n.experiments[0].foci[0].voxel[0], 2);
  EXPECT_EQ(n.outside_grid.size(), 1u) << "-0.6 rounds to -1";
  ExperimentOptions floor;
  floor.voxel_rule = VoxelRule::floor;
  const auto f = build_experiments(foci.all(), grid, floor);
  ASSERT_EQ(f.experiments[0].foci.size(), 2u);
  EXPECT_EQ(f.experiments[0].foci[0].voxel[0], 1);
  EXPECT_EQ(f.experiments[0].foci[1].voxel[0], 0) << "truncated toward zero, as NiMARE";
}

TEST(MetaExperiments, FindingsFilesCarrySampleSize) {
  const auto parse = [](const nlohmann::json& n) {
    nlohmann::json doc = {
        {"foci_findings", 1},
        {"title", "t"},
        {"source", {{"citation", "c"}}},
        {"studies", {{{"id", "s"}, {"citation", "s"}}}},
        {"findings",
         {{{"id", "f"},
           {"study", "s"},
           {"location", {{"coordinate", {{"x", 1}, {"y", 2}, {"z", 3}, {"space", "MNI"}}}}},
           {"sample_size", n},
           {"source_anchor", "a"}}}}};
    return parse_findings(doc);
  };
  const auto good = parse(12);
  ASSERT_TRUE(good.problems.empty());
  EXPECT_EQ(good.file.findings[0].sample_size, 12);
  EXPECT_EQ(to_json(good.file.findings[0]).at("sample_size"), 12);
  ASSERT_EQ(parse(0).problems.size(), 1u);
  EXPECT_EQ(parse(0).problems[0].pointer, "/findings/0/sample_size");
  EXPECT_EQ(parse(2.5).problems.size(), 1u);
}

}  // namespace
}  // namespace foci
