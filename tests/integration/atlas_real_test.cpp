// The real atlases of Debian's mricron-data. Known answers come from sources independent of
// foci: FSL's published reference voxels (one inside each structure, in FSL's own grids) and
// Mayka et al. (2006)'s primary motor cortex centroid. Skipped with a message when the
// package is absent; CI installs it.
#include <gtest/gtest.h>
#include <zlib.h>

#include <cstring>
#include <filesystem>
#include <random>

#include "atlas/atlas.hpp"

namespace foci {
namespace {

const char* const kTemplates = "/usr/share/mricron/templates";

bool have_mricron_data() {
  return std::filesystem::exists(std::string(kTemplates) + "/aal.nii.gz");
}

#define REQUIRE_MRICRON_DATA()                                             \
  if (!have_mricron_data())                                                \
  GTEST_SKIP() << "mricron-data is not installed (" << kTemplates << "); " \
               << "apt-get install mricron-data to run the real-atlas tests"

struct Expectation {
  Vec3 mni;
  const char* name;
};

// FSL HarvardOxford-Subcortical.xml reference voxels, 2 mm grid, mapped by FSL's sform
// (x = -2i + 90, y = 2j - 126, z = 2k - 72): each lies inside the named structure.
const Expectation kSubcortical[] = {
    {{-28, -18, -18}, "Hippocampus_L"}, {{28, -12, -22}, "Hippocampus_R"},
    {{-24, -4, -18}, "Amygdala_L"},     {{26, 0, -22}, "Amygdala_R"},
    {{-12, -24, 6}, "Thalamus_L"},      {{14, -24, 6}, "Thalamus_R"},
    {{-22, 8, -4}, "Putamen_L"},        {{22, 10, -4}, "Putamen_R"},
    {{-12, 16, 4}, "Caudate_L"},        {{12, 18, 2}, "Caudate_R"},
    {{-18, -2, -2}, "Pallidum_L"},      {{20, -4, -2}, "Pallidum_R"},
};

TEST(AtlasReal, AalPutsSubcorticalReferencePointsInTheRightLabels) {
  REQUIRE_MRICRON_DATA();
  const Atlas aal = Atlas::load(find_atlas_manifest("aal"));
  for (const auto& e : kSubcortical) {
    const auto hit = aal.lookup(e.mni);
    EXPECT_EQ(aal.label_name(hit.label), e.name) << e.mni.x << "," << e.mni.y << "," << e.mni.z;
  }
}

TEST(AtlasReal, PrimaryMotorCortexIsPrecentralOnTheRightSide) {
  REQUIRE_MRICRON_DATA();
  // Mayka, Corcos, Leurgans, Vaillancourt (2006), NeuroImage 31:1453: M1 at (+/-37, -21, 58).
  const Atlas aal = Atlas::load(find_atlas_manifest("aal"));
  EXPECT_EQ(aal.label_name(aal.lookup({-37, -21, 58}).label), "Precentral_L");
  EXPECT_EQ(aal.label_name(aal.lookup({37, -21, 58}).label), "Precentral_R");
  const Atlas ho = Atlas::load(find_atlas_manifest("ho-cort"));
  EXPECT_EQ(ho.label_name(ho.lookup({-37, -21, 58}).label), "Precentral Gyrus");
  const Atlas ba = Atlas::load(find_atlas_manifest("brodmann"));
  EXPECT_EQ(ba.label_name(ba.lookup({37, -21, 58}).label), "BA4");
}

// FSL HarvardOxford-Cortical.xml reference voxels (2 mm grid, FSL's sform): expected label,
// MNI point. Read through ITK alone (qform), this atlas answers wrongly for nearly all.
const struct {
  int label;
  Vec3 mni;
} kCortical[] = {
    {1, {-6, 62, -2}},      // Frontal Pole
    {2, {40, 14, -8}},      // Insular Cortex
    {3, {24, 20, 54}},      // Superior Frontal Gyrus
    {4, {40, 18, 38}},      // Middle Frontal Gyrus
    {5, {50, 28, 8}},       // Inferior Frontal Gyrus, pars triangularis
    {6, {50, 16, 22}},      // Inferior Frontal Gyrus, pars opercularis
    {7, {2, -24, 64}},      // Precentral Gyrus
    {8, {-32, 12, -38}},    // Temporal Pole
    {9, {-56, -8, -8}},     // Superior Temporal Gyrus, anterior division
    {10, {-60, -22, -2}},   // Superior Temporal Gyrus, posterior division
    {11, {-58, -8, -20}},   // Middle Temporal Gyrus, anterior division
    {12, {62, -24, -12}},   // Middle Temporal Gyrus, posterior division
    {13, {-54, -56, 4}},    // Middle Temporal Gyrus, temporooccipital part
    {14, {46, -4, -40}},    // Inferior Temporal Gyrus, anterior division
    {15, {-50, -42, -20}},  // Inferior Temporal Gyrus, posterior division
    {16, {-50, -56, -14}},  // Inferior Temporal Gyrus, temporooccipital part
    {17, {-14, -42, 66}},   // Postcentral Gyrus
    {18, {34, -48, 54}},    // Superior Parietal Lobule
    {19, {-56, -30, 34}},   // Supramarginal Gyrus, anterior division
    {20, {-54, -48, 30}},   // Supramarginal Gyrus, posterior division
    {21, {48, -52, 38}},    // Angular Gyrus
    {22, {-30, -70, 42}},   // Lateral Occipital Cortex, superior division
    {23, {-46, -70, 4}},    // Lateral Occipital Cortex, inferior division
    {24, {-4, -80, 8}},     // Intracalcarine Cortex
    {25, {0, 42, -18}},     // Frontal Medial Cortex
    {26, {0, 0, 54}},       // Juxtapositional Lobule Cortex (formerly Supplementary Motor Cortex)
    {27, {-2, 22, -18}},    // Subcallosal Cortex
    {28, {0, 34, 32}},      // Paracingulate Gyrus
    {29, {0, -4, 42}},      // Cingulate Gyrus, anterior division
    {30, {2, -42, 36}},     // Cingulate Gyrus, posterior division
    {31, {0, -64, 38}},     // Precuneous Cortex
    {32, {0, -80, 26}},     // Cuneal Cortex
    {33, {40, 28, -14}},    // Frontal Orbital Cortex
    {34, {-24, -2, -36}},   // Parahippocampal Gyrus, anterior division
    {35, {-26, -36, -16}},  // Parahippocampal Gyrus, posterior division
    {36, {8, -82, -6}},     // Lingual Gyrus
    {37, {-34, -4, -42}},   // Temporal Fusiform Cortex, anterior division
    {38, {-38, -32, -24}},  // Temporal Fusiform Cortex, posterior division
    {39, {-34, -52, -14}},  // Temporal Occipital Fusiform Cortex
    {40, {24, -80, -12}},   // Occipital Fusiform Gyrus
    {41, {-42, 22, 2}},     // Frontal Operculum Cortex
    {42, {52, -4, 8}},      // Central Opercular Cortex
    {43, {56, -26, 22}},    // Parietal Operculum Cortex
    {44, {50, -6, 0}},      // Planum Polare
    {45, {-44, -22, 6}},    // Heschl's Gyrus (includes H1 and H2)
    {46, {-58, -20, 8}},    // Planum Temporale
    {47, {2, -84, 12}},     // Supracalcarine Cortex
    {48, {16, -96, -4}},    // Occipital Pole
};

TEST(AtlasReal, HarvardOxfordPutsEveryFslReferenceVoxelInItsLabel) {
  REQUIRE_MRICRON_DATA();
  const Atlas ho = Atlas::load(find_atlas_manifest("ho-cort"));
  EXPECT_EQ(ho.orientation_note(), "sform");
  int checked = 0;
  for (const auto& e : kCortical) {
    EXPECT_EQ(ho.lookup(e.mni).label, e.label) << ho.label_name(e.label);
    ++checked;
  }
  EXPECT_EQ(checked, 48);
}

// The Debian JHU file keeps FSL's voxel order under a header that mirrors it. FSL's
// JHU-labels.xml reference voxels (1 mm grid, x = -i + 90, y = j - 126, z = k - 72) must land in
// their labels, the right-sided ones at x > 0.
TEST(AtlasReal, JhuWhiteMatterSidesFollowFslReferenceVoxels_MirroredHeaderBug) {
  REQUIRE_MRICRON_DATA();
  const Atlas jhu = Atlas::load(find_atlas_manifest("jhu-wm"));
  EXPECT_NE(jhu.orientation_note().find("manifest correction"), std::string::npos);
  const Expectation tracts[] = {{{35, 1, -18}, "Uncinate_fasciculus_R"},
                                {{-33, -1, -14}, "Uncinate_fasciculus_L"},
                                {{30, -48, 14}, "Tapetum_R"},
                                {{-27, -50, 15}, "Tapetum_L"}};
  for (const auto& e : tracts) {
    const auto hit = jhu.lookup(e.mni);
    EXPECT_EQ(jhu.label_name(hit.label), e.name);
    EXPECT_EQ(jhu.hit_hemisphere(hit), e.mni.x > 0 ? Hemisphere::right : Hemisphere::left);
  }
  for (const auto& r : jhu.region_stats()) {
    if (r.hemisphere == Hemisphere::left) {
      EXPECT_LT(r.centroid.x, 0) << r.name;
    } else if (r.hemisphere == Hemisphere::right) {
      EXPECT_GT(r.centroid.x, 0) << r.name;
    }
  }
}

TEST(AtlasReal, AalRegionsHaveVoxelsAndSides) {
  REQUIRE_MRICRON_DATA();
  const Atlas aal = Atlas::load(find_atlas_manifest("aal"));
  const auto regions = aal.region_stats();
  ASSERT_EQ(regions.size(), 116u);
  for (const auto& r : regions) {
    EXPECT_GT(r.voxels, 0u) << r.name;
    if (r.hemisphere == Hemisphere::left) {
      EXPECT_LT(r.centroid.x, 0) << r.name;
    } else if (r.hemisphere == Hemisphere::right) {
      EXPECT_GT(r.centroid.x, 0) << r.name;
    }
    if (r.name == "Hippocampus_L") {
      EXPECT_GT(r.volume_mm3, 5000);
      EXPECT_LT(r.volume_mm3, 12000);
    }
  }
}

TEST(AtlasReal, HarvardOxfordAndAichaAgreeWithAalOnSide) {
  REQUIRE_MRICRON_DATA();
  const Atlas aal = Atlas::load(find_atlas_manifest("aal"));
  for (const char* other_name : {"ho-cort", "aicha"}) {
    const Atlas other = Atlas::load(find_atlas_manifest(other_name));
    int compared = 0, points = 0;
    for (const auto& r : aal.region_stats()) {
      if (r.hemisphere != Hemisphere::left && r.hemisphere != Hemisphere::right) continue;
      if (std::abs(r.centroid.x) < 10 || aal.lookup(r.centroid).label != r.label) continue;
      ++points;
      const auto hit = other.lookup(r.centroid);
      if (hit.label == 0) continue;  // cortical atlas, subcortical point: nothing to compare
      ++compared;
      EXPECT_EQ(other.hit_hemisphere(hit), r.hemisphere) << other_name << " at " << r.name;
    }
    EXPECT_GT(points, 50);
    EXPECT_GT(compared, points / 2) << other_name << " labels too few AAL centroids";
  }
}

// An affine computation that shares nothing with foci's reader: the header bytes are read
// here with zlib, the sform rows taken straight from their offsets, the voxels from
// vox_offset. Random voxels (and random points inside them) must get the same label.
struct RawNifti {
  int nx = 0, ny = 0, nz = 0;
  float srow[3][4]{};
  std::vector<unsigned char> voxels;  // all the Debian atlases store uint8
};

RawNifti read_raw(const std::string& path) {
  gzFile f = gzopen(path.c_str(), "rb");
  std::vector<unsigned char> bytes;
  unsigned char buffer[1 << 16];
  int n;
  while ((n = gzread(f, buffer, sizeof buffer)) > 0) bytes.insert(bytes.end(), buffer, buffer + n);
  gzclose(f);
  RawNifti raw;
  std::int16_t dim[8], datatype;
  float vox_offset;
  std::memcpy(dim, &bytes[40], sizeof dim);
  std::memcpy(&datatype, &bytes[70], sizeof datatype);
  std::memcpy(&vox_offset, &bytes[108], sizeof vox_offset);
  std::memcpy(raw.srow, &bytes[280], sizeof raw.srow);
  EXPECT_EQ(datatype, 2) << path;
  raw.nx = dim[1], raw.ny = dim[2], raw.nz = dim[3];
  const auto start = bytes.begin() + static_cast<long>(vox_offset);
  raw.voxels.assign(start, start + static_cast<long>(raw.nx) * raw.ny * raw.nz);
  return raw;
}

TEST(AtlasReal, RandomPointsAgreeWithAnIndependentAffineComputation) {
  REQUIRE_MRICRON_DATA();
  std::mt19937 random(20261123);
  for (const char* name : {"aal", "ho-cort", "aicha", "brodmann", "jhu-wm"}) {
    const Atlas atlas = Atlas::load(find_atlas_manifest(name));
    RawNifti raw = read_raw(locate_atlas_file(atlas.manifest(), atlas.manifest().volume_file));
    if (std::string(name) == "jhu-wm") {
      // Its header is known to be wrong (see atlases/README.md); FSL's MNI152 1 mm sform
      // is the truth for its voxels.
      const float fsl[3][4] = {{-1, 0, 0, 90}, {0, 1, 0, -126}, {0, 0, 1, -72}};
      std::memcpy(raw.srow, fsl, sizeof fsl);
    }
    std::uniform_int_distribution<int> pick_i(0, raw.nx - 1), pick_j(0, raw.ny - 1),
        pick_k(0, raw.nz - 1);
    std::uniform_real_distribution<double> jitter(-0.45, 0.45);
    int in_brain = 0;
    for (int n = 0; n < 200000 && in_brain < 2000; ++n) {
      const int i = pick_i(random), j = pick_j(random), k = pick_k(random);
      const int expected = raw.voxels[i + static_cast<std::size_t>(raw.nx) * (j + raw.ny * k)];
      if (expected == 0 && n % 10 != 0) continue;  // mostly in-brain points, some background
      in_brain += expected != 0;
      const double c[3] = {i + jitter(random), j + jitter(random), k + jitter(random)};
      double w[3];
      for (int r = 0; r < 3; ++r) {
        w[r] =
            raw.srow[r][0] * c[0] + raw.srow[r][1] * c[1] + raw.srow[r][2] * c[2] + raw.srow[r][3];
      }
      ASSERT_EQ(atlas.lookup({w[0], w[1], w[2]}).label, expected)
          << name << " voxel " << i << "," << j << "," << k;
    }
    EXPECT_EQ(in_brain, 2000) << name;
  }
}

}  // namespace
}  // namespace foci
