#pragma once
// A loaded label atlas: manifest, label volume and label table, checked against each other,
// with point lookups and per-label statistics. All points are MNI RAS mm.
#include <array>
#include <atomic>
#include <cstdint>
#include <limits>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "atlas/label_table.hpp"
#include "atlas/label_volume.hpp"
#include "atlas/manifest.hpp"
#include "atlas/nifti_io.hpp"
#include "core/hemisphere.hpp"

namespace foci {

/// What a lookup found.
struct AtlasHit {
  std::int32_t label = 0;  ///< 0: nothing labelled at the point (or within the radius)
  /// 0 when the point's own voxel is labelled; otherwise the distance in mm from the point
  /// to the centre of the labelled voxel found within the radius. Meaningless for label 0.
  double distance_mm = 0;
  /// Centre of the voxel the label was taken from (MNI RAS mm); the point's own voxel when
  /// nothing was found.
  Vec3 voxel_centre;
  bool inside_volume = false;  ///< whether the point's own voxel lies inside the volume
};

struct RegionStats {
  std::int32_t label = 0;
  std::string name;
  Hemisphere hemisphere = Hemisphere::bilateral;
  std::size_t voxels = 0;
  double volume_mm3 = 0;
  Vec3 centroid;  ///< mean of voxel centres, MNI RAS mm
};

class Atlas {
 public:
  /// Loads and cross-checks everything the manifest names. Throws Error (input) naming the
  /// atlas and the file.
  static Atlas load(const AtlasManifest& manifest);
  /// Builds an atlas from parts already in memory (tests, synthetic atlases).
  Atlas(AtlasManifest manifest, LabelVolume volume, LabelTable table);

  const AtlasManifest& manifest() const { return manifest_; }
  const std::string& name() const { return manifest_.name; }
  const LabelVolume& volume() const { return volume_; }
  const LabelTable& table() const { return table_; }
  /// How the voxel-to-world matrix was decided ("sform", "qform", "pixdim", or the
  /// manifest's correction).
  const std::string& orientation_note() const { return orientation_note_; }

  /// The label of the voxel nearest to `point`. With radius_mm > 0 and that voxel
  /// unlabelled, the labelled voxel whose centre is nearest to the point within radius_mm;
  /// ties go to the smaller label value, then to the first voxel in storage order.
  AtlasHit lookup(Vec3 point, double radius_mm = 0) const;
  /// Asks the memory for what lookup(point, radius_mm) reads first, and returns at once. A
  /// lookup's first read is a cache miss in a volume-sized array; a caller with many points
  /// prefetches a few ahead of the one it looks up, so the misses overlap.
  void prefetch(Vec3 point, double radius_mm = 0) const;
  /// lookup(points[i], radius_mm) into hits[i * stride], for each of `count` points: each
  /// point's voxel is found once, and the first reads of the points a few ahead are begun
  /// while one is looked up, so that their cache misses overlap.
  void lookup_each(const Vec3* points, std::size_t count, double radius_mm, AtlasHit* hits,
                   std::size_t stride = 1) const;

  /// Name of a label; empty for 0 or a value the table lacks.
  std::string label_name(std::int32_t label) const;
  /// Hemisphere of a label: its stated side in a lateralised atlas (midline when it names
  /// none), bilateral in an atlas that does not split the hemispheres.
  Hemisphere label_hemisphere(std::int32_t label) const;
  /// The side a hit reports: the label's own side when the atlas is lateralised, otherwise
  /// the side of the voxel the label was taken from.
  Hemisphere hit_hemisphere(const AtlasHit& hit) const;

  /// Every label of the table, in table order, with voxel count, volume and centroid.
  std::vector<RegionStats> region_stats() const;

  /// Frees the voxels and the search maps made from them, keeping in place the manifest,
  /// the size, the voxel-to-world map and the label table (answers already given view the
  /// table's names). Lookups must not be asked of it afterwards.
  void release_voxels();

 private:
  /// For each voxel, the offset of the labelled voxel nearest to its centre, computed on the
  /// first radius search: its distance bounds the search from below, so a point far from
  /// every label costs one read, and the label found there bounds it from above, so the
  /// search reads only voxels nearer to the point than that one.
  struct DistanceToLabels {
    std::once_flag once;
    /// Per voxel, one read answers both first questions of a radius search: its label when
    /// it has one (> 0), else nearest_offset(value), or kNoLabelAnywhere. Reading the label
    /// and the nearest voxel from two volume-sized arrays cost two cache misses per lookup.
    std::vector<std::int32_t> label_or_nearest;
    static constexpr std::int32_t kNoLabelAnywhere = std::numeric_limits<std::int32_t>::min();
    static std::size_t nearest_offset(std::int32_t value) {
      return static_cast<std::size_t>(-1 - static_cast<std::int64_t>(value));
    }
    /// Half the diagonal of a voxel (mm): the farthest a point lies from its voxel's centre.
    double half_diagonal_mm = 0;
    /// The length of a voxel along each of its axes (mm).
    std::array<double, 3> voxel_mm{};
    /// One bit per voxel, set when it is labelled: a search reads the voxels near a point
    /// in an arbitrary order, and a bit per voxel stays in the cache where a label would not.
    std::vector<std::uint64_t> labelled;
    bool usable = false;
    /// Set once the map is made: every lookup asks, and libstdc++'s call_once sets up
    /// thread-local state on each call, done or not.
    std::atomic<bool> made{false};
  };
  const DistanceToLabels& distance_to_labels() const;
  /// lookup's answer once the point's voxel is known: `inside` and `index` as
  /// volume_.nearest_voxel gives them.
  AtlasHit lookup_in_voxel(Vec3 point, bool inside, const std::array<int, 3>& index,
                           double radius_mm) const;
  /// The centre (MNI RAS mm) of the voxel at a storage offset.
  Vec3 centre_of(std::size_t offset) const;

  /// Every voxel offset within some reach of a voxel centre, nearest first, as parallel
  /// arrays (so a walk filters a block of them at once): the distance (mm) between the two
  /// centres, the offset in mm (to reject far steps without a read) and in voxels. A radius
  /// search walks it from the distance map's lower bound, so it reads the shell where the
  /// nearest label can be, not the empty ball inside it.
  struct SearchSteps {
    double reach_mm = 0;
    std::vector<float> distance_mm, x, y, z;
    std::vector<std::array<std::int16_t, 3>> index;
    /// The step as a difference of storage offsets (voxels), for walks that stay inside.
    std::vector<std::int64_t> offset;
    /// first_at[b]: the first step at least b * kBucketMm from the centre, so a walk finds
    /// where to start with one read instead of a binary search of distance_mm.
    static constexpr double kBucketMm = 0.01;
    std::vector<std::uint32_t> first_at;
  };
  /// The steps made so far; grown (a new, longer list) when a larger radius is asked. Lists
  /// are kept until the atlas goes, so a search reads the latest without a lock.
  struct SearchOrder {
    std::mutex mutex;
    std::atomic<const SearchSteps*> latest{nullptr};
    std::vector<std::unique_ptr<const SearchSteps>> made;
  };
  /// The steps within at least reach_mm of a voxel centre (a longer list may come back);
  /// null when there would be too many to hold.
  const SearchSteps* search_steps(double reach_mm) const;
  /// The radius search from a point inside the volume whose own voxel `index` is unlabelled;
  /// `nearest` is the labelled voxel nearest to that voxel's centre.
  AtlasHit search_from_nearest(Vec3 point, const std::array<int, 3>& index, AtlasHit hit,
                               std::size_t nearest, double radius_mm) const;
  /// The radius search over every voxel of the index-space box that holds the sphere of
  /// search_radius (<= radius_mm) around the point.
  AtlasHit search_box(Vec3 point, AtlasHit hit, double radius_mm, double search_radius) const;
  /// The radius search by the shell walk; nullopt when search_steps gives none.
  /// `nearest` is the labelled voxel nearest to the centre of the point's voxel `index`, at
  /// to_label_mm from that centre; nearest_centre is its centre (MNI RAS mm).
  std::optional<AtlasHit> search_shell(Vec3 point, const std::array<int, 3>& index, AtlasHit hit,
                                       std::size_t nearest, Vec3 nearest_centre, double to_label_mm,
                                       double off_centre_mm, double radius_mm) const;

  AtlasManifest manifest_;
  LabelVolume volume_;
  LabelTable table_;
  std::string orientation_note_;
  std::shared_ptr<DistanceToLabels> distance_ = std::make_shared<DistanceToLabels>();
  std::shared_ptr<SearchOrder> search_order_ = std::make_shared<SearchOrder>();
};

}  // namespace foci
