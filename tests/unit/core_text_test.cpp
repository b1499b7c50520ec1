#include <gtest/gtest.h>

#include <filesystem>
#include <functional>

#include "core/error.hpp"
#include "core/hemisphere.hpp"
#include "core/text.hpp"
#include "core/text_file.hpp"
#include "nifti_fixture.hpp"

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

TEST(CoreText, ClosestMatchesGivesNoSuggestionsForAHugeWord) {
  // The edit distance costs the product of the lengths: a 200 MB name would take hours.
  const std::vector<std::string> names{"hippocampus", "amygdala"};
  EXPECT_EQ(closest_matches("hippocampuss", names, 1), std::vector<std::string>{"hippocampus"});
  EXPECT_TRUE(closest_matches(std::string(kMaxSuggestedWordLength + 1, 'h'), names).empty());
}

TEST(CoreText, FindsTheFirstByteThatIsNotUtf8) {
  EXPECT_EQ(invalid_utf8_at("plain ascii"), std::string_view::npos);
  EXPECT_EQ(invalid_utf8_at("右侧海马 Müller 😀"), std::string_view::npos);
  EXPECT_EQ(invalid_utf8_at("ab\xFF"), 2u) << "a byte UTF-8 never has";
  EXPECT_EQ(invalid_utf8_at("M\xFCller"), 1u) << "Latin-1 u-umlaut";
  EXPECT_EQ(invalid_utf8_at("x\xE5\x8F"), 1u) << "a sequence cut short";
  EXPECT_EQ(invalid_utf8_at("\x80"), 0u) << "a stray continuation byte";
  EXPECT_EQ(invalid_utf8_at("\xC0\xAF"), 0u) << "an overlong '/'";
  EXPECT_EQ(invalid_utf8_at("\xED\xA0\x80"), 0u) << "a surrogate";
  EXPECT_EQ(invalid_utf8_at("\xF4\x90\x80\x80"), 0u) << "beyond U+10FFFF";
}

TEST(CoreText, CountsCharactersNotBytes) {
  EXPECT_EQ(utf8_length(""), 0u);
  EXPECT_EQ(utf8_length("abc"), 3u);
  EXPECT_EQ(utf8_length("右侧海马"), 4u);
}

TEST(CoreText, ExcerptsAreShortAndEscaped) {
  EXPECT_EQ(excerpt("右侧海马"), "右侧海马");
  EXPECT_EQ(excerpt("a\tb\nc\x1b[31m\xFF"), "a\\tb\\nc\\x1b[31m\\xff");
  const std::string long_text(100000, 'x');
  const std::string shown = excerpt(long_text, 10);
  EXPECT_EQ(shown, "xxxxxxxxxx... (100000 characters)");
  EXPECT_EQ(excerpt(std::string(80, 'y')), std::string(80, 'y')) << "80 characters fit whole";
}

/// Every line of a text file, read through TextFileReader.
std::vector<std::string> lines_of(const std::string& path) {
  TextFileReader reader(path);
  std::vector<std::string> lines;
  for (std::string line; reader.next(line);) {
    lines.push_back(line);
    EXPECT_EQ(reader.line_number(), lines.size());
  }
  return lines;
}

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::input);
    return e.what();
  }
  return "(no error)";
}

TEST(CoreTextFile, ReadsLinesOfPlainAndGzipText) {
  testing::TempDir dir;
  const std::string text = "\xEF\xBB\xBFx\ty\r\n\n右侧海马\r\nlast";
  testing::write_text(dir.path("a.txt"), text);
  testing::write_gzipped(dir.path("a.txt.gz"), text);
  const std::vector<std::string> expected{"x\ty", "", "右侧海马", "last"};
  EXPECT_EQ(lines_of(dir.path("a.txt")), expected);
  EXPECT_EQ(lines_of(dir.path("a.txt.gz")), expected);
  // Lines longer than a read block come whole.
  const std::string long_line(200000, 'L');
  testing::write_text(dir.path("long.txt"), "a\n" + long_line + "\nb\n");
  EXPECT_EQ(lines_of(dir.path("long.txt")), (std::vector<std::string>{"a", long_line, "b"}));
  testing::write_text(dir.path("empty.txt"), "");
  EXPECT_TRUE(lines_of(dir.path("empty.txt")).empty());
  EXPECT_NE(error_of([&] { TextFileReader r(dir.path("absent.txt")); }).find("no such file"),
            std::string::npos);
}

TEST(CoreTextFile, TextThatIsNotUtf8IsRefusedNamingTheLine) {
  testing::TempDir dir;
  testing::write_text(dir.path("latin1.tsv"), "name\nok\nM\xFCller\n");
  const std::string message = error_of([&] { lines_of(dir.path("latin1.tsv")); });
  EXPECT_NE(message.find(dir.path("latin1.tsv") + ":3: not UTF-8 text (byte 0xFC at column 2)"),
            std::string::npos)
      << message;
  testing::write_text(dir.path("u16.txt"), std::string("\xFF\xFEx\0", 4));
  EXPECT_NE(error_of([&] { lines_of(dir.path("u16.txt")); }).find(":1: the file is UTF-16"),
            std::string::npos)
      << "UTF-16 keeps its own message";
}

TEST(CoreTextFile, CompressedTextIsReadUpToACap) {
  testing::TempDir dir;
  // 4 MB of text in a few kilobytes.
  testing::write_gzipped(dir.path("big.gz"), std::string(1 << 16, '\n'), 64);
  EXPECT_LT(std::filesystem::file_size(dir.path("big.gz")), 100000u);
  const std::string message = error_of([&] {
    TextFileReader reader(dir.path("big.gz"), 1 << 20);
    for (std::string line; reader.next(line);) {
    }
  });
  EXPECT_NE(message.find(dir.path("big.gz") + "': it holds more than 1048576 bytes of text once "
                                              "uncompressed"),
            std::string::npos)
      << message;
  // The same text uncompressed is not capped: its size is the file's.
  testing::write_text(dir.path("big.txt"), std::string(4 << 20, '\n'));
  TextFileReader plain(dir.path("big.txt"), 1 << 20);
  std::size_t lines = 0;
  for (std::string line; plain.next(line);) ++lines;
  EXPECT_EQ(lines, 4u << 20);
  EXPECT_EQ(kMaxDecompressedTextBytes, std::uint64_t{1} << 30);
}

TEST(CoreTextFile, ALineLongerThanTheLimitIsRefused) {
  testing::TempDir dir;
  testing::write_text(dir.path("one.txt"), "x\n" + std::string(kMaxLineBytes + 1, 'a'));
  const std::string message = error_of([&] { lines_of(dir.path("one.txt")); });
  EXPECT_NE(message.find(dir.path("one.txt") + ":2: the line is longer than 16 MiB"),
            std::string::npos)
      << message;
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
