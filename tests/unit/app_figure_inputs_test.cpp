// The brain template of FigureInputs is read only when a mesh needs its voxels: its mesh cache
// key comes from the header alone, and must be the key the whole volume gives, or every
// cached brain mesh would be built again under a second name.
#include <gtest/gtest.h>

#include <filesystem>

#include "app/cache.hpp"
#include "app/figure_inputs.hpp"
#include "atlas/nifti_io.hpp"
#include "core/error.hpp"
#include "nifti_fixture.hpp"

namespace foci {
namespace {

using testing::paint_boxes;
using testing::SyntheticHeader;
using testing::TempDir;
using testing::write_synthetic_nifti;

// 2 mm, LAS storage, and a qform that disagrees (the Harvard-Oxford layout): the key must
// follow the sform, as the volume does.
Affine las_2mm() { return Affine::from_rows({{{-2, 0, 0, 40}, {0, 2, 0, -40}, {0, 0, 2, -40}}}); }
Affine qform_elsewhere() {
  return Affine::from_rows({{{-2, 0, 0, 90}, {0, 2, 0, 0}, {0, 0, 2, 0}}});
}

TEST(AppFigureInputs, TheCacheKeyFromTheHeaderIsTheKeyOfTheWholeVolume) {
  const TempDir dir;
  const std::string path = dir.path("brain.nii.gz");
  SyntheticHeader header;
  header.sform = las_2mm();
  header.qform = qform_elsewhere();
  write_synthetic_nifti(path, header, paint_boxes(las_2mm()));
  EXPECT_EQ(volume_cache_key(path, read_nifti_orientation(path).chosen),
            volume_cache_key(path, read_label_volume(path)));
  // A different map is a different key (so the test above could fail).
  EXPECT_NE(volume_cache_key(path, qform_elsewhere()),
            volume_cache_key(path, read_label_volume(path)));
}

TEST(AppFigureInputs, TheBrainIsReadOnFirstUseAndKept) {
  const TempDir dir;
  FigureInputs inputs;
  inputs.brain_path = dir.path("brain.nii.gz");
  SyntheticHeader header;
  header.size = {50, 50, 50};  // -58..40, -40..58, -40..58 mm: every box inside
  header.sform = las_2mm();
  write_synthetic_nifti(inputs.brain_path, header, paint_boxes(las_2mm()));
  const RenderSettings settings = render_settings(inputs, nullptr, false);
  // Asked for through the render settings, as a mesh that is not in the cache asks for it.
  const LabelVolume& first = settings.brain();
  EXPECT_EQ(first.voxel_count(), 50u * 50u * 50u);
  EXPECT_EQ(first.label_at({-30, 10, 20}), 1);
  // Read once: the file is not needed again.
  std::filesystem::remove(inputs.brain_path);
  const LabelVolume& again = inputs.brain();
  EXPECT_EQ(&again, &first);
  EXPECT_EQ(again.label_at({30, -20, -10}), 2);
}

// A cold batch frees the brain's voxels once its meshes are built, before its workers fork;
// a brain mesh missing from the cache afterwards must still be built from the same voxels.
TEST(AppFigureInputs, ReleasedBrainVoxelsAreReadAgainWhenAMeshNeedsThem) {
  const TempDir dir;
  FigureInputs inputs;
  inputs.brain_path = dir.path("brain.nii.gz");
  SyntheticHeader header;
  header.size = {50, 50, 50};
  header.sform = las_2mm();
  write_synthetic_nifti(inputs.brain_path, header, paint_boxes(las_2mm()));
  const RenderSettings settings = render_settings(inputs, nullptr, false);
  EXPECT_EQ(settings.brain().label_at({-30, 10, 20}), 1);
  inputs.release_brain_voxels();
  const LabelVolume& again = settings.brain();
  EXPECT_EQ(again.voxel_count(), 50u * 50u * 50u);
  EXPECT_EQ(again.label_at({-30, 10, 20}), 1);
  EXPECT_EQ(again.label_at({30, -20, -10}), 2);
  // Released, they come from the file again: without it, the error names it.
  inputs.release_brain_voxels();
  std::filesystem::remove(inputs.brain_path);
  try {
    settings.brain();
    FAIL() << "released voxels were not read again";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(inputs.brain_path), std::string::npos) << e.what();
  }
}

TEST(AppFigureInputs, AMissingBrainFileIsAnErrorNamingItWhenAskedFor) {
  const TempDir dir;
  FigureInputs inputs;
  inputs.brain_path = dir.path("absent.nii.gz");
  // Nothing is read until the voxels are asked for.
  const RenderSettings settings = render_settings(inputs, nullptr, false);
  try {
    settings.brain();
    FAIL() << "no error for a missing brain template";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find(inputs.brain_path), std::string::npos) << e.what();
  }
}

// A batch frees the atlases' voxels before its workers fork; a region mesh missing from the
// cache afterwards must still be built from the same voxels.
TEST(AppFigureInputs, ReleasedAtlasVoxelsAreReadAgainWhenARegionMeshNeedsThem) {
  if (!std::filesystem::exists("/usr/share/mricron/templates/aal.nii.gz")) {
    GTEST_SKIP() << "mricron-data is not installed";
  }
  // One finding, mapped when the inputs are loaded: its answer reads the atlas's table.
  const TempDir dir;
  testing::write_text(dir.path("f.json"), R"({"foci_findings": 1, "title": "t",
    "source": {"citation": "c"}, "studies": [{"id": "s", "citation": "s"}], "findings": [
    {"id": "p", "study": "s", "measure": "ReHo", "direction": "increase", "source_anchor": "a",
     "location": {"coordinate": {"x": -38, "y": -20, "z": 56, "space": "MNI"}}}]})");
  const auto inputs = load_figure_inputs({dir.path("f.json")}, {"aal"});
  ASSERT_EQ(inputs->mapped.mapped.size(), 1u);
  const AtlasAnswer& answer = inputs->mapped.mapped[0].placements.at(0).answers.at(0);
  ASSERT_EQ(answer.name(), "Precentral_L");
  const LabelVolume before = inputs->atlas_voxels(0);
  ASSERT_EQ(before.labels.size(), before.voxel_count());
  const Vec3 left_precentral{-38, -20, 56};
  ASSERT_NE(before.label_at(left_precentral), 0);

  inputs->release_atlas_voxels();
  const Atlas& released = inputs->atlases.front();
  EXPECT_TRUE(released.volume().labels.empty());
  // What the figures still need: the grid and the table.
  EXPECT_EQ(released.volume().size, before.size);
  EXPECT_EQ(released.label_name(before.label_at(left_precentral)), "Precentral_L");
  // Answers given before still read their names (from the table, kept in place).
  EXPECT_EQ(answer.name(), "Precentral_L");
  EXPECT_EQ(answer.atlas(), "aal");

  const LabelVolume& again = inputs->atlas_voxels(0);
  EXPECT_EQ(again.labels, before.labels);
  EXPECT_TRUE(again.voxel_to_world.near(before.voxel_to_world, 1e-9));
  EXPECT_EQ(&inputs->atlas_voxels(0), &again);  // read once
}

}  // namespace
}  // namespace foci
