// Synthetic atlases under every header layout the Debian atlases use: the labels must come
// back at the millimetre positions they were painted at, whichever matrix holds the truth.
#include <gtest/gtest.h>

#include <fcntl.h>
#include <nifti1_io.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <limits>

#include "atlas/nifti_io.hpp"
#include "core/error.hpp"
#include "nifti_fixture.hpp"
#include "process.hpp"

namespace foci {
namespace {

using testing::box_centres;
using testing::paint_boxes;
using testing::SyntheticHeader;
using testing::TempDir;
using testing::write_synthetic_nifti;

// 1 mm, RAS storage: voxel i grows towards the right.
Affine ras_1mm() { return Affine::from_rows({{{1, 0, 0, -40}, {0, 1, 0, -40}, {0, 0, 1, -40}}}); }
// 2 mm, LAS storage (FSL's layout): voxel i grows towards the left.
Affine las_2mm() { return Affine::from_rows({{{-2, 0, 0, 40}, {0, 2, 0, -40}, {0, 0, 2, -40}}}); }
// 1 mm, LAS storage.
Affine las_1mm() { return Affine::from_rows({{{-1, 0, 0, 40}, {0, 1, 0, -40}, {0, 0, 1, -40}}}); }

class AtlasNiftiIo : public ::testing::Test {
 protected:
  void expect_boxes_found(const LabelVolume& volume) {
    const auto centres = box_centres();
    for (int n = 0; n < 3; ++n) {
      EXPECT_EQ(volume.label_at(centres[n]), n + 1) << "box " << n + 1;
      // 3 mm inside each face of the 8 mm box is still inside.
      EXPECT_EQ(volume.label_at(centres[n] + Vec3{3, -3, 3}), n + 1) << "box " << n + 1;
    }
    // Mirror images of the boxes are empty, so a left-right flip cannot pass.
    EXPECT_EQ(volume.label_at({30, 10, 20}), 0);
    EXPECT_EQ(volume.label_at({-30, -20, -10}), 0);
    EXPECT_EQ(volume.label_at({0, 0, 0}), 0);
  }
  TempDir dir_;
};

TEST_F(AtlasNiftiIo, SformOnlyRasStorage1mm) {
  SyntheticHeader h;
  h.size = {81, 81, 81};
  h.sform = ras_1mm();
  const std::string path = dir_.path("ras1.nii.gz");
  write_synthetic_nifti(path, h, paint_boxes(ras_1mm()));
  const auto o = read_nifti_orientation(path);
  EXPECT_EQ(o.source, OrientationSource::sform);
  expect_boxes_found(read_label_volume(path));
}

TEST_F(AtlasNiftiIo, ACompressedVolumeIsHeldInExactlyItsVoxels) {
  // Grown by doubling as it was read, an 81^3 volume held room for 1048576 labels; a 1 mm
  // atlas held 34 MB for 28 MB of labels in every figure and batch worker.
  SyntheticHeader h;
  h.size = {81, 81, 81};
  h.sform = ras_1mm();
  const std::string path = dir_.path("exact.nii.gz");
  write_synthetic_nifti(path, h, paint_boxes(ras_1mm()));
  const auto volume = read_label_volume(path);
  EXPECT_EQ(volume.labels.size(), 81u * 81u * 81u);
  EXPECT_EQ(volume.labels.capacity(), volume.labels.size());
}

TEST_F(AtlasNiftiIo, SformOnlyLasStorage2mm) {
  SyntheticHeader h;
  h.size = {41, 41, 41};
  h.sform = las_2mm();
  const std::string path = dir_.path("las2.nii.gz");
  write_synthetic_nifti(path, h, paint_boxes(las_2mm()));
  const auto volume = read_label_volume(path);
  expect_boxes_found(volume);
  EXPECT_DOUBLE_EQ(volume.voxel_volume_mm3(), 8.0);
}

// ITK 5.2 refuses such a header ("ITK only supports orthonormal direction cosines"), though
// the standard allows it and nibabel reads it; foci reads the voxels another way.
TEST_F(AtlasNiftiIo, SformWithPixdimThatDisagreesStillReads_ItkOrthonormalRefusal) {
  SyntheticHeader h;
  h.size = {41, 41, 41};
  h.sform = las_2mm();
  h.pixdim = std::array<double, 3>{1, 1, 1};
  const std::string path = dir_.path("pixdim-mismatch.nii.gz");
  write_synthetic_nifti(path, h, paint_boxes(las_2mm()));
  expect_boxes_found(read_label_volume(path));
}

TEST_F(AtlasNiftiIo, QformOnlyRasStorage2mm) {
  const Affine truth = Affine::from_rows({{{2, 0, 0, -40}, {0, 2, 0, -40}, {0, 0, 2, -40}}});
  SyntheticHeader h;
  h.size = {41, 41, 41};
  h.qform = truth;
  const std::string path = dir_.path("q2.nii");
  write_synthetic_nifti(path, h, paint_boxes(truth));
  EXPECT_EQ(read_nifti_orientation(path).source, OrientationSource::qform);
  expect_boxes_found(read_label_volume(path));
}

TEST_F(AtlasNiftiIo, QformOnlyLasStorage1mm) {
  SyntheticHeader h;
  h.size = {81, 81, 81};
  h.qform = las_1mm();
  const std::string path = dir_.path("q1las.nii.gz");
  write_synthetic_nifti(path, h, paint_boxes(las_1mm()));
  EXPECT_EQ(read_nifti_orientation(path).source, OrientationSource::qform);
  expect_boxes_found(read_label_volume(path));
}

// The Harvard-Oxford bug: Debian's file has a qform with the wrong offsets and a right
// sform. Readers that prefer the qform (ITK 5.2) put every label in the wrong place.
TEST_F(AtlasNiftiIo, SformWinsOverDisagreeingQform_HarvardOxfordBug) {
  SyntheticHeader h;
  h.size = {81, 81, 81};
  h.sform = las_1mm();
  h.qform = Affine::from_rows({{{-1, 0, 0, 40}, {0, 1, 0, 0}, {0, 0, 1, 0}}});
  const std::string path = dir_.path("disagree.nii.gz");
  write_synthetic_nifti(path, h, paint_boxes(las_1mm()));
  const auto o = read_nifti_orientation(path);
  EXPECT_EQ(o.source, OrientationSource::sform);
  EXPECT_GT(o.qform_code, 0);
  EXPECT_FALSE(o.qform.near(o.sform, 1.0)) << "the fixture must really disagree";
  expect_boxes_found(read_label_volume(path));
}

TEST_F(AtlasNiftiIo, PixdimOnlyWhenNeitherFormIsSet) {
  SyntheticHeader h;
  h.size = {30, 30, 30};
  h.pixdim = std::array<double, 3>{2, 2, 2};
  const std::string path = dir_.path("pixdim.nii");
  // Method 1 of the standard: x = pixdim * index, no offset; paint one voxel.
  write_synthetic_nifti(path, h, [](int i, int j, int k) { return i == 5 && j == 6 && k == 7; });
  EXPECT_EQ(read_nifti_orientation(path).source, OrientationSource::pixdim);
  const auto volume = read_label_volume(path);
  EXPECT_EQ(volume.label_at({10, 12, 14}), 1);
  EXPECT_EQ(volume.label_at({12, 12, 14}), 0);
}

TEST_F(AtlasNiftiIo, RoundTripThroughWrittenNiftiGz) {
  SyntheticHeader h;
  h.size = {41, 41, 41};
  h.sform = las_2mm();
  const std::string source = dir_.path("source.nii.gz");
  write_synthetic_nifti(source, h, paint_boxes(las_2mm()));
  const auto original = read_label_volume(source);

  const std::string copy = dir_.path("copy.nii.gz");
  write_label_volume(original, copy);
  const auto o = read_nifti_orientation(copy);
  EXPECT_EQ(o.sform_code, NIFTI_XFORM_MNI_152);
  EXPECT_EQ(o.qform_code, NIFTI_XFORM_MNI_152);
  EXPECT_TRUE(o.sform.near(las_2mm(), 1e-5));
  EXPECT_TRUE(o.qform.near(las_2mm(), 1e-4)) << "qform must say the same as the sform";
  const auto reread = read_label_volume(copy);
  EXPECT_EQ(reread.labels, original.labels);
  expect_boxes_found(reread);
  // No temporary file is left beside the output.
  int files = 0;
  for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator(dir_.root())) ++files;
  EXPECT_EQ(files, 2);
}

// Small integer storage is read straight as labels when unscaled, through the scaling
// otherwise; both must give the stored value (x slope + intercept), negative ones included.
TEST_F(AtlasNiftiIo, SmallIntegerStorageScaledOrNotGivesTheStoredLabels) {
  for (const int datatype : {NIFTI_TYPE_UINT8, NIFTI_TYPE_INT8, NIFTI_TYPE_INT16, NIFTI_TYPE_UINT16}) {
    const bool is_signed = datatype == NIFTI_TYPE_INT8 || datatype == NIFTI_TYPE_INT16;
    const auto stored = [is_signed](int i, int j, int k) -> double {
      return (i + 3 * j + 7 * k) % 11 - (is_signed ? 5 : 0);
    };
    for (const auto& [slope, inter] : std::vector<std::pair<double, double>>{{0, 0}, {1, 0}, {2, 1}}) {
      SyntheticHeader h;
      h.size = {9, 8, 7};
      h.sform = ras_1mm();
      h.datatype = datatype;
      h.scl_slope = slope;
      h.scl_inter = inter;
      const std::string path = dir_.path("small.nii.gz");
      write_synthetic_nifti(path, h, stored);
      const auto volume = read_label_volume(path);
      ASSERT_EQ(volume.labels.size(), 9u * 8 * 7);
      for (int k = 0; k < 7; ++k)
        for (int j = 0; j < 8; ++j)
          for (int i = 0; i < 9; ++i) {
            const double want = slope == 0 ? stored(i, j, k) : stored(i, j, k) * slope + inter;
            ASSERT_EQ(volume.labels[i + 9 * (j + 8 * k)], static_cast<std::int32_t>(want))
                << "datatype " << datatype << " slope " << slope << " at " << i << "," << j << ","
                << k;
          }
    }
  }
}

TEST_F(AtlasNiftiIo, FloatStorageWithWholeNumbersIsAccepted) {
  SyntheticHeader h;
  h.size = {81, 81, 81};
  h.sform = ras_1mm();
  h.datatype = NIFTI_TYPE_FLOAT32;
  const std::string path = dir_.path("float.nii.gz");
  write_synthetic_nifti(path, h, paint_boxes(ras_1mm()));
  expect_boxes_found(read_label_volume(path));
}

TEST_F(AtlasNiftiIo, FloatStorageWithFractionsIsRefused) {
  SyntheticHeader h;
  h.size = {4, 4, 4};
  h.sform = ras_1mm();
  h.datatype = NIFTI_TYPE_FLOAT32;
  const std::string path = dir_.path("prob.nii.gz");
  write_synthetic_nifti(path, h, [](int, int, int) { return 0.25; });
  try {
    read_label_volume(path);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::input);
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("not a label number"), std::string::npos) << e.what();
  }
}

TEST_F(AtlasNiftiIo, MissingFileNamesTheFile) {
  const std::string path = dir_.path("absent.nii.gz");
  try {
    read_label_volume(path);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::input);
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("no such file"), std::string::npos);
  }
}

TEST_F(AtlasNiftiIo, CorruptFileNamesTheFile) {
  for (const char* name : {"junk.nii.gz", "junk.nii"}) {
    const std::string path = dir_.path(name);
    testing::write_text(path, std::string(400, 'x'));
    try {
      read_label_volume(path);
      FAIL() << "expected an error for " << name;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ExitCode::input);
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    }
  }
}

// ITK's reader (through nifti_image_load) fills the missing voxels of a short file with
// zeros and carries on: labels would silently vanish.
TEST_F(AtlasNiftiIo, TruncatedVoxelDataIsAnError_ItkZeroFillBug) {
  for (const std::string extension : {".nii", ".nii.gz"}) {
    SyntheticHeader h;
    h.size = {41, 41, 41};
    h.sform = las_2mm();
    const std::string full = dir_.path("full" + extension);
    write_synthetic_nifti(full, h, paint_boxes(las_2mm()));
    const std::string cut = dir_.path("cut" + extension);
    std::filesystem::copy_file(full, cut);
    std::filesystem::resize_file(cut, std::filesystem::file_size(full) * 2 / 3);
    try {
      read_label_volume(cut);
      ADD_FAILURE() << "expected an error for " << cut;
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ExitCode::input);
      EXPECT_NE(std::string(e.what()).find(cut), std::string::npos) << e.what();
    }
  }
}

TEST_F(AtlasNiftiIo, FourDimensionalImageIsRefused) {
  const int dims[8] = {4, 3, 3, 3, 2, 1, 1, 1};
  nifti_image* image = nifti_make_new_nim(dims, NIFTI_TYPE_INT32, 1);
  const std::string path = dir_.path("4d.nii");
  nifti_set_filenames(image, path.c_str(), 0, 1);
  nifti_image_write(image);
  nifti_image_free(image);
  try {
    read_label_volume(path);
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("3-D"), std::string::npos) << e.what();
  }
}

/// Writes a small valid image, changes `bytes` of its header at `offset`, and saves it as
/// `name` (gzip-compressed when the name ends in .gz): headers no writer would make.
std::string patched_nifti(const TempDir& dir, const std::string& name, std::size_t offset,
                          const std::string& bytes, std::array<int, 3> size = {4, 4, 4}) {
  SyntheticHeader h;
  h.size = size;
  h.sform = ras_1mm();
  const std::string plain = dir.path("plain-" + name + ".nii");
  write_synthetic_nifti(plain, h, [](int i, int, int) { return i; });
  std::string content = testing::slurp(plain);
  content.replace(offset, bytes.size(), bytes);
  const std::string path = dir.path(name);
  if (name.size() > 3 && name.substr(name.size() - 3) == ".gz") {
    testing::write_gzipped(path, content);
  } else {
    testing::write_text(path, content);
  }
  return path;
}

template <typename T>
std::string bytes_of(T value) {
  return std::string(reinterpret_cast<const char*>(&value), sizeof value);
}

/// The message of the input error reading `path` throws.
std::string refusal_of(const std::string& path) {
  try {
    read_label_volume(path);
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::input);
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "accepted " << path;
  return "";
}

constexpr std::size_t kDimOffset = 40, kPixdimOffset = 76, kQuaternOffset = 256, kSrowOffset = 280;

TEST_F(AtlasNiftiIo, AZeroOrNegativeDimensionIsRefused) {
  // The NIfTI library turns such a dimension into 1, so the image loaded as an empty atlas.
  for (const char* extension : {".nii", ".nii.gz"}) {
    for (const short value : {0, -5}) {
      for (int d = 1; d <= 3; ++d) {
        const std::string name =
            "dim" + std::to_string(d) + "_" + std::to_string(value) + extension;
        const std::string path =
            patched_nifti(dir_, name, kDimOffset + 2 * d, bytes_of<std::int16_t>(value));
        EXPECT_NE(
            refusal_of(path).find("dimension " + std::to_string(d) + " of the header is " +
                                  std::to_string(value) + "; every dimension must be at least 1"),
            std::string::npos)
            << name;
      }
    }
  }
}

TEST_F(AtlasNiftiIo, NanInTheOrientingFormIsRefusedNotReplaced) {
  // A NaN in the sform used to fall back silently to the qform or pixdim.
  const float nan = std::numeric_limits<float>::quiet_NaN();
  const std::string sform = patched_nifti(dir_, "sform.nii", kSrowOffset + 4, bytes_of(nan));
  EXPECT_NE(refusal_of(sform).find("the sform (sform_code 4) holds NaN or infinity"),
            std::string::npos);
  EXPECT_THROW(read_nifti_orientation(sform), Error);

  SyntheticHeader h;
  h.size = {4, 4, 4};
  h.qform = ras_1mm();
  const std::string qform_source = dir_.path("qform-source.nii");
  write_synthetic_nifti(qform_source, h, [](int, int, int) { return 1; });
  std::string content = testing::slurp(qform_source);
  content.replace(kQuaternOffset, 4, bytes_of(nan));
  testing::write_text(dir_.path("qform.nii"), content);
  EXPECT_NE(refusal_of(dir_.path("qform.nii"))
                .find("the qform (qform_code 1: quaternion, offsets and pixdim) holds NaN"),
            std::string::npos);

  SyntheticHeader none;
  none.size = {4, 4, 4};
  const std::string pixdim_source = dir_.path("pixdim-source.nii");
  write_synthetic_nifti(pixdim_source, none, [](int, int, int) { return 1; });
  content = testing::slurp(pixdim_source);
  content.replace(kPixdimOffset + 8, 4, bytes_of(nan));
  testing::write_text(dir_.path("pixdim.nii"), content);
  EXPECT_NE(refusal_of(dir_.path("pixdim.nii")).find("pixdim"), std::string::npos);
}

TEST_F(AtlasNiftiIo, AHeaderClaimingMoreThanTheVoxelLimitIsRefusedBeforeAllocating) {
  // A 1 MB .nii.gz claiming 1024^3 voxels used to allocate 5.3 GB before reading a voxel.
  std::string dims = bytes_of<std::int16_t>(3);
  for (int d = 0; d < 3; ++d) dims += bytes_of<std::int16_t>(1024);
  const std::string path = patched_nifti(dir_, "huge.nii.gz", kDimOffset, dims);
  const long before = testing::peak_rss_kib();
  EXPECT_NE(refusal_of(path).find("the header claims 1024 x 1024 x 1024 = 1073741824 voxels, "
                                  "more than foci reads (134217728, 512^3)"),
            std::string::npos);
  EXPECT_LT(testing::peak_rss_kib() - before, 64 * 1024) << "KiB more at the peak";
  EXPECT_EQ(kMaxVoxels, 512u * 512u * 512u);
}

TEST_F(AtlasNiftiIo, ACompressedFileShortOfItsClaimFailsAsItsDataRunsOut) {
  // 512^3 voxels claimed (512 MB of int32), 64^3 held: nothing is allocated for the rest.
  std::string dims = bytes_of<std::int16_t>(3);
  for (int d = 0; d < 3; ++d) dims += bytes_of<std::int16_t>(512);
  const std::string path = patched_nifti(dir_, "short.nii.gz", kDimOffset, dims, {64, 64, 64});
  const long before = testing::peak_rss_kib();
  EXPECT_NE(refusal_of(path).find("the file ends after 1048576 of its 536870912 bytes"),
            std::string::npos);
  EXPECT_LT(testing::peak_rss_kib() - before, 64 * 1024) << "KiB more at the peak";
}

TEST_F(AtlasNiftiIo, AnUncompressedFileShorterThanItsHeaderSaysIsRefusedBeforeReading) {
  std::string dims = bytes_of<std::int16_t>(3);
  for (int d = 0; d < 3; ++d) dims += bytes_of<std::int16_t>(100);
  const std::string path = patched_nifti(dir_, "short.nii", kDimOffset, dims);
  EXPECT_NE(refusal_of(path).find("the header claims 100 x 100 x 100 voxels of 4 byte(s) from "
                                  "byte 352, 4000352 bytes in all, but the file has 608"),
            std::string::npos);
}

TEST_F(AtlasNiftiIo, TheNiftiLibraryPrintsNothingOfItsOwn) {
  // "** ERROR: nifti_convert_nhdr2nim: bad dim[1]" used to precede foci's message on stderr.
  const std::string path =
      patched_nifti(dir_, "dim1.nii", kDimOffset + 2, bytes_of<std::int16_t>(0));
  const std::string captured = dir_.path("stderr.txt");
  std::fflush(stderr);
  const int saved = dup(2);
  const int file = open(captured.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  dup2(file, 2);
  close(file);
  EXPECT_THROW(read_label_volume(path), Error);
  EXPECT_THROW(read_nifti_orientation(path), Error);
  std::fflush(stderr);
  dup2(saved, 2);
  close(saved);
  EXPECT_EQ(testing::slurp(captured), "");
}

TEST_F(AtlasNiftiIo, OnlySingleFileNifti1IsRead) {
  EXPECT_NE(refusal_of(patched_nifti(dir_, "pair.nii", 344, std::string("ni1\0", 4)))
                .find("the header of a .hdr/.img pair"),
            std::string::npos);
  EXPECT_NE(refusal_of(patched_nifti(dir_, "nifti2.nii", 0, bytes_of<std::int32_t>(540)))
                .find("a NIfTI-2 image"),
            std::string::npos);
  EXPECT_NE(refusal_of(patched_nifti(dir_, "nomagic.nii", 344, std::string(4, 'x')))
                .find("no \"n+1\" magic"),
            std::string::npos);
}

TEST_F(AtlasNiftiIo, WritingIntoAMissingDirectoryIsAnOutputError) {
  LabelVolume volume;
  volume.size = {2, 2, 2};
  volume.labels.assign(8, 1);
  set_voxel_to_world(volume, ras_1mm());
  try {
    write_label_volume(volume, dir_.path("no/such/dir/out.nii.gz"));
    FAIL() << "expected an error";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::output);
    EXPECT_NE(std::string(e.what()).find("out.nii.gz"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace foci
