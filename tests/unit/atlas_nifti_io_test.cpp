// Synthetic atlases under every header layout the Debian atlases use: the labels must come
// back at the millimetre positions they were painted at, whichever matrix holds the truth.
#include <gtest/gtest.h>

#include <filesystem>

#include <nifti1_io.h>

#include "atlas/nifti_io.hpp"
#include "core/error.hpp"
#include "nifti_fixture.hpp"

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
