#pragma once
// A loaded label atlas: manifest, label volume and label table, checked against each other,
// with point lookups and per-label statistics. All points are MNI RAS mm.
#include <cstdint>
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

 private:
  /// Squared distance from each voxel centre to the nearest label, computed on the first
  /// radius search: it bounds the search, so a point far from every label costs one read.
  struct DistanceToLabels {
    std::once_flag once;
    std::vector<float> squared_mm;
    bool usable = false;
  };
  const DistanceToLabels& distance_to_labels() const;

  /// A voxel offset from a point's own voxel and the distance (mm) between the two centres.
  struct SearchStep {
    float distance_mm = 0;
    float x = 0, y = 0, z = 0;  ///< the offset in mm, to reject far steps without a read
    std::int16_t di = 0, dj = 0, dk = 0;
  };
  /// Every voxel offset within some reach of a voxel centre, nearest first; grown when a
  /// larger radius is asked. A radius search walks it from the distance map's lower bound,
  /// so it reads the shell where the nearest label can be, not the empty ball inside it.
  struct SearchOrder {
    std::mutex mutex;
    double reach_mm = -1;
    std::shared_ptr<const std::vector<SearchStep>> steps;
  };
  /// The steps within at least reach_mm of a voxel centre (a longer list may come back);
  /// null when there would be too many to hold.
  std::shared_ptr<const std::vector<SearchStep>> search_steps(double reach_mm) const;
  /// The radius search by the shell walk; nullopt when search_steps gives none.
  std::optional<AtlasHit> search_shell(Vec3 point, const std::array<int, 3>& index,
                                       AtlasHit hit, double to_label_mm, double off_centre_mm,
                                       double radius_mm) const;

  AtlasManifest manifest_;
  LabelVolume volume_;
  LabelTable table_;
  std::string orientation_note_;
  std::shared_ptr<DistanceToLabels> distance_ = std::make_shared<DistanceToLabels>();
  std::shared_ptr<SearchOrder> search_order_ = std::make_shared<SearchOrder>();
};

}  // namespace foci
