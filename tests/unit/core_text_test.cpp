#include <gtest/gtest.h>

#include "core/error.hpp"
#include "core/hemisphere.hpp"
#include "core/text.hpp"

namespace foci {
namespace {

TEST(CoreText, ParseFiniteDoubleIsStrict) {
  EXPECT_EQ(parse_finite_double(" -24.5 "), -24.5);
  EXPECT_EQ(parse_finite_double("+3"), 3.0);
  EXPECT_FALSE(parse_finite_double("nan"));
  EXPECT_FALSE(parse_finite_double("inf"));
  EXPECT_FALSE(parse_finite_double("12abc"));
  EXPECT_FALSE(parse_finite_double(""));
  EXPECT_FALSE(parse_finite_double("1e400")) << "overflows to infinity";
}

TEST(CoreText, StripsUtf8ByteOrderMarkAndRefusesUtf16) {
  EXPECT_EQ(strip_utf8_bom("\xEF\xBB\xBFx\ty"), "x\ty");
  EXPECT_EQ(strip_utf8_bom("x\ty"), "x\ty");
  EXPECT_EQ(strip_utf8_bom("\xEF\xBB"), "\xEF\xBB") << "half a mark is not one";
  std::string line =
      "\xEF\xBB\xBF"
      "region";
  strip_byte_order_mark(line, "t.csv");
  EXPECT_EQ(line, "region");
  std::string utf16("\xFF\xFEr\0", 4);
  try {
    strip_byte_order_mark(utf16, "t.csv");
    ADD_FAILURE() << "UTF-16 accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::input);
    EXPECT_NE(std::string(e.what()).find("t.csv:1: the file is UTF-16"), std::string::npos);
  }
}

TEST(CoreText, ClosestMatchesSuggestsNearNamesOnly) {
  const std::vector<std::string> names{"aal", "aicha", "brodmann", "ho-cort", "jhu-wm"};
  EXPECT_EQ(closest_matches("aall", names, 1), std::vector<std::string>{"aal"});
  EXPECT_EQ(closest_matches("hocort", names, 1), std::vector<std::string>{"ho-cort"});
  EXPECT_TRUE(closest_matches("zzzzzzzz", names).empty());
}

TEST(CoreHemisphere, ReadsSideFromAtlasLabelNames) {
  EXPECT_EQ(hemisphere_from_label_name("Hippocampus_L"), Hemisphere::left);
  EXPECT_EQ(hemisphere_from_label_name("Cerebral_peduncle_R"), Hemisphere::right);
  EXPECT_EQ(hemisphere_from_label_name("Right Putamen"), Hemisphere::right);
  EXPECT_EQ(hemisphere_from_label_name("Medial lemniscus left"), Hemisphere::left);
  EXPECT_FALSE(hemisphere_from_label_name("Vermis_1_2"));
  EXPECT_FALSE(hemisphere_from_label_name("Frontal Pole"));
  EXPECT_FALSE(hemisphere_from_label_name("N_Thalamus-9"));
}

}  // namespace
}  // namespace foci
