// NIfTI-1 label volumes (atlas/nifti_io.cpp): the bytes as a .nii file, and gzip-compressed
// as a .nii.gz file, each read with read_nifti_orientation and read_label_volume.
#include <zlib.h>

#include "atlas/nifti_io.hpp"
#include "fuzz_common.hpp"

namespace {

std::string write_gzip(std::string_view bytes, const std::string& name) {
  const std::string path = (foci::fuzz::scratch_folder() / name).string();
  gzFile file = gzopen(path.c_str(), "wb1");
  if (!file) foci::fuzz::bug("harness: cannot write " + path);
  if (!bytes.empty() && gzwrite(file, bytes.data(), static_cast<unsigned>(bytes.size())) !=
                            static_cast<int>(bytes.size())) {
    foci::fuzz::bug("harness: cannot compress into " + path);
  }
  gzclose(file);
  return path;
}

void read(const std::string& path) {
  foci::fuzz::expect_only_foci_errors([&] { (void)foci::read_nifti_orientation(path); });
  foci::fuzz::expect_only_foci_errors([&] {
    const foci::LabelVolume volume = foci::read_label_volume(path);
    if (volume.labels.size() != volume.voxel_count()) {
      foci::fuzz::bug("read_label_volume: label count differs from the voxel count");
    }
    (void)volume.label_at({0, 0, 0});
  });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const auto bytes = foci::fuzz::as_text(data, size);
  read(foci::fuzz::write_input(bytes, "volume.nii"));
  read(write_gzip(bytes, "volume.nii.gz"));
  return 0;
}
