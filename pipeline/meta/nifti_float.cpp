#include "meta/nifti_float.hpp"

#include <nifti1_io.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <memory>

#include "core/error.hpp"

namespace foci {

namespace fs = std::filesystem;

namespace {

struct NiftiImageDeleter {
  void operator()(nifti_image* image) const { nifti_image_free(image); }
};

}  // namespace

void write_float_volume(const std::vector<float>& values, const std::array<int, 3>& size,
                        const Affine& voxel_to_world, const std::string& path) {
  const std::size_t count = static_cast<std::size_t>(size[0]) * size[1] * size[2];
  if (values.size() != count) {
    throw Error(ExitCode::internal, "a map of " + std::to_string(values.size()) + " values for " +
                                        std::to_string(count) + " voxels");
  }
  const fs::path target(path);
  std::error_code ec;
  if (!target.parent_path().empty() && !fs::is_directory(target.parent_path(), ec)) {
    throw output_error("cannot write '" + path + "': directory '" + target.parent_path().string() +
                       "' does not exist");
  }
  // Same folder and extension as the target: the rename is atomic and the library picks
  // the same compression.
  const std::string name = target.filename().string();
  const auto dot = name.find('.');
  const std::string extension = dot == std::string::npos ? ".nii" : name.substr(dot);
  const fs::path temporary =
      target.parent_path() / (".foci-tmp-" + std::to_string(::getpid()) + extension);

  const int dims[8] = {3, size[0], size[1], size[2], 1, 1, 1, 1};
  std::unique_ptr<nifti_image, NiftiImageDeleter> image(
      nifti_make_new_nim(dims, NIFTI_TYPE_FLOAT32, 0));
  if (!image) throw output_error("cannot write '" + path + "': out of memory");
  mat44 m{};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 4; ++j) m.m[i][j] = static_cast<float>(voxel_to_world.m[i][j]);
  m.m[3][3] = 1.0f;
  float qb, qc, qd, qx, qy, qz, dx, dy, dz, qfac;
  nifti_mat44_to_quatern(m, &qb, &qc, &qd, &qx, &qy, &qz, &dx, &dy, &dz, &qfac);
  image->qform_code = NIFTI_XFORM_MNI_152;
  image->sform_code = NIFTI_XFORM_MNI_152;
  image->quatern_b = qb, image->quatern_c = qc, image->quatern_d = qd;
  image->qoffset_x = qx, image->qoffset_y = qy, image->qoffset_z = qz;
  image->qfac = qfac;
  image->dx = image->pixdim[1] = dx;
  image->dy = image->pixdim[2] = dy;
  image->dz = image->pixdim[3] = dz;
  image->qto_xyz = nifti_quatern_to_mat44(qb, qc, qd, qx, qy, qz, dx, dy, dz, qfac);
  image->qto_ijk = nifti_mat44_inverse(image->qto_xyz);
  image->sto_xyz = m;
  image->sto_ijk = nifti_mat44_inverse(m);
  image->xyz_units = NIFTI_UNITS_MM;
  // The library frees data with free(); it must own a malloc'd copy.
  const std::size_t bytes = count * sizeof(float);
  image->data = std::malloc(bytes);
  if (!image->data) throw output_error("cannot write '" + path + "': out of memory");
  std::memcpy(image->data, values.data(), bytes);
  if (nifti_set_filenames(image.get(), temporary.c_str(), 0, 1) != 0) {
    throw output_error("cannot write '" + path + "': unsupported file name");
  }
  nifti_image_write(image.get());
  const auto written = fs::file_size(temporary, ec);
  if (ec || written < 348) {
    fs::remove(temporary, ec);
    throw output_error("cannot write '" + path + "': writing the temporary file failed");
  }
  fs::rename(temporary, target, ec);
  if (ec) {
    fs::remove(temporary, ec);
    throw output_error("cannot write '" + path + "': " + ec.message());
  }
}

}  // namespace foci
