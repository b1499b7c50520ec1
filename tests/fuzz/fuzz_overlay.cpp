// Volumetric maps for overlays (overlay/overlay_map.cpp on atlas/nifti_io.cpp's float
// reader): the bytes as a .nii file, loaded as volume 0 and 1 of a 4-D file, then what every
// figure does with a map: threshold and clusters, colours, sampling at world points.
#include <cmath>

#include "fuzz_common.hpp"
#include "overlay/overlay_map.hpp"

namespace {

void use(foci::OverlayMap map) {
  if (map.values.size() !=
      static_cast<std::size_t>(map.size[0]) * static_cast<std::size_t>(map.size[1]) *
          static_cast<std::size_t>(map.size[2])) {
    foci::fuzz::bug("load_overlay: value count differs from the grid");
  }
  if (!(map.min_value <= map.max_value)) foci::fuzz::bug("load_overlay: min above max");
  const double threshold = std::abs(map.peak_value) / 2;
  foci::apply_threshold(map, threshold, 2);
  const foci::OverlayColours colours = foci::overlay_colours(map, "auto", threshold, std::nullopt);
  for (const foci::Vec3 point : {map.peak_mni, foci::Vec3{0, 0, 0}, foci::Vec3{-40, -20, 50}}) {
    for (const auto sampling :
         {foci::OverlayMap::Sampling::nearest, foci::OverlayMap::Sampling::trilinear}) {
      (void)colours.colour_of(map.value_at(point, sampling));
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string path = foci::fuzz::write_input(foci::fuzz::as_text(data, size), "map.nii");
  for (const int volume : {0, 1}) {
    foci::fuzz::expect_only_foci_errors(
        [&] { use(foci::load_overlay({path, volume}, foci::OverlayLoadOptions{})); });
  }
  return 0;
}
