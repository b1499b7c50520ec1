// Region names as papers write them: side words in two languages, aliases, suggestions,
// and the atlas labels a region stands for.
#include <gtest/gtest.h>


#include "atlas/lexicon.hpp"
#include "core/error.hpp"
#include "nifti_fixture.hpp"

namespace foci {
namespace {

TEST(AtlasLexiconSides, ChineseAndEnglishSideWords) {
  const struct {
    const char* written;
    std::optional<Hemisphere> side;
    const char* name;
  } cases[] = {
      {"右侧海马", Hemisphere::right, "海马"},
      {"左侧背外侧额上回", Hemisphere::left, "背外侧额上回"},
      {"双侧杏仁核", Hemisphere::bilateral, "杏仁核"},
      {"左眶额皮质", Hemisphere::left, "眶额皮质"},
      {"right hippocampus", Hemisphere::right, "hippocampus"},
      {"R. hippocampus", Hemisphere::right, "hippocampus"},
      {"L DLPFC", Hemisphere::left, "DLPFC"},
      {"HIP.R", Hemisphere::right, "HIP"},
      {"Hippocampus_L", Hemisphere::left, "Hippocampus"},
      {"amygdala (left)", Hemisphere::left, "amygdala"},
      {"bilateral insula", Hemisphere::bilateral, "insula"},
      {"subgenual ACC", std::nullopt, "subgenual ACC"},
      {"左", std::nullopt, "左"},
      {"额下回左侧三角形部分", Hemisphere::left, "额下回三角形部分"},
      {"大脑左半球", Hemisphere::left, "大脑半球"},
  };
  for (const auto& c : cases) {
    const auto split = split_side(c.written);
    EXPECT_EQ(split.hemisphere, c.side) << c.written;
    EXPECT_EQ(split.name, c.name) << c.written;
  }
}

TEST(AtlasLexiconSides, KeysIgnoreCaseSpacingAndSeparators) {
  EXPECT_EQ(RegionLexicon::key_of("Frontal_Sup_Orb"), "frontal sup orb");
  EXPECT_EQ(RegionLexicon::key_of("  Superior  frontal-gyrus, "), "superior frontal gyrus");
  EXPECT_EQ(RegionLexicon::key_of("颞极：颞上回"), RegionLexicon::key_of("颞极-颞上回"));
}

TEST(AtlasLexiconSides, KeysOfMegabyteNamesAreComputed) {
  // Leading punctuation was removed one character at a time, and each full-width mark
  // replaced by a search from the start: quadratic in the length of the name, hours for these
  // names, far past ctest's time limit. (Speed itself is not asserted here: a timed test
  // fails on a loaded machine.)
  const std::string punctuation(2000000, '.');
  std::string marks;
  for (int n = 0; n < 300000; ++n) marks += "：a";
  EXPECT_EQ(RegionLexicon::key_of(punctuation + "Hippocampus"), "hippocampus");
  EXPECT_EQ(RegionLexicon::key_of(marks).size(), 600000u - 1);
}

TEST(AtlasLexiconDefault, AHugeNameIsNotResolvedAndGetsNoSuggestions) {
  // `foci map` took about 0.1 ms a character to give up on a long region name, most of it in
  // edit distances against every lexicon name: over an hour for this one, past ctest's time
  // limit. (Speed itself is not asserted: a timed test fails on a loaded machine.)
  const RegionLexicon lexicon = RegionLexicon::load_default();
  const std::string name = "right " + std::string(4000000, 'q') + " gyrus";
  EXPECT_FALSE(lexicon.resolve(name));
  EXPECT_TRUE(lexicon.suggest(name).empty()) << "no suggestions for a name this long";
  EXPECT_FALSE(lexicon.suggest("right hipocampus").empty()) << "short names still get them";
}

class AtlasLexiconTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto path = dir_.path("regions.json");
    testing::write_text(path, R"({"foci_lexicon": 1, "regions": [
      {"id": "hippocampus", "en": "hippocampus", "zh": "海马", "aliases": ["HIP", "海马体"],
       "atlases": {"boxes": {"labels": ["Hip"]}}},
      {"id": "dentate-gyrus", "en": "dentate gyrus", "zh": "齿状回",
       "atlases": {"boxes": {"labels": ["Hip"], "approximate": true,
                             "why": "the atlas has no hippocampal subfields"}}},
      {"id": "habenula", "en": "habenula", "zh": "缰核",
       "atlases": {"boxes": {"labels": [], "why": "too small for the atlas"}}},
      {"id": "vermis", "en": "vermis", "lateralised": false,
       "atlases": {"boxes": {"labels": ["Vermis"]}}}]})");
    lexicon_ = RegionLexicon::load(path);
  }
  Atlas atlas() const {
    LabelVolume v;
    v.size = {2, 1, 1};
    v.labels = {1, 2};
    set_voxel_to_world(v, Affine::identity());
    AtlasManifest m;
    m.name = "boxes";
    m.lateralised = true;
    return Atlas(m, v,
                 LabelTable({{1, "Hip_L", Hemisphere::left},
                             {2, "Hip_R", Hemisphere::right},
                             {3, "Vermis", std::nullopt}},
                            "t"));
  }
  testing::TempDir dir_;
  RegionLexicon lexicon_;
};

TEST_F(AtlasLexiconTest, ResolvesNamesAliasesAndSides) {
  const auto r = lexicon_.resolve("右侧海马");
  ASSERT_TRUE(r);
  EXPECT_EQ(r->region->id, "hippocampus");
  EXPECT_EQ(r->hemisphere, Hemisphere::right);
  EXPECT_EQ(lexicon_.resolve("HIP.L")->hemisphere, Hemisphere::left);
  EXPECT_EQ(lexicon_.resolve("Left Hippocampus")->region->id, "hippocampus");
  EXPECT_EQ(lexicon_.resolve("左侧齿状回")->region->id, "dentate-gyrus");
  EXPECT_EQ(lexicon_.resolve("Hip_R")->region->id, "hippocampus") << "atlas label as a name";
  const auto lhip = lexicon_.resolve("LHIP");
  ASSERT_TRUE(lhip) << "a capital L before an abbreviation is a side";
  EXPECT_EQ(lhip->hemisphere, Hemisphere::left);
  EXPECT_FALSE(lexicon_.resolve("Lhip")) << "only in all-capital abbreviations";
}

TEST_F(AtlasLexiconTest, UnknownNamesAreNotGuessedButSuggested) {
  EXPECT_FALSE(lexicon_.resolve("hipocampus"));
  EXPECT_FALSE(lexicon_.resolve("hippocampal formation"));
  const auto near = lexicon_.suggest("right hipocampus");
  ASSERT_FALSE(near.empty());
  EXPECT_EQ(near.front(), "hippocampus");
}

TEST_F(AtlasLexiconTest, LabelsFollowTheSide) {
  const Atlas a = atlas();
  const auto& hip = *lexicon_.resolve("hippocampus")->region;
  EXPECT_EQ(lexicon_.labels_in(a, hip, Hemisphere::left).size(), 1u);
  const auto right = lexicon_.labels_in(a, hip, Hemisphere::right);
  ASSERT_EQ(right.size(), 1u);
  EXPECT_EQ(right[0].name, "Hip_R");
  EXPECT_EQ(lexicon_.labels_in(a, hip, std::nullopt).size(), 2u) << "no side: both";
  EXPECT_EQ(lexicon_.labels_in(a, hip, Hemisphere::bilateral).size(), 2u);
  const auto vermis = lexicon_.labels_in(a, *lexicon_.resolve("vermis")->region, Hemisphere::left);
  ASSERT_EQ(vermis.size(), 1u) << "a midline region has no sides to choose";
  EXPECT_EQ(vermis[0].name, "Vermis");
}

TEST_F(AtlasLexiconTest, ApproximationsAndGapsSayWhy) {
  const Atlas a = atlas();
  const auto dg = lexicon_.labels_in(a, *lexicon_.resolve("dentate gyrus")->region, std::nullopt);
  ASSERT_FALSE(dg.empty());
  EXPECT_TRUE(dg[0].approximate);
  EXPECT_EQ(dg[0].why, "the atlas has no hippocampal subfields");
  try {
    lexicon_.labels_in(a, *lexicon_.resolve("habenula")->region, std::nullopt);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("too small for the atlas"), std::string::npos);
  }
}

TEST_F(AtlasLexiconTest, AnAliasOfTwoRegionsIsRefused) {
  const auto path = dir_.path("dup.json");
  testing::write_text(path, R"({"foci_lexicon": 1, "regions": [
      {"id": "a", "en": "insula", "aliases": ["INS"]},
      {"id": "b", "en": "insular cortex", "aliases": ["ins"]}]})");
  try {
    RegionLexicon::load(path);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("/regions/1"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("also a name of region 'a'"), std::string::npos);
  }
}

}  // namespace
}  // namespace foci
