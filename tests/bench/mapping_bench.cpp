// Mapping throughput: one million coordinates against three atlases (AAL, Harvard-Oxford,
// AICHA), in-process. Needs mricron-data. Run: build/<dir>/tests/foci_bench_mapping
#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>

#include "atlas/nifti_io.hpp"
#include "mapping/mapping.hpp"

namespace foci {
namespace {

constexpr std::size_t kCoordinates = 1'000'000;

struct Fixture {
  std::vector<Atlas> atlases;
  RegionLexicon lexicon = RegionLexicon::load_default();
  FindingsFile file;
  std::vector<FindingInput> inputs;

  Fixture() {
    for (const char* name : {"aal", "ho-cort", "aicha"}) {
      atlases.push_back(Atlas::load(find_atlas_manifest(name)));
    }
    std::mt19937 random(11);
    std::uniform_real_distribution<double> x(-70, 70), y(-100, 70), z(-50, 75);
    file.studies.push_back({});
    file.studies[0].id = "bench";
    file.findings.reserve(kCoordinates);
    for (std::size_t n = 0; n < kCoordinates; ++n) {
      Finding f;
      f.id = "c" + std::to_string(n);
      f.study = "bench";
      f.location =
          Location{std::nullopt, std::nullopt,
                   ReportedCoordinate{{x(random), y(random), z(random)},
                                      n % 4 ? CoordinateSpace::mni : CoordinateSpace::talairach}};
      f.source_anchor = "bench";
      file.findings.push_back(std::move(f));
    }
    for (const auto& f : file.findings) inputs.push_back({"bench", &f, &file});
  }
};

void BM_MapOneMillionCoordinatesThreeAtlases(benchmark::State& state) {
  if (!std::filesystem::exists("/usr/share/mricron/templates/aal.nii.gz")) {
    state.SkipWithError("mricron-data is not installed");
    return;
  }
  const Fixture fixture;
  MappingRequest request;
  for (const auto& a : fixture.atlases) request.atlases.push_back(&a);
  request.lexicon = &fixture.lexicon;
  // Each atlas makes its nearest-label map on its first radius search, once per process:
  // made here, so the loop times the placements (BM_NearestLabelMapsOfThreeAtlases times
  // the maps).
  for (const auto& a : fixture.atlases) benchmark::DoNotOptimize(a.lookup({0, 0, 0}, 10.0));
  for (auto _ : state) {
    const auto result = map_findings(fixture.inputs, request);
    benchmark::DoNotOptimize(result.mapped.data());
  }
  state.SetItemsProcessed(state.iterations() * kCoordinates);
}
BENCHMARK(BM_MapOneMillionCoordinatesThreeAtlases)->Unit(benchmark::kMillisecond)->Iterations(3);

/// The one-time part of a `foci map` run with a search radius: each atlas's map of the
/// nearest labelled voxel, made by its first radius search.
void BM_NearestLabelMapsOfThreeAtlases(benchmark::State& state) {
  if (!std::filesystem::exists("/usr/share/mricron/templates/aal.nii.gz")) {
    state.SkipWithError("mricron-data is not installed");
    return;
  }
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<Atlas> atlases;
    for (const char* name : {"aal", "ho-cort", "aicha"}) {
      atlases.push_back(Atlas::load(find_atlas_manifest(name)));
    }
    state.ResumeTiming();
    for (const auto& a : atlases) benchmark::DoNotOptimize(a.lookup({0, 0, 0}, 10.0));
  }
}
BENCHMARK(BM_NearestLabelMapsOfThreeAtlases)->Unit(benchmark::kMillisecond)->Iterations(3);

}  // namespace
}  // namespace foci

BENCHMARK_MAIN();
