// The plain coordinate TSV: what it accepts and how it refuses bad input.
#include <gtest/gtest.h>

#include "core/error.hpp"
#include "findings/coordinate_table.hpp"
#include "nifti_fixture.hpp"

namespace foci {
namespace {

using testing::TempDir;
using testing::write_text;

class FindingsCoordinateTable : public ::testing::Test {
 protected:
  std::string file(const std::string& text) {
    const auto path = dir_.path("points.tsv");
    write_text(path, text);
    return path;
  }
  /// The message of the error reading `text`, checked to be an input error.
  std::string refusal(const std::string& text) {
    const auto path = file(text);
    try {
      read_coordinate_table(path, CoordinateSpace::mni);
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ExitCode::input);
      EXPECT_NE(std::string(e.what()).find(path), std::string::npos) << e.what();
      return e.what();
    }
    ADD_FAILURE() << "accepted: " << text;
    return "";
  }
  TempDir dir_;
};

TEST_F(FindingsCoordinateTable, ReadsRowsSpacesAndExtraColumns) {
  const auto t = read_coordinate_table(
      file("# peaks\nlabel\tx\ty\tz\tspace\nhip\t-28\t-18\t-18\t\namy\t26\t0\t-22\tTalairach\n"),
      CoordinateSpace::mni);
  ASSERT_EQ(t.rows.size(), 2u);
  EXPECT_EQ(t.rows[0].line, 3u);
  EXPECT_DOUBLE_EQ(t.rows[0].point->x, -28);
  EXPECT_EQ(t.rows[0].space, CoordinateSpace::mni) << "empty space cell: the default";
  EXPECT_EQ(t.rows[1].space, CoordinateSpace::talairach);
  EXPECT_EQ(t.rows[1].fields[0], "amy");
}

TEST_F(FindingsCoordinateTable, SpaceSeparatedHeaderSplitsOnSpaces) {
  const auto t = read_coordinate_table(file("x y z\n1  2 3\n"), CoordinateSpace::talairach);
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_DOUBLE_EQ(t.rows[0].point->y, 2);
  EXPECT_EQ(t.rows[0].space, CoordinateSpace::talairach);
}

TEST_F(FindingsCoordinateTable, RefusesNonNumberWithLineAndColumn) {
  const auto m = refusal("x\ty\tz\n1\t2\t3\n4\tfive\t6\n");
  EXPECT_NE(m.find("points.tsv:3: column 'y': 'five' is not a finite number"), std::string::npos)
      << m;
}

TEST_F(FindingsCoordinateTable, RefusesNanInfinityAndHugeValues) {
  EXPECT_NE(refusal("x\ty\tz\nnan\t2\t3\n").find(":2: column 'x'"), std::string::npos);
  EXPECT_NE(refusal("x\ty\tz\n1\tinf\t3\n").find(":2: column 'y'"), std::string::npos);
  EXPECT_NE(refusal("x\ty\tz\n1\t2\t1e300\n").find("beyond"), std::string::npos);
  EXPECT_NE(refusal("x\ty\tz\n1\t2\t\n").find(":2: column 'z'"), std::string::npos);
}

TEST_F(FindingsCoordinateTable, RefusesMissingColumnWrongWidthEmptyAndHeaderOnly) {
  EXPECT_NE(refusal("x\ty\tvalue\n1\t2\t3\n").find(":1: the header has no 'z' column"),
            std::string::npos);
  EXPECT_NE(refusal("x\ty\tz\n1\t2\n").find(":2: expected 3 fields"), std::string::npos);
  EXPECT_NE(refusal("").find("empty"), std::string::npos);
  EXPECT_NE(refusal("# only a comment\n\n").find("empty"), std::string::npos);
  EXPECT_NE(refusal("x\ty\tz\n").find("no coordinates"), std::string::npos);
  EXPECT_NE(refusal("x\ty\tz\tspace\n1\t2\t3\tdog\n").find("expected MNI or Talairach"),
            std::string::npos);
}

TEST_F(FindingsCoordinateTable, AcceptsUtf8ByteOrderMark) {
  // What Excel's "CSV UTF-8" and Notepad write: the mark must not become part of "x".
  const auto t =
      read_coordinate_table(file("\xEF\xBB\xBFx\ty\tz\n1\t2\t3\n"), CoordinateSpace::mni);
  EXPECT_EQ(t.header[0], "x");
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_DOUBLE_EQ(t.rows[0].point->x, 1);
  const auto commented =
      read_coordinate_table(file("\xEF\xBB\xBF# peaks\nx y z\n4 5 6\n"), CoordinateSpace::mni);
  ASSERT_EQ(commented.rows.size(), 1u) << "a comment line after the mark is still a comment";
  EXPECT_EQ(commented.rows[0].line, 3u);
}

TEST_F(FindingsCoordinateTable, RefusesUtf16NamingTheFile) {
  const std::string utf16le("\xFF\xFEx\0\t\0y\0\t\0z\0\n\0", 14);
  const auto m = refusal(utf16le);
  EXPECT_NE(m.find("points.tsv:1: the file is UTF-16"), std::string::npos) << m;
  EXPECT_NE(m.find("save it as UTF-8"), std::string::npos) << m;
  EXPECT_NE(refusal(std::string("\xFE\xFF\0x\0\t", 6)).find("UTF-16"), std::string::npos);
}

TEST_F(FindingsCoordinateTable, ReadsExcelCsvWithQuotedCommasAndNewlines) {
  const auto path = dir_.path("points.csv");
  write_text(path,
             "\xEF\xBB\xBFlabel,x,y,z\r\n"
             "\"hippocampus, left\",-28,-18,-18\r\n"
             "\"two\r\nlines, \"\"quoted\"\"\",1,2,3\r\n"
             ",,,\r\n"
             "plain,4,5,6\r\n");
  const auto t = read_coordinate_table(path, CoordinateSpace::mni);
  EXPECT_EQ(t.header, (std::vector<std::string>{"label", "x", "y", "z"}));
  ASSERT_EQ(t.rows.size(), 3u) << "the empty ,,, row is skipped";
  EXPECT_EQ(t.rows[0].fields[0], "hippocampus, left");
  EXPECT_DOUBLE_EQ(t.rows[0].point->x, -28);
  EXPECT_EQ(t.rows[1].fields[0], "two\nlines, \"quoted\"");
  EXPECT_EQ(t.rows[1].line, 3u);
  EXPECT_DOUBLE_EQ(t.rows[1].point->z, 3);
  EXPECT_EQ(t.rows[2].line, 6u) << "lines count physical lines, the quoted break included";
}

TEST_F(FindingsCoordinateTable, CommaInTheHeaderMakesCsvWhateverTheName) {
  const auto t = read_coordinate_table(file("x, y, z\n1, 2, 3\n"), CoordinateSpace::mni);
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.header[1], "y");
  EXPECT_DOUBLE_EQ(t.rows[0].point->y, 2);
}

TEST_F(FindingsCoordinateTable, TsvKeepsQuotesAndCommasAsWritten) {
  const auto t =
      read_coordinate_table(file("x\ty\tz\tnote\n1\t2\t3\t\"a, b\"\n"), CoordinateSpace::mni);
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_EQ(t.rows[0].fields[3], "\"a, b\"");
}

TEST_F(FindingsCoordinateTable, CsvErrorsNameTheLineWhereTheRowStarts) {
  EXPECT_NE(refusal("x,y,z,note\n1,2,3,\"a\nb\"\n4,five,6,c\n").find(":4: column 'y'"),
            std::string::npos);
  EXPECT_NE(refusal("x,y,z,note\n1,2,3,\"multi\nline\",9\n").find(":2: expected 4 fields"),
            std::string::npos);
  EXPECT_NE(refusal("x,y,z,note\n1,2,3,ok\n1,2,3,\"never closed\n4,5,6,x\n")
                .find(":3: a quoted field opened in this row is never closed"),
            std::string::npos);
  EXPECT_NE(refusal("x,y,z,note\n1,2,3,\"a\"b\n").find(":2: field 4: text after the closing quote"),
            std::string::npos);
}

TEST_F(FindingsCoordinateTable, RegionRowsWhenAllowed) {
  const auto regions = read_coordinate_table(
      file("region,direction\n右侧海马,increase\n\"左侧杏仁核, 外侧\",decrease\n"),
      CoordinateSpace::mni, RegionRows::allowed);
  ASSERT_EQ(regions.rows.size(), 2u);
  EXPECT_FALSE(regions.rows[0].point);
  EXPECT_EQ(regions.rows[1].fields[0], "左侧杏仁核, 外侧");

  const auto mixed = read_coordinate_table(file("x\ty\tz\tregion\n1\t2\t3\t\n\t\t\tDLPFC\n"),
                                           CoordinateSpace::mni, RegionRows::allowed);
  ASSERT_EQ(mixed.rows.size(), 2u);
  EXPECT_TRUE(mixed.rows[0].point);
  EXPECT_FALSE(mixed.rows[1].point);
}

TEST_F(FindingsCoordinateTable, RegionRowsMustNameARegion) {
  const auto refused = [&](const std::string& text) {
    const auto path = file(text);
    try {
      read_coordinate_table(path, CoordinateSpace::mni, RegionRows::allowed);
    } catch (const Error& e) {
      EXPECT_EQ(e.code(), ExitCode::input);
      return std::string(e.what());
    }
    ADD_FAILURE() << "accepted: " << text;
    return std::string();
  };
  EXPECT_NE(refused("x\ty\tz\tregion\tvalue\n1\t2\t3\tA\t\n\t\t\t\t2\n")
                .find("points.tsv:3: the row has neither a coordinate"),
            std::string::npos);
  EXPECT_NE(refused("x\ty\tz\tvalue\n\t\t\t2\n").find(":2: the row has neither a coordinate"),
            std::string::npos);
  const auto header = refused("study,direction\nLi 2020,increase\n");
  EXPECT_NE(header.find(":1: the header has neither x, y and z columns nor a region column"),
            std::string::npos)
      << header;
  EXPECT_NE(refused("x\ty\tregion\n1\t2\tA\n").find(":1: the header has no 'z' column"),
            std::string::npos);
  EXPECT_NE(refused("x\ty\tz\t region\n1\t2\t\tA\n").find(":2: column 'z'"), std::string::npos)
      << "two coordinates of three is a mistake, not a region row";
  // Looking points up needs points: a region table is refused as before.
  EXPECT_NE(refusal("region\n右侧海马\n").find(":1: the header has no 'x' column"),
            std::string::npos);
}

TEST_F(FindingsCoordinateTable, DuplicateColumnsAreRefusedNamingBothAndTheLine) {
  // The second "x" used to win silently (or, for an echoed column, one cell was lost).
  EXPECT_NE(refusal("# peaks\nx\ty\tz\tX\n1\t2\t3\t4\n")
                .find("points.tsv:2: columns 1 ('x') and 4 ('X') have the same name (ignoring "
                      "case); rename or remove one"),
            std::string::npos);
  EXPECT_NE(refusal("x,y,z,note,Note\n1,2,3,a,b\n").find(":1: columns 4 ('note') and 5 ('Note')"),
            std::string::npos);
}

TEST_F(FindingsCoordinateTable, TextThatIsNotUtf8IsRefusedNamingTheLine) {
  const auto message = refusal("x\ty\tz\tstudy\n1\t2\t3\tok\n4\t5\t6\tM\xFCller\n");
  EXPECT_NE(message.find("points.tsv:3: not UTF-8 text (byte 0xFC at column 8)"), std::string::npos)
      << message;
}

TEST_F(FindingsCoordinateTable, TheReaderGivesOneRowAtATime) {
  const auto path = file("# comment\nx\ty\tz\tlabel\n1\t2\t3\ta\n\n4\t5\t6\tb\n");
  CoordinateTableReader reader(path, CoordinateSpace::talairach);
  EXPECT_EQ(reader.header(), (std::vector<std::string>{"x", "y", "z", "label"}));
  EXPECT_EQ(reader.header_line(), 2u);
  CoordinateRow row;
  ASSERT_TRUE(reader.next(row));
  EXPECT_EQ(row.line, 3u);
  EXPECT_EQ(row.fields.back(), "a");
  EXPECT_EQ(row.space, CoordinateSpace::talairach);
  ASSERT_TRUE(reader.next(row));
  EXPECT_EQ(row.line, 5u);
  ASSERT_TRUE(row.point.has_value());
  EXPECT_DOUBLE_EQ(row.point->z, 6);
  EXPECT_FALSE(reader.next(row));
  // A bad row is found when it is reached, naming its line.
  const auto bad = file("x\ty\tz\n1\t2\t3\n1\t2\n");
  CoordinateTableReader later(bad, CoordinateSpace::mni);
  ASSERT_TRUE(later.next(row));
  try {
    later.next(row);
    FAIL() << "a short row was accepted";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("points.tsv:3: expected 3 fields"), std::string::npos);
  }
}

TEST_F(FindingsCoordinateTable, MissingFileIsNamed) {
  try {
    read_coordinate_table(dir_.path("absent.tsv"), CoordinateSpace::mni);
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("absent.tsv': no such file"), std::string::npos);
  }
}

}  // namespace
}  // namespace foci
