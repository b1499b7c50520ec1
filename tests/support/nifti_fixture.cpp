#include "nifti_fixture.hpp"

#include <nifti1_io.h>
#include <sys/resource.h>
#include <zlib.h>

#include <cmath>
#include <cstdlib>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <vector>

namespace foci::testing {

namespace {
mat44 to_mat44(const Affine& a) {
  mat44 m{};
  for (int i = 0; i < 3; ++i)
    for (int j = 0; j < 4; ++j) m.m[i][j] = static_cast<float>(a.m[i][j]);
  m.m[3][3] = 1;
  return m;
}
}  // namespace

void write_synthetic_nifti(const std::string& path, const SyntheticHeader& header,
                           const std::function<double(int, int, int)>& label) {
  write_synthetic_nifti(path, header,
                        [&label](int i, int j, int k, int) { return label(i, j, k); });
}

void write_synthetic_nifti(const std::string& path, const SyntheticHeader& header,
                           const std::function<double(int, int, int, int)>& label) {
  const int dims[8] = {header.volumes > 1 ? 4 : 3,
                       header.size[0],
                       header.size[1],
                       header.size[2],
                       header.volumes,
                       1,
                       1,
                       1};
  nifti_image* image = nifti_make_new_nim(dims, header.datatype, 1);
  if (!image) throw std::runtime_error("nifti_make_new_nim failed");
  image->qform_code = 0;
  image->sform_code = 0;
  std::array<double, 3> pixdim{1, 1, 1};
  if (header.pixdim) {
    pixdim = *header.pixdim;
  } else if (header.sform) {
    pixdim = {header.sform->column_norm(0), header.sform->column_norm(1),
              header.sform->column_norm(2)};
  }
  image->dx = image->pixdim[1] = static_cast<float>(pixdim[0]);
  image->dy = image->pixdim[2] = static_cast<float>(pixdim[1]);
  image->dz = image->pixdim[3] = static_cast<float>(pixdim[2]);
  if (header.qform) {
    float qb, qc, qd, qx, qy, qz, dx, dy, dz, qfac;
    nifti_mat44_to_quatern(to_mat44(*header.qform), &qb, &qc, &qd, &qx, &qy, &qz, &dx, &dy, &dz,
                           &qfac);
    image->qform_code = NIFTI_XFORM_SCANNER_ANAT;
    image->quatern_b = qb, image->quatern_c = qc, image->quatern_d = qd;
    image->qoffset_x = qx, image->qoffset_y = qy, image->qoffset_z = qz;
    image->qfac = qfac;
    image->dx = image->pixdim[1] = dx;
    image->dy = image->pixdim[2] = dy;
    image->dz = image->pixdim[3] = dz;
  }
  if (header.sform) {
    image->sform_code = header.sform_code;
    image->sto_xyz = to_mat44(*header.sform);
  }
  image->scl_slope = static_cast<float>(header.scl_slope);
  image->scl_inter = static_cast<float>(header.scl_inter);
  const auto [nx, ny, nz] = header.size;
  for (int t = 0; t < header.volumes; ++t)
    for (int k = 0; k < nz; ++k)
      for (int j = 0; j < ny; ++j)
        for (int i = 0; i < nx; ++i) {
          const std::size_t n =
              i + static_cast<std::size_t>(nx) *
                      (j + static_cast<std::size_t>(ny) * (k + static_cast<std::size_t>(nz) * t));
          const double v = label(i, j, k, t);
          if (header.datatype == NIFTI_TYPE_FLOAT32) {
            static_cast<float*>(image->data)[n] = static_cast<float>(v);
          } else if (header.datatype == NIFTI_TYPE_UINT8) {
            static_cast<std::uint8_t*>(image->data)[n] = static_cast<std::uint8_t>(v);
          } else if (header.datatype == NIFTI_TYPE_INT8) {
            static_cast<std::int8_t*>(image->data)[n] = static_cast<std::int8_t>(v);
          } else if (header.datatype == NIFTI_TYPE_INT16) {
            static_cast<std::int16_t*>(image->data)[n] = static_cast<std::int16_t>(v);
          } else if (header.datatype == NIFTI_TYPE_UINT16) {
            static_cast<std::uint16_t*>(image->data)[n] = static_cast<std::uint16_t>(v);
          } else {
            static_cast<std::int32_t*>(image->data)[n] = static_cast<std::int32_t>(v);
          }
        }
  nifti_set_filenames(image, path.c_str(), 0, 1);
  nifti_image_write(image);
  nifti_image_free(image);
}

std::array<Vec3, 3> box_centres() { return {{{-30, 10, 20}, {30, -20, -10}, {0, 30, -30}}}; }

std::function<double(int, int, int)> paint_boxes(const Affine& truth) {
  return [truth](int i, int j, int k) -> double {
    const Vec3 p = truth.apply({double(i), double(j), double(k)});
    const auto centres = box_centres();
    for (int n = 0; n < 3; ++n) {
      const Vec3 d = p - centres[n];
      if (std::abs(d.x) <= 4 && std::abs(d.y) <= 4 && std::abs(d.z) <= 4) return n + 1;
    }
    return 0;
  };
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "foci-test-XXXXXX").string();
  std::vector<char> buffer(pattern.begin(), pattern.end());
  buffer.push_back('\0');
  if (!mkdtemp(buffer.data())) throw std::runtime_error("mkdtemp failed");
  root_ = buffer.data();
}

TempDir::~TempDir() {
  std::error_code ec;
  std::filesystem::remove_all(root_, ec);
}

std::string TempDir::path(const std::string& name) const {
  return (std::filesystem::path(root_) / name).string();
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

void write_gzipped(const std::string& path, const std::string& text, std::size_t repeat) {
  gzFile file = gzopen(path.c_str(), "wb9");
  if (!file) throw std::runtime_error("cannot write " + path);
  for (std::size_t n = 0; n < repeat; ++n) {
    if (!text.empty() && gzwrite(file, text.data(), static_cast<unsigned>(text.size())) <= 0) {
      gzclose(file);
      throw std::runtime_error("cannot write " + path);
    }
  }
  gzclose(file);
}

long peak_rss_kib() {
  rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  return usage.ru_maxrss;
}

}  // namespace foci::testing
