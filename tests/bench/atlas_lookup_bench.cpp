// Lookups per second: the nearest-voxel fast path, the full Atlas::lookup, and the radius
// search. Uses the real AAL atlas when mricron-data is installed, else a synthetic one of
// the same grid. Run: build/<dir>/tests/foci_bench_atlas
#include <benchmark/benchmark.h>

#include <filesystem>
#include <random>

#include "atlas/atlas.hpp"

namespace foci {
namespace {

Atlas load_benchmark_atlas() {
  if (std::filesystem::exists("/usr/share/mricron/templates/aal.nii.gz")) {
    return Atlas::load(find_atlas_manifest("aal"));
  }
  LabelVolume v;
  v.size = {181, 217, 181};
  v.labels.resize(v.voxel_count());
  for (std::size_t n = 0; n < v.labels.size(); ++n) v.labels[n] = (n / 5000) % 117;
  set_voxel_to_world(v, Affine::from_rows({{{1, 0, 0, -90}, {0, 1, 0, -126}, {0, 0, 1, -72}}}));
  std::vector<LabelEntry> entries;
  for (int n = 1; n <= 116; ++n) entries.push_back({n, "R" + std::to_string(n), std::nullopt});
  AtlasManifest m;
  m.name = "synthetic";
  return Atlas(m, std::move(v), LabelTable(std::move(entries), "synthetic"));
}

std::vector<Vec3> random_points(std::size_t n) {
  std::mt19937 random(7);
  std::uniform_real_distribution<double> x(-80, 80), y(-110, 80), z(-60, 85);
  std::vector<Vec3> points(n);
  for (auto& p : points) p = {x(random), y(random), z(random)};
  return points;
}

void BM_LabelAtNearestVoxel(benchmark::State& state) {
  const Atlas atlas = load_benchmark_atlas();
  const auto points = random_points(1 << 16);
  std::size_t n = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(atlas.volume().label_at(points[n++ & 0xffff]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_LabelAtNearestVoxel);

void BM_AtlasLookup(benchmark::State& state) {
  const Atlas atlas = load_benchmark_atlas();
  const auto points = random_points(1 << 16);
  std::size_t n = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(atlas.lookup(points[n++ & 0xffff]));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AtlasLookup);

void BM_AtlasLookupWithRadius(benchmark::State& state) {
  const Atlas atlas = load_benchmark_atlas();
  const auto points = random_points(1 << 16);
  const double radius = static_cast<double>(state.range(0));
  // The first radius search makes the distance map and the search order; time the rest.
  benchmark::DoNotOptimize(atlas.lookup(points[0], radius));
  std::size_t n = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(atlas.lookup(points[n++ & 0xffff], radius));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AtlasLookupWithRadius)->Arg(5)->Arg(10);

}  // namespace
}  // namespace foci

BENCHMARK_MAIN();
