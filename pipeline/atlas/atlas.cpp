#include "atlas/atlas.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <set>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "atlas/distance_transform.hpp"
#include "core/error.hpp"

namespace foci {

Atlas::Atlas(AtlasManifest manifest, LabelVolume volume, LabelTable table)
    : manifest_(std::move(manifest)), volume_(std::move(volume)), table_(std::move(table)) {}

void Atlas::release_voxels() {
  std::vector<std::int32_t>().swap(volume_.labels);
  distance_ = std::make_shared<DistanceToLabels>();
}

Atlas Atlas::load(const AtlasManifest& manifest) {
  if (manifest.kind != AtlasKind::labels || !manifest.labels_file) {
    throw usage_error("'" + manifest.name + "' is a template image, not a label atlas");
  }
  try {
    const std::string volume_path = locate_atlas_file(manifest, manifest.volume_file);
    const std::string table_path = locate_atlas_file(manifest, *manifest.labels_file);
    LabelVolume volume = read_label_volume(volume_path);
    const NiftiOrientation orientation = read_nifti_orientation(volume_path);
    std::string note = to_string(orientation.source);
    if (manifest.orientation_fix &&
        volume.voxel_to_world.near(manifest.orientation_fix->when_affine, 1e-3)) {
      set_voxel_to_world(volume, manifest.orientation_fix->use_affine);
      note = "manifest correction (" + manifest.orientation_fix->why + ")";
    }
    LabelTable table =
        read_label_table(table_path, manifest.labels_format, manifest.labels_value_offset);

    // The table and the volume must describe the same atlas: every value in the volume
    // needs a name. A table entry absent from the volume is allowed (some atlases name
    // regions too small to survive resampling), and shows as 0 voxels in region_stats.
    // Label values are small integers: a flag per value makes the check one pass of reads.
    std::int32_t largest = 0;
    for (const auto& e : table.entries()) largest = std::max(largest, e.value);
    std::vector<bool> named(static_cast<std::size_t>(largest) + 1, false);
    for (const auto& e : table.entries()) named[e.value] = true;
    std::set<std::int32_t> unnamed;
    for (const auto v : volume.labels) {
      if (v != 0 && (v < 0 || v > largest || !named[v])) unnamed.insert(v);
    }
    if (!unnamed.empty()) {
      std::string list;
      int shown = 0;
      for (const auto v : unnamed) {
        if (shown++ == 8) {
          list += ", ...";
          break;
        }
        list += (list.empty() ? "" : ", ") + std::to_string(v);
      }
      throw input_error("label table '" + table_path + "' does not match volume '" + volume_path +
                        "': " + std::to_string(unnamed.size()) +
                        " value(s) in the volume have no name (" + list + ")");
    }
    Atlas atlas(manifest, std::move(volume), std::move(table));
    atlas.orientation_note_ = note;
    return atlas;
  } catch (Error& e) {
    e.with_context("cannot load atlas '" + manifest.name + "'");
    throw;
  }
}

AtlasHit Atlas::lookup(Vec3 point, double radius_mm) const {
  std::array<int, 3> index{};
  const bool inside = volume_.nearest_voxel(point, index);
  return lookup_in_voxel(point, inside, index, radius_mm);
}

void Atlas::lookup_each(const Vec3* points, std::size_t count, double radius_mm, AtlasHit* hits,
                        std::size_t stride) const {
  // A ring of the voxels of the points ahead, found when their reads are begun.
  constexpr std::size_t kAhead = 8;
  std::array<std::array<int, 3>, kAhead> index{};
  std::array<bool, kAhead> inside{};
  const bool radius = radius_mm > 0;
  if (radius) distance_to_labels();  // made before reads of it are begun
  const std::int32_t* first_read =
      radius && distance_->usable ? distance_->label_or_nearest.data() : volume_.labels.data();
  const auto begin_reads = [&](std::size_t n) {
    std::array<int, 3>& i = index[n % kAhead];
    inside[n % kAhead] = volume_.nearest_voxel(points[n], i);
    if (inside[n % kAhead]) __builtin_prefetch(first_read + volume_.offset(i[0], i[1], i[2]));
  };
  for (std::size_t n = 0; n < std::min(count, kAhead); ++n) begin_reads(n);
  for (std::size_t n = 0; n < count; ++n) {
    const std::array<int, 3> own = index[n % kAhead];
    const bool own_inside = inside[n % kAhead];
    if (n + kAhead < count) begin_reads(n + kAhead);
    hits[n * stride] = lookup_in_voxel(points[n], own_inside, own, radius_mm);
  }
}

AtlasHit Atlas::lookup_in_voxel(Vec3 point, bool inside, const std::array<int, 3>& index,
                                double radius_mm) const {
  AtlasHit hit;
  hit.inside_volume = inside;
  if (hit.inside_volume) {
    hit.voxel_centre = volume_.voxel_centre(index[0], index[1], index[2]);
    const std::size_t own = volume_.offset(index[0], index[1], index[2]);
    if (radius_mm > 0) {
      const auto& distance = distance_to_labels();
      if (distance.usable) {
        const std::int32_t found = distance.label_or_nearest[own];
        if (found > 0) {
          hit.label = found;
          return hit;
        }
        if (found == DistanceToLabels::kNoLabelAnywhere) return hit;
        return search_from_nearest(point, index, hit, DistanceToLabels::nearest_offset(found),
                                   radius_mm);
      }
    }
    hit.label = volume_.labels[own];
    if (hit.label != 0 || !(radius_mm > 0)) return hit;
  } else {
    const Vec3 c = volume_.world_to_voxel.apply(point);
    hit.voxel_centre = volume_.voxel_to_world.apply(
        {std::floor(c.x + 0.5), std::floor(c.y + 0.5), std::floor(c.z + 0.5)});
    if (!(radius_mm > 0) || !is_finite(point)) return hit;
  }

  return search_box(point, hit, radius_mm, radius_mm);
}

void Atlas::prefetch(Vec3 point, double radius_mm) const {
  std::array<int, 3> index{};
  if (volume_.labels.empty() || !volume_.nearest_voxel(point, index)) return;
  const std::size_t own = volume_.offset(index[0], index[1], index[2]);
  if (radius_mm > 0 && distance_->made.load(std::memory_order_acquire) && distance_->usable) {
    __builtin_prefetch(distance_->label_or_nearest.data() + own);
  } else {
    __builtin_prefetch(volume_.labels.data() + own);
  }
}

AtlasHit Atlas::search_from_nearest(Vec3 point, const std::array<int, 3>& index, AtlasHit hit,
                                    std::size_t nearest, double radius_mm) const {
  // The distance map bounds the search from the point's own voxel v: every labelled voxel
  // centre lies at least D(v) - |p - c(v)| from the point, and one lies at most
  // D(v) + |p - c(v)| away.
  const Vec3 nearest_centre = centre_of(nearest);
  const double to_label = norm(nearest_centre - hit.voxel_centre);
  const double off_centre = norm(point - hit.voxel_centre);
  if (to_label - off_centre > radius_mm) return hit;
  if (auto found = search_shell(point, index, hit, nearest, nearest_centre, to_label, off_centre,
                                radius_mm)) {
    return *found;
  }
  return search_box(point, hit, radius_mm, std::min(radius_mm, to_label + off_centre));
}

AtlasHit Atlas::search_box(Vec3 point, AtlasHit hit, double radius_mm, double search_radius) const {
  // Search the index-space box that holds the sphere: along index axis a the sphere spans
  // radius * |row a of world_to_voxel| voxels either side of the point.
  const Vec3 c = volume_.world_to_voxel.apply(point);
  const double centre[3] = {c.x, c.y, c.z};
  int lo[3], hi[3];
  for (int a = 0; a < 3; ++a) {
    const double half = search_radius * volume_.world_to_voxel.row_norm(a);
    lo[a] = std::max(0, static_cast<int>(std::floor(centre[a] - half)));
    hi[a] = std::min(volume_.size[a] - 1, static_cast<int>(std::ceil(centre[a] + half)));
    if (lo[a] > hi[a]) return hit;
  }
  const double limit = radius_mm * radius_mm * (1 + 1e-12);
  double best_d2 = std::numeric_limits<double>::infinity();
  std::int32_t best_label = 0;
  Vec3 best_centre;
  for (int k = lo[2]; k <= hi[2]; ++k) {
    for (int j = lo[1]; j <= hi[1]; ++j) {
      for (int i = lo[0]; i <= hi[0]; ++i) {
        const std::int32_t v = volume_.at(i, j, k);
        if (v == 0) continue;
        const Vec3 p = volume_.voxel_centre(i, j, k);
        const Vec3 d = p - point;
        const double d2 = d.x * d.x + d.y * d.y + d.z * d.z;
        if (d2 > limit) continue;
        // Distances equal up to rounding count as ties, so the answer does not depend on
        // the last bit of a matrix product.
        const bool closer = d2 < best_d2 - 1e-9;
        const bool tie = std::abs(d2 - best_d2) <= 1e-9;
        if (closer || (tie && v < best_label)) {
          best_d2 = d2;
          best_label = v;
          best_centre = p;
        }
      }
    }
  }
  if (best_label != 0) {
    hit.label = best_label;
    hit.distance_mm = std::sqrt(best_d2);
    hit.voxel_centre = best_centre;
  }
  return hit;
}

namespace {
// Slack (mm) on the bounds of the shell walk: the distance map and the steps' distances are
// floats, the point's distances doubles. A wider shell reads a few more voxels, never fewer.
constexpr double kShellSlackMm = 1e-3;
// Beyond this many offsets (fine voxels and a wide radius: 64 MB of steps) the shell walk
// gives way to the box walk, which needs no memory.
constexpr double kMaxSearchSteps = 8 << 20;
}  // namespace

std::optional<AtlasHit> Atlas::search_shell(Vec3 point, const std::array<int, 3>& index,
                                            AtlasHit hit, std::size_t nearest, Vec3 nearest_centre,
                                            double to_label_mm, double off_centre_mm,
                                            double radius_mm) const {
  // The nearest voxel's centre lies within half a voxel diagonal of the point, so a labelled
  // centre within radius_mm of the point lies within radius_mm + half_diagonal of it.
  const DistanceToLabels& distance_map = distance_to_labels();
  const SearchSteps* steps =
      search_steps(radius_mm + distance_map.half_diagonal_mm + kShellSlackMm);
  if (!steps) return std::nullopt;

  double stop = radius_mm + off_centre_mm + kShellSlackMm;
  const double limit = radius_mm * radius_mm * (1 + 1e-12);
  double best_d2 = std::numeric_limits<double>::infinity();
  std::size_t best_offset = 0;
  Vec3 best_centre;
  double bound_d2 = limit;
  // bound_d2 with slack for the float arithmetic of the walk's filter.
  const auto filter_bound = [&] { return static_cast<float>(bound_d2 + 1e-4 * (bound_d2 + 1)); };
  float walk_bound = filter_bound();
  // A candidate's label is read only when a tie needs it, and the answer's at the end: each
  // read is a likely cache miss in a volume-sized array, and ties are rare.
  const auto consider = [&](std::size_t offset, Vec3 p) {
    const Vec3 d = p - point;
    const double d2 = d.x * d.x + d.y * d.y + d.z * d.z;
    if (d2 > limit) return;
    // The rule of the box walk in lookup, which visits voxels in storage order: distances
    // equal up to rounding tie, ties go to the smaller label, then to the first voxel in
    // storage. The rule does not depend on the order candidates come in.
    if (!(d2 < best_d2 - 1e-9)) {
      // The walk meets the first candidate again: no tie to settle, and no read.
      if (offset == best_offset || !(std::abs(d2 - best_d2) <= 1e-9)) return;
      const std::int32_t v = volume_.labels[offset], best_label = volume_.labels[best_offset];
      if (!(v < best_label || (v == best_label && offset < best_offset))) return;
    }
    best_d2 = d2;
    best_offset = offset;
    best_centre = p;
    bound_d2 = std::min(limit, best_d2 + 1e-9);
    walk_bound = filter_bound();
    // Any better label lies within best + |p - c(v)| of the own centre c(v).
    stop = std::min(stop, std::sqrt(best_d2) + off_centre_mm + kShellSlackMm);
  };
  // The labelled voxel nearest to the own centre is one candidate: the answer is no farther
  // than it, so from the start the walk reads only voxels at least as near as it.
  consider(nearest, nearest_centre);
  // It is most often the answer, whose label is read at the end: fetch it during the walk.
  __builtin_prefetch(volume_.labels.data() + nearest);

  // Every labelled centre lies at least D(v) from the own centre c(v).
  // (Starting a little nearer than that, a bucket early, only reads a few more.)
  const auto& distance = steps->distance_mm;
  const double start_mm = std::max(0.0, to_label_mm - kShellSlackMm - SearchSteps::kBucketMm);
  std::size_t step = steps->first_at[std::min(
      steps->first_at.size() - 1, static_cast<std::size_t>(start_mm / SearchSteps::kBucketMm))];
  // From the point to the own centre; a step's centre is at to_centre + step from the point.
  const float tx = static_cast<float>(hit.voxel_centre.x - point.x),
              ty = static_cast<float>(hit.voxel_centre.y - point.y),
              tz = static_cast<float>(hit.voxel_centre.z - point.z);
  // Most steps lie farther from the point than the best so far: a block of them is measured
  // at once in floats (the compiler vectorises the loop) and only those within the bound,
  // with slack for float rounding, read the volume.
  constexpr std::size_t kBlock = 32;
  float d2[kBlock];
  const std::uint64_t* labelled = distance_map.labelled.data();
  // Every step the walk can reach lies no farther than `stop` from the own centre, so no
  // more than stop / (voxel size) voxels along each axis. When that box lies inside the
  // volume, a step is an offset in storage and needs no bounds check.
  const std::size_t own = volume_.offset(index[0], index[1], index[2]);
  bool whole_box_inside = true;
  for (int a = 0; a < 3; ++a) {
    const int reach = static_cast<int>(std::ceil(stop / distance_map.voxel_mm[a]));
    whole_box_inside =
        whole_box_inside && index[a] - reach >= 0 && index[a] + reach < volume_.size[a];
  }
  // The storage offset of step `step + t`, or kOutside when it leaves the volume.
  constexpr std::size_t kOutside = std::numeric_limits<std::size_t>::max();
  const auto step_offset = [&](std::size_t t) {
    if (whole_box_inside) return own + static_cast<std::ptrdiff_t>(steps->offset[step + t]);
    const auto& d = steps->index[step + t];
    const int i = index[0] + d[0], j = index[1] + d[1], k = index[2] + d[2];
    return volume_.contains(i, j, k) ? volume_.offset(i, j, k) : kOutside;
  };
  while (step < distance.size() && distance[step] <= stop) {
    const std::size_t n = std::min(kBlock, distance.size() - step);
    const float* sx = steps->x.data() + step;
    const float* sy = steps->y.data() + step;
    const float* sz = steps->z.data() + step;
    for (std::size_t t = 0; t < n; ++t) {
      const float ax = tx + sx[t], ay = ty + sy[t], az = tz + sz[t];
      d2[t] = ax * ax + ay * ay + az * az;
    }
    // The steps within the bound, as bits: a branch per step on a comparison that passes a
    // third of the time cost more in mispredictions than the arithmetic. Steps past `stop`
    // in this block lie farther than the best so far; `consider` turns them down.
    std::uint32_t within = 0;
#if defined(__SSE2__)
    if (n == kBlock) {
      const __m128 bound = _mm_set1_ps(walk_bound);
      for (std::size_t t = 0; t < kBlock; t += 4) {
        const auto four = _mm_movemask_ps(_mm_cmple_ps(_mm_loadu_ps(d2 + t), bound));
        within |= static_cast<std::uint32_t>(four) << t;
      }
    } else  // NOLINT(readability/braces): the last, shorter block
#endif
    {
      for (std::size_t t = 0; t < n; ++t) within |= std::uint32_t{d2[t] <= walk_bound} << t;
    }
    // Of those, the labelled ones, as bits too: whether a voxel is labelled is a branch no
    // predictor can learn.
    std::uint32_t labelled_within = 0;
    for (; within != 0; within &= within - 1) {
      const auto t = static_cast<std::size_t>(__builtin_ctz(within));
      const std::size_t offset = step_offset(t);
      if (offset == kOutside) continue;
      labelled_within |= static_cast<std::uint32_t>(labelled[offset >> 6] >> (offset & 63) & 1)
                         << t;
    }
    for (; labelled_within != 0; labelled_within &= labelled_within - 1) {
      const auto t = static_cast<std::size_t>(__builtin_ctz(labelled_within));
      if (d2[t] > walk_bound) continue;  // the bound may have shrunk since
      const auto& d = steps->index[step + t];
      consider(step_offset(t),
               volume_.voxel_centre(index[0] + d[0], index[1] + d[1], index[2] + d[2]));
    }
    step += n;
  }
  if (best_d2 <= limit) {
    hit.label = volume_.labels[best_offset];
    hit.distance_mm = std::sqrt(best_d2);
    hit.voxel_centre = best_centre;
  }
  return hit;
}

Vec3 Atlas::centre_of(std::size_t offset) const {
  const std::size_t row = static_cast<std::size_t>(volume_.size[0]);
  const std::size_t slice = row * static_cast<std::size_t>(volume_.size[1]);
  const std::size_t k = offset / slice, rest = offset % slice;
  return volume_.voxel_centre(static_cast<int>(rest % row), static_cast<int>(rest / row),
                              static_cast<int>(k));
}

const Atlas::SearchSteps* Atlas::search_steps(double reach_mm) const {
  const SearchSteps* latest = search_order_->latest.load(std::memory_order_acquire);
  if (latest && latest->reach_mm >= reach_mm) return latest;
  std::lock_guard<std::mutex> lock(search_order_->mutex);
  latest = search_order_->latest.load(std::memory_order_acquire);
  if (latest && latest->reach_mm >= reach_mm) return latest;
  const auto& m = volume_.voxel_to_world.m;
  // Offsets beyond the volume's size never land in it.
  int half[3];
  double box = 1;
  for (int a = 0; a < 3; ++a) {
    half[a] = static_cast<int>(std::min<double>(
        std::ceil(reach_mm / volume_.voxel_to_world.column_norm(a)), volume_.size[a] - 1));
    box *= 2.0 * half[a] + 1;
  }
  if (box > kMaxSearchSteps) return nullptr;
  struct Step {
    double distance_mm;
    double w[3];
    std::array<std::int16_t, 3> index;
    std::int64_t offset;
  };
  std::vector<Step> all;
  for (int dk = -half[2]; dk <= half[2]; ++dk) {
    for (int dj = -half[1]; dj <= half[1]; ++dj) {
      for (int di = -half[0]; di <= half[0]; ++di) {
        Step s;
        for (int r = 0; r < 3; ++r) s.w[r] = m[r][0] * di + m[r][1] * dj + m[r][2] * dk;
        const double d2 = s.w[0] * s.w[0] + s.w[1] * s.w[1] + s.w[2] * s.w[2];
        if (d2 > reach_mm * reach_mm) continue;
        s.distance_mm = static_cast<float>(std::sqrt(d2));
        s.index = {static_cast<std::int16_t>(di), static_cast<std::int16_t>(dj),
                   static_cast<std::int16_t>(dk)};
        s.offset = (static_cast<std::int64_t>(dk) * volume_.size[1] + dj) * volume_.size[0] + di;
        all.push_back(s);
      }
    }
  }
  // Generated in storage order; a stable sort keeps it among equal distances, so the walk
  // is the same on every run.
  std::stable_sort(all.begin(), all.end(),
                   [](const Step& a, const Step& b) { return a.distance_mm < b.distance_mm; });
  auto steps = std::make_unique<SearchSteps>();
  steps->reach_mm = reach_mm;
  for (const auto& s : all) {
    steps->distance_mm.push_back(static_cast<float>(s.distance_mm));
    steps->x.push_back(static_cast<float>(s.w[0]));
    steps->y.push_back(static_cast<float>(s.w[1]));
    steps->z.push_back(static_cast<float>(s.w[2]));
    steps->index.push_back(s.index);
    steps->offset.push_back(s.offset);
  }
  const auto buckets = static_cast<std::size_t>(reach_mm / SearchSteps::kBucketMm) + 2;
  steps->first_at.resize(buckets);
  std::size_t first = 0;
  for (std::size_t b = 0; b < buckets; ++b) {
    while (first < all.size() && all[first].distance_mm < b * SearchSteps::kBucketMm) ++first;
    steps->first_at[b] = static_cast<std::uint32_t>(first);
  }
  latest = steps.get();
  search_order_->made.push_back(std::move(steps));
  search_order_->latest.store(latest, std::memory_order_release);
  return latest;
}

const Atlas::DistanceToLabels& Atlas::distance_to_labels() const {
  if (distance_->made.load(std::memory_order_acquire)) return *distance_;
  std::call_once(distance_->once, [this] {
    // Negative labels (possible only in an atlas built in memory) would read as offsets.
    if (has_orthogonal_axes(volume_) &&
        volume_.voxel_count() <
            static_cast<std::size_t>(std::numeric_limits<std::int32_t>::max()) &&
        std::none_of(volume_.labels.begin(), volume_.labels.end(),
                     [](std::int32_t v) { return v < 0; })) {
      distance_->label_or_nearest = nearest_labelled_voxels(volume_);
      distance_->labelled.assign((volume_.labels.size() + 63) / 64, 0);
      for (std::size_t n = 0; n < volume_.labels.size(); ++n) {
        std::int32_t& answer = distance_->label_or_nearest[n];
        if (volume_.labels[n] != 0) {
          distance_->labelled[n >> 6] |= std::uint64_t{1} << (n & 63);
          answer = volume_.labels[n];
        } else {
          answer = answer < 0 ? DistanceToLabels::kNoLabelAnywhere : -1 - answer;
        }
      }
      double diagonal2 = 0;
      for (int a = 0; a < 3; ++a) {
        distance_->voxel_mm[a] = volume_.voxel_to_world.column_norm(a);
        diagonal2 += std::pow(distance_->voxel_mm[a], 2);
      }
      distance_->half_diagonal_mm = 0.5 * std::sqrt(diagonal2);
      distance_->usable = true;
    }
    distance_->made.store(true, std::memory_order_release);
  });
  return *distance_;
}

std::string Atlas::label_name(std::int32_t label) const {
  const auto* e = table_.find(label);
  return e ? e->name : std::string();
}

Hemisphere Atlas::label_hemisphere(std::int32_t label) const {
  if (!manifest_.lateralised) return Hemisphere::bilateral;
  const auto* e = table_.find(label);
  if (e && e->stated_hemisphere) return *e->stated_hemisphere;
  return Hemisphere::midline;
}

Hemisphere Atlas::hit_hemisphere(const AtlasHit& hit) const {
  if (manifest_.lateralised) return label_hemisphere(hit.label);
  // Half a voxel either side of x = 0 is the midline column.
  const double half_voxel = 0.5 * volume_.voxel_to_world.column_norm(0);
  return hemisphere_of_x(hit.voxel_centre.x, half_voxel);
}

std::vector<RegionStats> Atlas::region_stats() const {
  struct Sum {
    std::size_t n = 0;
    double x = 0, y = 0, z = 0;
  };
  std::vector<Sum> sums;
  std::int32_t max_label = 0;
  for (const auto& e : table_.entries()) max_label = std::max(max_label, e.value);
  sums.resize(static_cast<std::size_t>(max_label) + 1);
  // Sum voxel indices, then map the mean index once: the map is affine, so the centroid of
  // the voxel centres is the image of the mean index.
  for (int k = 0; k < volume_.size[2]; ++k) {
    for (int j = 0; j < volume_.size[1]; ++j) {
      const std::size_t row = volume_.offset(0, j, k);
      for (int i = 0; i < volume_.size[0]; ++i) {
        const std::int32_t v = volume_.labels[row + i];
        if (v <= 0 || v > max_label) continue;
        auto& s = sums[v];
        ++s.n;
        s.x += i;
        s.y += j;
        s.z += k;
      }
    }
  }
  std::vector<RegionStats> out;
  out.reserve(table_.size());
  const double voxel_mm3 = volume_.voxel_volume_mm3();
  for (const auto& e : table_.entries()) {
    RegionStats r;
    r.label = e.value;
    r.name = e.name;
    r.hemisphere = label_hemisphere(e.value);
    const auto& s = sums[e.value];
    r.voxels = s.n;
    r.volume_mm3 = s.n * voxel_mm3;
    if (s.n > 0) {
      r.centroid = volume_.voxel_to_world.apply({s.x / s.n, s.y / s.n, s.z / s.n});
    } else {
      const double nan = std::numeric_limits<double>::quiet_NaN();
      r.centroid = {nan, nan, nan};
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace foci
