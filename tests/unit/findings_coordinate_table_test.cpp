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
  EXPECT_DOUBLE_EQ(t.rows[0].point.x, -28);
  EXPECT_EQ(t.rows[0].space, CoordinateSpace::mni) << "empty space cell: the default";
  EXPECT_EQ(t.rows[1].space, CoordinateSpace::talairach);
  EXPECT_EQ(t.rows[1].fields[0], "amy");
}

TEST_F(FindingsCoordinateTable, SpaceSeparatedHeaderSplitsOnSpaces) {
  const auto t = read_coordinate_table(file("x y z\n1  2 3\n"), CoordinateSpace::talairach);
  ASSERT_EQ(t.rows.size(), 1u);
  EXPECT_DOUBLE_EQ(t.rows[0].point.y, 2);
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
