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
#include <type_traits>
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

bool affine_is_finite(const Affine& a) {
  for (const auto& row : a.m)
    for (double v : row)
      if (!std::isfinite(v)) return false;
  return true;
}

bool affine_is_usable(const Affine& a) {
  return affine_is_finite(a) && std::abs(a.determinant()) > 1e-9;
}

/// Bytes a voxel of a datatype foci reads takes; 0 for every other datatype.
int bytes_per_voxel(int datatype) {
  switch (datatype) {
    case NIFTI_TYPE_UINT8:
    case NIFTI_TYPE_INT8:
      return 1;
    case NIFTI_TYPE_UINT16:
    case NIFTI_TYPE_INT16:
      return 2;
    case NIFTI_TYPE_UINT32:
    case NIFTI_TYPE_INT32:
    case NIFTI_TYPE_FLOAT32:
      return 4;
    case NIFTI_TYPE_FLOAT64:
      return 8;
    default:
      return 0;
  }
}

template <typename T>
T swapped_if(T value, bool swap) {
  if (swap) nifti_swap_Nbytes(1, sizeof(T), &value);
  return value;
}

/// A NIfTI-1 header read and checked against the file before anything is allocated from it.
struct CheckedHeader {
  NiftiImagePtr image;  ///< the library's reading of the header (orientation, scaling)
  bool swapped = false;
  bool compressed = false;
  std::size_t file_bytes = 0;  ///< the file's size on disk (compressed, for a .nii.gz)
  std::size_t offset = 0;      ///< where the voxels start, in the uncompressed bytes
  std::size_t voxels = 0;
  int nbyper = 0;
  /// Volumes along dimensions 4 to 7 together (1 for a 3-D image).
  std::size_t volumes = 1;
  /// Whether the stored quaternion and offsets, and the voxel sizes, are all finite: the
  /// library turns a NaN there into 0 without a word, which would orient the image anew.
  bool qform_finite = true, pixdim_finite = true;
};

/// The most volumes a 4-D to 7-D header may claim; with kMaxVoxels it keeps the byte count of
/// the claim within 64 bits.
constexpr std::size_t kMaxVolumes = 1000000;

/// Reads the 348-byte header itself and checks what the NIfTI library would silently fix or
/// report only on stderr: a dimension of 0 or less (the library makes it 1), the magic, the
/// datatype, the voxel count against kMaxVoxels, and, for an uncompressed file, that the file
/// holds the voxels the header claims (as nibabel refuses a file too short for its header).
/// Only then does the library convert the header, so it has nothing to complain about.
/// `kind` names what is read ("a label volume", "a map") in messages; `allow_volumes` accepts
/// 4-D to 7-D images, whose volumes are read one at a time.
CheckedHeader read_checked_header(const std::string& path,
                                  const std::string& kind = "a label volume",
                                  bool allow_volumes = false) {
  require_readable(path);
  nifti_set_debug_level(0);  // the library would print to stderr; we report ourselves
  const auto fail = [&](const std::string& what) {
    throw input_error("cannot read '" + path + "': " + what);
  };
  std::error_code ec;
  const auto file_bytes = fs::file_size(path, ec);
  if (ec) fail("cannot tell its size (" + ec.message() + ")");
  CheckedHeader out;
  out.file_bytes = file_bytes;
  nifti_1_header header{};
  {
    gzFile file = gzopen(path.c_str(), "rb");  // reads uncompressed files as they are
    if (!file) fail("cannot open it");
    const int got = gzread(file, &header, sizeof header);
    out.compressed = gzdirect(file) == 0;
    gzclose(file);
    if (got != static_cast<int>(sizeof header)) {
      fail("not a NIfTI-1 image (shorter than the 348 bytes of a NIfTI-1 header)");
    }
  }
  if (header.sizeof_hdr != 348) {
    out.swapped = swapped_if(header.sizeof_hdr, true) == 348;
    if (!out.swapped) {
      const bool nifti2 = header.sizeof_hdr == 540 || swapped_if(header.sizeof_hdr, true) == 540;
      fail(nifti2 ? "a NIfTI-2 image; foci reads NIfTI-1 (.nii or .nii.gz)"
                  : "not a NIfTI-1 image (its first four bytes, the header size, are not 348)");
    }
  }
  if (std::memcmp(header.magic, "n+1", 4) != 0) {
    fail(std::memcmp(header.magic, "ni1", 4) == 0
             ? "the header of a .hdr/.img pair; foci reads single-file NIfTI-1 (.nii or .nii.gz)"
             : "not a NIfTI-1 image (no \"n+1\" magic at byte 344)");
  }
  const bool swap = out.swapped;
  short dim[8];
  for (int d = 0; d < 8; ++d) dim[d] = swapped_if(header.dim[d], swap);
  if (dim[0] < 3 || dim[0] > 7) {
    fail(kind + " needs three dimensions, the header has " + std::to_string(dim[0]));
  }
  for (int d = 1; d <= dim[0]; ++d) {
    if (dim[d] < 1) {
      fail("dimension " + std::to_string(d) + " of the header is " + std::to_string(dim[d]) +
           "; every dimension must be at least 1");
    }
  }
  for (int d = 4; d <= dim[0]; ++d) {
    if (dim[d] > 1 && !allow_volumes) {
      fail(kind + " is 3-D, this image has " + std::to_string(dim[d]) +
           " volumes along dimension " + std::to_string(d));
    }
    out.volumes *= static_cast<std::size_t>(dim[d]);
  }
  const int datatype = swapped_if(header.datatype, swap);
  out.nbyper = bytes_per_voxel(datatype);
  if (out.nbyper == 0) {
    fail("NIfTI datatype " + std::to_string(datatype) +
         " is not one foci reads (integers of 8 to " + "32 bits, float32, float64)");
  }
  out.voxels = static_cast<std::size_t>(dim[1]) * static_cast<std::size_t>(dim[2]) *
               static_cast<std::size_t>(dim[3]);
  if (out.voxels > kMaxVoxels) {
    fail("the header claims " + std::to_string(dim[1]) + " x " + std::to_string(dim[2]) + " x " +
         std::to_string(dim[3]) + " = " + std::to_string(out.voxels) +
         " voxels, more than foci reads (" + std::to_string(kMaxVoxels) + ", 512^3)");
  }
  const float vox_offset = swapped_if(header.vox_offset, swap);
  if (!std::isfinite(vox_offset) || vox_offset < 0 || vox_offset > 1e12) {
    fail("the header's vox_offset (" + std::to_string(vox_offset) +
         ") is not a byte offset in the file");
  }
  // As the NIfTI library reads a single-file image: data never starts inside the header.
  out.offset = std::max<std::size_t>(sizeof header, static_cast<std::size_t>(vox_offset));
  // Every volume is counted: a 4-D file too short for its last volume is damaged.
  const std::size_t bytes = out.voxels * out.volumes * static_cast<std::size_t>(out.nbyper);
  if (out.volumes > kMaxVolumes) {
    fail("the header claims " + std::to_string(out.volumes) + " volumes, more than foci reads (" +
         std::to_string(kMaxVolumes) + ")");
  }
  if (!out.compressed && file_bytes < out.offset + bytes) {
    fail("the header claims " + std::to_string(dim[1]) + " x " + std::to_string(dim[2]) + " x " +
         std::to_string(dim[3]) + " voxels of " + std::to_string(out.nbyper) +
         " byte(s) from byte " + std::to_string(out.offset) + ", " +
         std::to_string(out.offset + bytes) + " bytes in all, but the file has " +
         std::to_string(file_bytes));
  }
  for (const float v : {header.quatern_b, header.quatern_c, header.quatern_d, header.qoffset_x,
                        header.qoffset_y, header.qoffset_z, header.pixdim[0]}) {
    out.qform_finite = out.qform_finite && std::isfinite(swapped_if(v, swap));
  }
  for (int d = 1; d <= 3; ++d) {
    out.pixdim_finite = out.pixdim_finite && std::isfinite(swapped_if(header.pixdim[d], swap));
  }
  out.qform_finite = out.qform_finite && out.pixdim_finite;  // the qform scales by pixdim
  out.image.reset(nifti_convert_nhdr2nim(header, path.c_str()));
  if (!out.image) fail("its NIfTI-1 header is damaged");
  return out;
}

NiftiOrientation orientation_of(const CheckedHeader& header, const std::string& path) {
  const nifti_image& image = *header.image;
  NiftiOrientation o;
  o.size = {image.nx, image.ny, image.nz};
  o.sform_code = image.sform_code;
  o.qform_code = image.qform_code;
  o.sform = from_mat44(image.sto_xyz);
  o.qform = from_mat44(image.qto_xyz);
  const auto fail = [&](const std::string& what) {
    throw input_error("cannot read '" + path + "': " + what +
                      "; the header cannot say where its voxels are");
  };
  // A form the header says to use must hold numbers; falling back to another form would
  // place every voxel somewhere the file does not say.
  if (o.sform_code > 0 && !affine_is_finite(o.sform)) {
    fail("the sform (sform_code " + std::to_string(o.sform_code) + ") holds NaN or infinity");
  }
  const bool use_sform = o.sform_code > 0 && affine_is_usable(o.sform);
  if (!use_sform && o.qform_code > 0 && (!header.qform_finite || !affine_is_finite(o.qform))) {
    fail("the qform (qform_code " + std::to_string(o.qform_code) +
         ": quaternion, offsets and pixdim) holds NaN or infinity");
  }
  const bool use_qform = !use_sform && o.qform_code > 0 && affine_is_usable(o.qform);
  if (!use_sform && !use_qform && !header.pixdim_finite) {
    fail("pixdim, the voxel size used without an sform or qform, holds NaN or infinity");
  }
  const double dx = image.dx > 0 ? image.dx : 1.0, dy = image.dy > 0 ? image.dy : 1.0,
               dz = image.dz > 0 ? image.dz : 1.0;
  o.pixdim = Affine::from_rows({{{dx, 0, 0, 0}, {0, dy, 0, 0}, {0, 0, dz, 0}}});
  if (use_sform) {
    o.source = OrientationSource::sform;
    o.chosen = o.sform;
  } else if (use_qform) {
    o.source = OrientationSource::qform;
    o.chosen = o.qform;
  } else {
    // Voxel sizes such as 1e-43 mm are positive yet leave no inverse to look points up with.
    if (!affine_is_usable(o.pixdim)) {
      char sizes[96];
      std::snprintf(sizes, sizeof sizes, "%g x %g x %g mm", dx, dy, dz);
      fail("pixdim, the voxel size used without an sform or qform, is too small (" +
           std::string(sizes) + ")");
    }
    o.source = OrientationSource::pixdim;
    o.chosen = o.pixdim;
  }
  return o;
}

}  // namespace

NiftiOrientation read_nifti_orientation(const std::string& path) {
  return orientation_of(read_checked_header(path), path);
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

/// Converts `count` stored values, scaled, with `convert(value, voxel number)`; `first` is the
/// number of the first voxel.
template <typename Stored, typename Out, typename Convert>
void append_values(const unsigned char* data, std::size_t count, std::size_t first, double slope,
                   double intercept, const Convert& convert, std::vector<Out>& out) {
  out.resize(first + count);
  // Labels stored as small integers and unscaled (every atlas foci ships) are labels as they
  // stand: checking each voxel through a double was a quarter of a figure's start-up.
  if constexpr (std::is_integral_v<Stored> && sizeof(Stored) <= 2 &&
                std::is_same_v<Out, std::int32_t>) {
    if (slope == 1.0 && intercept == 0.0) {
      for (std::size_t n = 0; n < count; ++n) {
        Stored value;
        std::memcpy(&value, data + n * sizeof(Stored), sizeof(Stored));
        out[first + n] = value;
      }
      return;
    }
  }
  for (std::size_t n = 0; n < count; ++n) {
    Stored value;
    std::memcpy(&value, data + n * sizeof(Stored), sizeof(Stored));
    out[first + n] = convert(slope * static_cast<double>(value) + intercept, first + n);
  }
}

/// Reads the voxels of volume `volume` a block at a time, so nothing is allocated for voxels
/// the file does not hold: a compressed file whose header claims more than its data fails
/// when the data runs out, having held no more than the data it had. (nifti_image_load is not
/// used: it allocates the whole claim first and fills a short file up with zeros.)
template <typename Out, typename Convert>
void read_voxels(const std::string& path, const CheckedHeader& header, std::size_t volume,
                 const Convert& convert, std::vector<Out>& out) {
  const nifti_image& image = *header.image;
  const std::size_t bytes = header.voxels * static_cast<std::size_t>(header.nbyper);
  const std::size_t start = header.offset + volume * bytes;
  const auto short_file = [&](std::size_t read) {
    return input_error("cannot read voxels of '" + path + "': the file ends after " +
                       std::to_string(read) + " of its " + std::to_string(bytes) +
                       " bytes of voxel data" +
                       (header.volumes > 1 ? " in volume " + std::to_string(volume) : ""));
  };
  gzFile file = gzopen(path.c_str(), "rb");
  if (!file) throw input_error("cannot read voxels of '" + path + "'");
  const std::unique_ptr<gzFile_s, int (*)(gzFile)> closer(file, gzclose);
  gzbuffer(file, 1 << 17);
  if (gzseek(file, static_cast<z_off_t>(start), SEEK_SET) != static_cast<z_off_t>(start)) {
    throw short_file(0);
  }
  // As ITK does: scl_slope 0 means no scaling.
  const double slope = image.scl_slope == 0 ? 1.0 : image.scl_slope;
  const double intercept = image.scl_slope == 0 ? 0.0 : image.scl_inter;
  out.clear();
  // An uncompressed file was checked to hold every voxel. A compressed one is reserved only
  // as far as its data could hold (deflate expands at most 1032:1): a true claim gets its
  // whole volume at once, not a vector grown by doubling to 1.2x the volume (a 1 mm atlas held
  // 34 MB instead of 28), and a false one cannot make it allocate more than that bound.
  constexpr std::size_t kMaxDeflateRatio = 1032;
  const std::size_t could_hold = header.compressed ? header.file_bytes * kMaxDeflateRatio /
                                                         static_cast<std::size_t>(header.nbyper)
                                                   : header.voxels;
  out.reserve(std::min(header.voxels, could_hold));
  const std::size_t block_voxels = (std::size_t{1} << 20) / static_cast<std::size_t>(header.nbyper);
  std::vector<unsigned char> block(block_voxels * static_cast<std::size_t>(header.nbyper));
  for (std::size_t done = 0; done < header.voxels;) {
    const std::size_t count = std::min(block_voxels, header.voxels - done);
    const std::size_t want = count * static_cast<std::size_t>(header.nbyper);
    const int got = gzread(file, block.data(), static_cast<unsigned>(want));
    if (got < 0 || static_cast<std::size_t>(got) != want) {
      throw short_file(done * static_cast<std::size_t>(header.nbyper) +
                       static_cast<std::size_t>(std::max(got, 0)));
    }
    if (header.swapped) nifti_swap_Nbytes(count, header.nbyper, block.data());
    const unsigned char* data = block.data();
    switch (image.datatype) {
      case NIFTI_TYPE_UINT8:
        append_values<std::uint8_t>(data, count, done, slope, intercept, convert, out);
        break;
      case NIFTI_TYPE_INT8:
        append_values<std::int8_t>(data, count, done, slope, intercept, convert, out);
        break;
      case NIFTI_TYPE_UINT16:
        append_values<std::uint16_t>(data, count, done, slope, intercept, convert, out);
        break;
      case NIFTI_TYPE_INT16:
        append_values<std::int16_t>(data, count, done, slope, intercept, convert, out);
        break;
      case NIFTI_TYPE_UINT32:
        append_values<std::uint32_t>(data, count, done, slope, intercept, convert, out);
        break;
      case NIFTI_TYPE_INT32:
        append_values<std::int32_t>(data, count, done, slope, intercept, convert, out);
        break;
      case NIFTI_TYPE_FLOAT32:
        append_values<float>(data, count, done, slope, intercept, convert, out);
        break;
      case NIFTI_TYPE_FLOAT64:
        append_values<double>(data, count, done, slope, intercept, convert, out);
        break;
      default:
        throw input_error("cannot read '" + path + "': NIfTI datatype " +
                          std::to_string(image.datatype) + " is not one foci reads");
    }
    done += count;
  }
}

}  // namespace

LabelVolume read_label_volume(const std::string& path) {
  const CheckedHeader header = read_checked_header(path);
  const NiftiOrientation orientation = orientation_of(header, path);
  LabelVolume volume;
  volume.size = orientation.size;
  set_voxel_to_world(volume, orientation.chosen);
  const auto as_label_of_file = [&path](double v, std::size_t n) { return as_label(v, n, path); };
  read_voxels(path, header, 0, as_label_of_file, volume.labels);
  return volume;
}

FloatVolume read_float_volume(const std::string& path, int volume_index) {
  const CheckedHeader header = read_checked_header(path, "a map", true);
  if (volume_index < 0 || static_cast<std::size_t>(volume_index) >= header.volumes) {
    throw input_error("cannot read volume " + std::to_string(volume_index) + " of '" + path +
                      "': it has " + std::to_string(header.volumes) + " volume" +
                      (header.volumes == 1 ? "" : "s") + " (indices 0 to " +
                      std::to_string(header.volumes - 1) + ")");
  }
  FloatVolume volume;
  volume.orientation = orientation_of(header, path);
  volume.size = volume.orientation.size;
  volume.volume_count = static_cast<int>(header.volumes);
  const auto as_float = [](double v, std::size_t) { return static_cast<float>(v); };
  read_voxels(path, header, static_cast<std::size_t>(volume_index), as_float, volume.values);
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
