#include "atlas/atlas.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <optional>
#include <set>

#include "atlas/distance_transform.hpp"
#include "core/error.hpp"

namespace foci {

Atlas::Atlas(AtlasManifest manifest, LabelVolume volume, LabelTable table)
    : manifest_(std::move(manifest)), volume_(std::move(volume)), table_(std::move(table)) {}

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
  AtlasHit hit;
  std::array<int, 3> index{};
  hit.inside_volume = volume_.nearest_voxel(point, index);
  if (hit.inside_volume) {
    hit.label = volume_.at(index[0], index[1], index[2]);
    hit.voxel_centre = volume_.voxel_centre(index[0], index[1], index[2]);
    if (hit.label != 0 || !(radius_mm > 0)) return hit;
  } else {
    const Vec3 c = volume_.world_to_voxel.apply(point);
    hit.voxel_centre = volume_.voxel_to_world.apply(
        {std::floor(c.x + 0.5), std::floor(c.y + 0.5), std::floor(c.z + 0.5)});
    if (!(radius_mm > 0) || !is_finite(point)) return hit;
  }

  // The distance map bounds the search from the point's own voxel v: every labelled voxel
  // centre lies at least D(v) - |p - c(v)| from the point, and one lies at most
  // D(v) + |p - c(v)| away.
  double search_radius = radius_mm;
  if (hit.inside_volume) {
    const auto& distance = distance_to_labels();
    if (distance.usable) {
      const double to_label =
          std::sqrt(distance.squared_mm[volume_.offset(index[0], index[1], index[2])]);
      const double off_centre = norm(point - hit.voxel_centre);
      if (to_label - off_centre > radius_mm) return hit;
      if (auto found = search_shell(point, index, hit, to_label, off_centre, radius_mm)) {
        return *found;
      }
      search_radius = std::min(radius_mm, to_label + off_centre);
    }
  }

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
                                            AtlasHit hit, double to_label_mm,
                                            double off_centre_mm, double radius_mm) const {
  // The nearest voxel's centre lies within half a voxel diagonal of the point, so a labelled
  // centre within radius_mm of the point lies within radius_mm + half_diagonal of it.
  double diagonal2 = 0;
  for (int a = 0; a < 3; ++a) diagonal2 += std::pow(volume_.voxel_to_world.column_norm(a), 2);
  const auto steps = search_steps(radius_mm + 0.5 * std::sqrt(diagonal2) + kShellSlackMm);
  if (!steps) return std::nullopt;

  // Every labelled centre lies at least D(v) from the own centre c(v). Once a label is found
  // at distance d from the point, any better one lies within d + |p - c(v)| of c(v).
  const float first = static_cast<float>(to_label_mm - kShellSlackMm);
  auto step = std::lower_bound(steps->begin(), steps->end(), first,
                               [](const SearchStep& s, float d) { return s.distance_mm < d; });
  double stop = radius_mm + off_centre_mm + kShellSlackMm;
  const double limit = radius_mm * radius_mm * (1 + 1e-12);
  double best_d2 = std::numeric_limits<double>::infinity();
  std::int32_t best_label = 0;
  std::size_t best_offset = 0;
  Vec3 best_centre;
  // From the point to the own centre; a step's centre is at to_centre + step from the point.
  const Vec3 to_centre = hit.voxel_centre - point;
  double bound_d2 = limit;
  for (; step != steps->end() && step->distance_mm <= stop; ++step) {
    // Most steps lie farther than the best so far: reject them by arithmetic on the float
    // offsets (with slack for their rounding) before reading the volume.
    const double ax = to_centre.x + step->x, ay = to_centre.y + step->y,
                 az = to_centre.z + step->z;
    if (ax * ax + ay * ay + az * az > bound_d2 + 1e-4 * (bound_d2 + 1)) continue;
    const int i = index[0] + step->di, j = index[1] + step->dj, k = index[2] + step->dk;
    if (!volume_.contains(i, j, k)) continue;
    const std::size_t offset = volume_.offset(i, j, k);
    const std::int32_t v = volume_.labels[offset];
    if (v == 0) continue;
    const Vec3 p = volume_.voxel_centre(i, j, k);
    const Vec3 d = p - point;
    const double d2 = d.x * d.x + d.y * d.y + d.z * d.z;
    if (d2 > limit) continue;
    // The rule of the box walk below, which visits voxels in storage order: distances equal
    // up to rounding tie, ties go to the smaller label, then to the first voxel in storage.
    const bool closer = d2 < best_d2 - 1e-9;
    const bool tie = std::abs(d2 - best_d2) <= 1e-9;
    if (closer || (tie && (v < best_label || (v == best_label && offset < best_offset)))) {
      best_d2 = d2;
      best_label = v;
      best_offset = offset;
      best_centre = p;
      bound_d2 = std::min(limit, best_d2 + 1e-9);
      stop = std::min(stop, std::sqrt(best_d2) + off_centre_mm + kShellSlackMm);
    }
  }
  if (best_label != 0) {
    hit.label = best_label;
    hit.distance_mm = std::sqrt(best_d2);
    hit.voxel_centre = best_centre;
  }
  return hit;
}

std::shared_ptr<const std::vector<Atlas::SearchStep>> Atlas::search_steps(double reach_mm) const {
  std::lock_guard<std::mutex> lock(search_order_->mutex);
  if (search_order_->reach_mm >= reach_mm) return search_order_->steps;
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
  auto steps = std::make_shared<std::vector<SearchStep>>();
  for (int dk = -half[2]; dk <= half[2]; ++dk) {
    for (int dj = -half[1]; dj <= half[1]; ++dj) {
      for (int di = -half[0]; di <= half[0]; ++di) {
        double w[3];
        for (int r = 0; r < 3; ++r) w[r] = m[r][0] * di + m[r][1] * dj + m[r][2] * dk;
        const double d2 = w[0] * w[0] + w[1] * w[1] + w[2] * w[2];
        if (d2 > reach_mm * reach_mm) continue;
        steps->push_back({static_cast<float>(std::sqrt(d2)), static_cast<float>(w[0]),
                          static_cast<float>(w[1]), static_cast<float>(w[2]),
                          static_cast<std::int16_t>(di), static_cast<std::int16_t>(dj),
                          static_cast<std::int16_t>(dk)});
      }
    }
  }
  // Generated in storage order; a stable sort keeps it among equal distances, so the walk
  // is the same on every run.
  std::stable_sort(steps->begin(), steps->end(), [](const SearchStep& a, const SearchStep& b) {
    return a.distance_mm < b.distance_mm;
  });
  search_order_->reach_mm = reach_mm;
  search_order_->steps = std::move(steps);
  return search_order_->steps;
}

const Atlas::DistanceToLabels& Atlas::distance_to_labels() const {
  std::call_once(distance_->once, [this] {
    if (has_orthogonal_axes(volume_)) {
      distance_->squared_mm = squared_distance_to_labels(volume_);
      distance_->usable = true;
    }
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
