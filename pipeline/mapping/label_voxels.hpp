#pragma once
// The voxels of every label of one atlas, gathered in one pass the first time they are
// asked for, so region centroids, distances and maps cost the region's size, not the
// volume's. Several threads may ask at once; the first builds, the others wait for it.
#include <mutex>
#include <unordered_map>
#include <vector>

#include "atlas/atlas.hpp"

namespace foci {

class LabelVoxels {
 public:
  explicit LabelVoxels(const Atlas& atlas) : atlas_(&atlas) {}

  /// Storage offsets (LabelVolume::offset) of the voxels holding `label`.
  const std::vector<std::size_t>& of(std::int32_t label) {
    std::call_once(built_, [this] { build(); });
    const auto it = offsets_.find(label);
    return it == offsets_.end() ? none_ : it->second;
  }

  /// Centre (MNI mm) of the voxel at a storage offset.
  Vec3 centre(std::size_t offset) const {
    const auto& v = atlas_->volume();
    const auto nx = static_cast<std::size_t>(v.size[0]), ny = static_cast<std::size_t>(v.size[1]);
    return v.voxel_centre(static_cast<int>(offset % nx), static_cast<int>((offset / nx) % ny),
                          static_cast<int>(offset / (nx * ny)));
  }

  const Atlas& atlas() const { return *atlas_; }

 private:
  void build() {
    const auto& labels = atlas_->volume().labels;
    for (std::size_t n = 0; n < labels.size(); ++n) {
      if (labels[n] != 0) offsets_[labels[n]].push_back(n);
    }
  }
  const Atlas* atlas_;
  std::once_flag built_;
  std::unordered_map<std::int32_t, std::vector<std::size_t>> offsets_;
  std::vector<std::size_t> none_;
};

}  // namespace foci
