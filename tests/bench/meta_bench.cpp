// foci meta on a simulated dataset the size of a typical ALE meta-analysis: 21 studies, 243
// foci, N from 10 to 40, on the MNI 2 mm grid with a brain-sized mask (an ellipsoid of about
// 226,000 voxels, as NiMARE's 2 mm mask holds 228,483). Reports the analytic map (kernels,
// null, p and z) and one Monte Carlo iteration, for ALE and MKDA, on one core.
#include <benchmark/benchmark.h>

#include <random>

#include "meta/analysis.hpp"
#include "meta/montecarlo.hpp"

namespace foci {
namespace {

MetaGrid brain_sized_grid() {
  MetaGrid grid;
  grid.mask_source = "ellipsoid";
  grid.mask.size = {91, 109, 91};
  set_voxel_to_world(grid.mask, mni_2mm_grid());
  grid.mask.labels.assign(grid.mask.voxel_count(), 0);
  for (int k = 0; k < 91; ++k)
    for (int j = 0; j < 109; ++j)
      for (int i = 0; i < 91; ++i) {
        const Vec3 p = grid.mask.voxel_centre(i, j, k);
        const double x = p.x / 70, y = (p.y + 18) / 95, z = (p.z - 12) / 65;
        if (x * x + y * y + z * z <= 1) {
          grid.mask.labels[grid.mask.offset(i, j, k)] = 1;
          ++grid.mask_voxels;
        }
      }
  return grid;
}

/// 21 studies of 11 or 12 foci (243 in all) inside the mask.
struct Dataset {
  FindingsFile file;
  std::vector<FindingInput> inputs;
  explicit Dataset(const MetaGrid& grid) {
    std::mt19937_64 random(2012);
    std::uniform_real_distribution<double> x(-70, 70), y(-113, 77), z(-53, 77);
    std::uniform_int_distribution<long long> n(10, 40);
    file.findings.reserve(243);
    for (int s = 0; s < 21; ++s) {
      Study study;
      study.id = "s" + std::to_string(s + 1);
      study.citation = study.id;
      study.patients = n(random);
      file.studies.push_back(study);
      for (int f = 0; f < (s < 12 ? 11 : 12) + (s == 0 ? 3 : 0); ++f) {
        Vec3 p;
        do p = {x(random), y(random), z(random)};
        while (grid.mask.label_at(p) == 0);
        Finding finding;
        finding.id = study.id + "-" + std::to_string(f + 1);
        finding.study = study.id;
        finding.location =
            Location{std::nullopt, std::nullopt, ReportedCoordinate{p, CoordinateSpace::mni}};
        finding.source_anchor = "simulated";
        file.findings.push_back(finding);
      }
    }
    for (const auto& f : file.findings) inputs.push_back({"simulated.json", &f, &file});
  }
};

const MetaGrid& grid() {
  static const MetaGrid g = brain_sized_grid();
  return g;
}
const Dataset& dataset() {
  static const Dataset d(grid());
  return d;
}

void analytic(benchmark::State& state, MetaMethod method) {
  MetaOptions options;
  options.method = method;
  for (auto _ : state) {
    const MetaAnalysis a = analyse(dataset().inputs, grid(), options);
    benchmark::DoNotOptimize(a.z.data());
  }
  state.counters["foci"] = static_cast<double>(dataset().inputs.size());
  state.counters["mask_voxels"] = static_cast<double>(grid().mask_voxels);
}

void iteration(benchmark::State& state, MetaMethod method) {
  MetaOptions options;
  options.method = method;
  const MetaAnalysis a = analyse(dataset().inputs, grid(), options);
  StatWorkspace workspace(a.model);
  std::uint64_t i = 0;
  for (auto _ : state) {
    const auto r = workspace.summarise(random_positions(a.model, 1, i++), a.null, a.threshold);
    benchmark::DoNotOptimize(r.max_stat);
  }
}

void BM_AleAnalytic(benchmark::State& state) { analytic(state, MetaMethod::ale); }
void BM_AleMonteCarloIteration(benchmark::State& state) { iteration(state, MetaMethod::ale); }
void BM_MkdaAnalytic(benchmark::State& state) { analytic(state, MetaMethod::mkda); }
void BM_MkdaMonteCarloIteration(benchmark::State& state) { iteration(state, MetaMethod::mkda); }

BENCHMARK(BM_AleAnalytic)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AleMonteCarloIteration)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MkdaAnalytic)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MkdaMonteCarloIteration)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace foci

BENCHMARK_MAIN();
