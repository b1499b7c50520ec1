// NIfTI through the NIfTI library that ships with ITK (nifti1_io) and zlib. ITK's own
// ImageFileReader is not used for label volumes, for three reasons each covered by a test:
// it orients by the qform when both forms are set (wrong for Debian's Harvard-Oxford, AICHA
// and JHU files); it refuses headers the standard allows, such as an sform whose scales
// disagree with pixdim ("ITK only supports orthonormal direction cosines"); and it fills a
// truncated file's missing voxels with zeros without an error.
#include "atlas/nifti_io.hpp"

#include <nifti1_io.h>
#include <zlib.h>

#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <limits>
#include <memory>
#include <system_error>
#include <vector>

#include "core/enum_names.hpp"
#include "core/error.hpp"
#include "core/output_file.hpp"

namespace foci {

namespace fs = std::filesystem;

void set_voxel_to_world(LabelVolume& volume, const Affine& voxel_to_world) {
  volume.voxel_to_world = voxel_to_world;
  volume.world_to_voxel = voxel_to_world.inverse();
}

std::string to_string(OrientationSource source) {
  constexpr NameTable<OrientationSource, 3> names{{{OrientationSource::sform, "sform"},
                                                   {OrientationSource::qform, "qform"},
                                                   {OrientationSource::pixdim, "pixdim"}}};
  return name_in(names, source);
}

namespace {

struct NiftiImageDeleter {
  void operator()(nifti_image* image) const { nifti_image_free(image); }
};
using NiftiImagePtr = std::unique_ptr<nifti_image, NiftiImageDeleter>;

Affine from_mat44(const mat44& m) {
  Affine a;
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 4; ++j) a.m[i][j] = m.m[i][j];
  return a;
}

mat44 to_mat44(const Affine& a) {
  mat44 m{};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 4; ++j) m.m[i][j] = static_cast<float>(a.m[i][j]);
  m.m[3][3] = 1.0f;
  return m;
}

void require_readable(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) throw input_error("cannot read '" + path + "': no such file");
  if (fs::is_directory(path, ec)) throw input_error("cannot read '" + path + "': is a directory");
}

NiftiImagePtr read_header(const std::string& path) {
  require_readable(path);
  nifti_set_debug_level(0);  // the library would print to stderr; we report ourselves
  NiftiImagePtr image(nifti_image_read(path.c_str(), 0));
  if (!image) {
    throw input_error("cannot read '" + path + "': not a NIfTI-1 image, or its header is damaged");
  }
  return image;
}

bool affine_is_usable(const Affine& a) {
  for (const auto& row : a.m)
    for (double v : row)
      if (!std::isfinite(v)) return false;
  return std::abs(a.determinant()) > 1e-9;
}

}  // namespace

NiftiOrientation read_nifti_orientation(const std::string& path) {
  const auto image = read_header(path);
  NiftiOrientation o;
  if (image->dim[0] < 3 || image->nx < 1 || image->ny < 1 || image->nz < 1) {
    throw input_error("cannot read '" + path +
                      "': a label volume needs three dimensions, "
                      "the header has " +
                      std::to_string(image->dim[0]));
  }
  for (int d = 4; d <= image->dim[0] && d <= 7; ++d) {
    if (image->dim[d] > 1) {
      throw input_error("cannot read '" + path + "': a label volume is 3-D, this image has " +
                        std::to_string(image->dim[d]) + " volumes along dimension " +
                        std::to_string(d));
    }
  }
  o.size = {image->nx, image->ny, image->nz};
  o.sform_code = image->sform_code;
  o.qform_code = image->qform_code;
  o.sform = from_mat44(image->sto_xyz);
  o.qform = from_mat44(image->qto_xyz);
  const double dx = image->dx > 0 ? image->dx : 1.0, dy = image->dy > 0 ? image->dy : 1.0,
               dz = image->dz > 0 ? image->dz : 1.0;
  o.pixdim = Affine::from_rows({{{dx, 0, 0, 0}, {0, dy, 0, 0}, {0, 0, dz, 0}}});
  if (o.sform_code > 0 && affine_is_usable(o.sform)) {
    o.source = OrientationSource::sform;
    o.chosen = o.sform;
  } else if (o.qform_code > 0 && affine_is_usable(o.qform)) {
    o.source = OrientationSource::qform;
    o.chosen = o.qform;
  } else {
    o.source = OrientationSource::pixdim;
    o.chosen = o.pixdim;
  }
  return o;
}

namespace {

/// One voxel value as a label: whole, finite and within int32.
std::int32_t as_label(double v, std::size_t n, const std::string& path) {
  if (!std::isfinite(v) || v != std::floor(v) ||
      std::abs(v) > std::numeric_limits<std::int32_t>::max()) {
    throw input_error("cannot read '" + path + "': voxel " + std::to_string(n) + " holds " +
                      std::to_string(v) + ", which is not a label number");
  }
  return static_cast<std::int32_t>(v);
}

template <typename Stored>
void convert(const void* data, double slope, double intercept, const std::string& path,
             LabelVolume& volume) {
  const auto* values = static_cast<const Stored*>(data);
  for (std::size_t n = 0; n < volume.voxel_count(); ++n) {
    volume.labels[n] = as_label(slope * static_cast<double>(values[n]) + intercept, n, path);
  }
}

void read_voxels(const std::string& path, LabelVolume& volume) {
  const auto image = read_header(path);
  // The bytes are read here rather than by nifti_image_load, which fills a short file up
  // with zeros and says so only on stderr.
  const std::size_t bytes = volume.voxel_count() * static_cast<std::size_t>(image->nbyper);
  std::vector<unsigned char> data(bytes);
  gzFile file = gzopen(path.c_str(), "rb");
  if (!file) throw input_error("cannot read voxels of '" + path + "'");
  const bool complete =
      gzseek(file, static_cast<z_off_t>(image->iname_offset), SEEK_SET) ==
          static_cast<z_off_t>(image->iname_offset) &&
      gzread(file, data.data(), static_cast<unsigned>(bytes)) == static_cast<int>(bytes);
  gzclose(file);
  if (!complete) {
    throw input_error("cannot read voxels of '" + path + "': the file ends before its " +
                      std::to_string(bytes) + " bytes of voxel data");
  }
  if (image->byteorder != nifti_short_order()) {
    nifti_swap_Nbytes(volume.voxel_count(), image->nbyper, data.data());
  }
  // As ITK does: scl_slope 0 means no scaling.
  const double slope = image->scl_slope == 0 ? 1.0 : image->scl_slope;
  const double intercept = image->scl_slope == 0 ? 0.0 : image->scl_inter;
  const void* raw = data.data();
  switch (image->datatype) {
    case NIFTI_TYPE_UINT8:
      convert<std::uint8_t>(raw, slope, intercept, path, volume);
      break;
    case NIFTI_TYPE_INT8:
      convert<std::int8_t>(raw, slope, intercept, path, volume);
      break;
    case NIFTI_TYPE_UINT16:
      convert<std::uint16_t>(raw, slope, intercept, path, volume);
      break;
    case NIFTI_TYPE_INT16:
      convert<std::int16_t>(raw, slope, intercept, path, volume);
      break;
    case NIFTI_TYPE_UINT32:
      convert<std::uint32_t>(raw, slope, intercept, path, volume);
      break;
    case NIFTI_TYPE_INT32:
      convert<std::int32_t>(raw, slope, intercept, path, volume);
      break;
    case NIFTI_TYPE_FLOAT32:
      convert<float>(raw, slope, intercept, path, volume);
      break;
    case NIFTI_TYPE_FLOAT64:
      convert<double>(raw, slope, intercept, path, volume);
      break;
    default:
      throw input_error("cannot read '" + path + "': NIfTI datatype " +
                        std::to_string(image->datatype) + " cannot hold labels");
  }
}

}  // namespace

LabelVolume read_label_volume(const std::string& path) {
  const NiftiOrientation orientation = read_nifti_orientation(path);
  LabelVolume volume;
  volume.size = orientation.size;
  set_voxel_to_world(volume, orientation.chosen);
  volume.labels.resize(volume.voxel_count());
  read_voxels(path, volume);
  return volume;
}

namespace {

/// Writes voxels of one NIfTI datatype (`data`, i fastest) with sform and qform both set to
/// `voxel_to_world`, codes 4 (MNI), through a TemporaryFile.
void write_volume(const void* data, std::size_t data_bytes, int datatype,
                  const std::array<int, 3>& size, const Affine& voxel_to_world,
                  const std::string& path, const std::string& shown) {
  const fs::path target(path);
  std::error_code exists_ec;
  if (!target.parent_path().empty() && !fs::is_directory(target.parent_path(), exists_ec)) {
    throw output_error("cannot write '" + shown + "': directory '" + target.parent_path().string() +
                       "' does not exist");
  }

  const int dims[8] = {3, size[0], size[1], size[2], 1, 1, 1, 1};
  NiftiImagePtr image(nifti_make_new_nim(dims, datatype, 0));
  if (!image) throw output_error("cannot write '" + shown + "': out of memory");
  const mat44 m = to_mat44(voxel_to_world);
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

  // The bytes nifti_image_write would write (header, empty extension flag, voxels), put
  // together here and written through an exclusively created temporary: the library would
  // open a name of its own choosing, following any link planted there, and it reports a
  // failed write only on stderr.
  if (nifti_set_filenames(image.get(), path.c_str(), 0, 1) != 0) {
    throw output_error("cannot write '" + shown + "': unsupported file name");
  }
  nifti_set_iname_offset(image.get());
  const nifti_1_header header = nifti_convert_nim2nhdr(image.get());
  if (image->iname_offset < static_cast<int>(sizeof header + 4)) {
    throw Error(ExitCode::internal, "NIfTI voxel offset " + std::to_string(image->iname_offset) +
                                        " leaves no room for the header");
  }
  std::string bytes(static_cast<std::size_t>(image->iname_offset), '\0');
  std::memcpy(bytes.data(), &header, sizeof header);
  bytes.append(static_cast<const char*>(data), data_bytes);
  TemporaryFile file(path, "", shown);
  if (nifti_is_gzfile(path.c_str())) {
    // zlib gets its own descriptor: gzclose, which writes the trailer, closes that one, and
    // the file's stays open to be synced to disk.
    const int stream_fd = ::dup(file.fd());
    if (stream_fd < 0) file.fail(std::strerror(errno));
    gzFile stream = gzdopen(stream_fd, "wb");
    if (!stream) {
      ::close(stream_fd);
      file.fail("cannot start a gzip stream");
    }
    errno = 0;
    bool written = true;
    for (std::size_t at = 0; written && at < bytes.size();) {
      const auto chunk = static_cast<unsigned>(std::min<std::size_t>(bytes.size() - at, 1u << 30));
      written = gzwrite(stream, bytes.data() + at, chunk) == static_cast<int>(chunk);
      at += chunk;
    }
    // gzclose reports any write of the stream that failed (zlib's errors are sticky).
    const int closed = gzclose(stream);
    if (!written || closed != Z_OK) {
      file.fail(errno != 0 ? std::strerror(errno) : "the gzip stream could not be written");
    }
  } else {
    file.write(bytes);
  }
  file.commit(true);
}

}  // namespace

void write_label_volume(const LabelVolume& volume, const std::string& path,
                        const std::string& shown_as) {
  if (volume.labels.size() != volume.voxel_count()) {
    throw Error(ExitCode::internal, "label volume has " + std::to_string(volume.labels.size()) +
                                        " labels for " + std::to_string(volume.voxel_count()) +
                                        " voxels");
  }
  write_volume(volume.labels.data(), volume.voxel_count() * sizeof(std::int32_t), NIFTI_TYPE_INT32,
               volume.size, volume.voxel_to_world, path, shown_as.empty() ? path : shown_as);
}

void write_float_volume(const std::vector<float>& values, const std::array<int, 3>& size,
                        const Affine& voxel_to_world, const std::string& path,
                        const std::string& shown_as) {
  const std::size_t count = static_cast<std::size_t>(size[0]) * size[1] * size[2];
  if (values.size() != count) {
    throw Error(ExitCode::internal, "a map of " + std::to_string(values.size()) + " values for " +
                                        std::to_string(count) + " voxels");
  }
  write_volume(values.data(), count * sizeof(float), NIFTI_TYPE_FLOAT32, size, voxel_to_world, path,
               shown_as.empty() ? path : shown_as);
}

}  // namespace foci
