// One JSON reader for every JSON file foci reads: syntax errors say FILE:LINE:COLUMN and
// unknown keys are reported in the same words, whether the file is findings, an atlas
// manifest, the region lexicon or a figure spec.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "atlas/lexicon.hpp"
#include "atlas/manifest.hpp"
#include "batch/figure_spec.hpp"
#include "core/error.hpp"
#include "core/json_file.hpp"
#include "findings/findings_json.hpp"
#include "nifti_fixture.hpp"

namespace foci {
namespace {

using testing::TempDir;
using testing::write_text;

/// The last line of the error `load` throws (the original failure), or "" when none.
template <typename Load>
std::string failure_of(Load load) {
  try {
    load();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::input);
    return e.lines().back();
  }
  return "";
}

TEST(CoreJsonFile, SyntaxErrorsSayLineAndColumnInEveryKindOfFile) {
  TempDir dir;
  const std::string bad = "{\n  \"name\": \"x\",\n  \"title\" \"y\"\n}\n";  // line 3: no colon
  for (const char* name : {"manifest.json", "regions.json", "findings.json", "spec.json"}) {
    write_text(dir.path(name), bad);
  }
  // nlohmann stops at the end of the unexpected token, the closing quote of "y".
  const std::string expected_at = ":3:13: not valid JSON";
  const auto starts = [&](const std::string& line, const std::string& file) {
    EXPECT_EQ(line.rfind(dir.path(file) + expected_at, 0), 0u) << line;
  };
  starts(failure_of([&] { read_atlas_manifest(dir.path("manifest.json")); }), "manifest.json");
  starts(failure_of([&] { RegionLexicon::load(dir.path("regions.json")); }), "regions.json");
  starts(failure_of([&] { read_findings_file(dir.path("findings.json")); }), "findings.json");
  starts(failure_of([&] { read_spec_file(dir.path("spec.json")); }), "spec.json");
}

TEST(CoreJsonFile, UnknownKeysAreReportedInOneWording) {
  const auto problem =
      find_unknown_key(nlohmann::json{{"name", 1}, {"titel", 2}}, {"name", "title"}, "/figures/0");
  ASSERT_TRUE(problem.has_value());
  EXPECT_EQ(problem->pointer, "/figures/0/titel");
  EXPECT_EQ(problem->message, "unknown key (expected one of name, title)");
  EXPECT_FALSE(find_unknown_key(nlohmann::json{{"name", 1}}, {"name", "title"}, "").has_value());

  TempDir dir;
  write_text(dir.path("regions.json"),
             R"({"foci_lexicon": 1, "regions": [{"id": "a", "en": "A", "colour": "red"}]})");
  EXPECT_EQ(failure_of([&] { RegionLexicon::load(dir.path("regions.json")); }),
            dir.path("regions.json") +
                ": /regions/0/colour: unknown key (expected one of aliases, atlases, en, "
                "extent, id, lateralised, networks, notes, zh)");
  write_text(dir.path("spec.json"), R"({"foci_figures": 1, "findings": ["f.json"], "figurs": []})");
  EXPECT_EQ(failure_of([&] { read_spec_file(dir.path("spec.json")); }),
            dir.path("spec.json") +
                ": /figurs: unknown key (expected one of atlases, figures, findings, "
                "foci_figures, notes)");
}

TEST(CoreJsonFile, DuplicateKeysAreRefusedWithTheirPointer) {
  TempDir dir;
  write_text(dir.path("findings.json"),
             R"({"foci_findings": 1, "studies": [{"id": "a", "citation": "x", "id": "b"}]})");
  EXPECT_EQ(failure_of([&] { read_findings_file(dir.path("findings.json")); }),
            dir.path("findings.json") +
                ": /studies/0/id: duplicate key \"id\" (a key may appear once in an object)");
  write_text(dir.path("top.json"), "{\"a\": 1,\n \"a\": 2}");
  EXPECT_EQ(
      failure_of([&] { read_json_file(dir.path("top.json")); }),
      dir.path("top.json") + ": /a: duplicate key \"a\" (a key may appear once in an object)");
  write_text(dir.path("escaped.json"), R"({"x": {"a/b": 1, "a/b": 2}})");
  EXPECT_EQ(failure_of([&] { read_json_file(dir.path("escaped.json")); }),
            dir.path("escaped.json") +
                ": /x/a~1b: duplicate key \"a/b\" (a key may appear once in an object)");
  // The same key in different objects is no duplicate.
  write_text(dir.path("fine.json"), R"([{"a": 1}, {"a": 2}, {"b": {"a": 3}}])");
  EXPECT_EQ(read_json_file(dir.path("fine.json")),
            nlohmann::json::parse(R"([{"a": 1}, {"a": 2}, {"b": {"a": 3}}])"));
}

TEST(CoreJsonFile, ANumberTooLargeIsAnInputErrorWithLineAndColumn) {
  // nlohmann throws out_of_range (406) with no place; it used to reach main() as an internal
  // error.
  TempDir dir;
  write_text(dir.path("findings.json"), "{\"foci_findings\": 1,\n \"x\": 1e400}\n");
  EXPECT_EQ(failure_of([&] { read_findings_file(dir.path("findings.json")); }),
            dir.path("findings.json") +
                ":2:7: the number 1e400 is too large to hold (beyond +/-1.8e308)");
  write_text(dir.path("negative.json"), "[-1e999]");
  EXPECT_EQ(failure_of([&] {
              read_json_file(dir.path("negative.json"));
            }).rfind(dir.path("negative.json") + ":1:2: the number -1e999 is too large", 0),
            0u);
  write_text(dir.path("big.json"), "[1e308, 123456789012345678901234567890]");
  EXPECT_EQ(read_json_file(dir.path("big.json")).size(), 2u) << "large but finite numbers read";
}

TEST(CoreJsonFile, DeepNestingIsRefusedNotACrash) {
  TempDir dir;
  write_text(dir.path("deep.json"), std::string(100000, '[') + std::string(100000, ']'));
  const std::string failure = failure_of([&] { read_json_file(dir.path("deep.json")); });
  EXPECT_NE(failure.find("nested deeper than " + std::to_string(kMaxJsonDepth) + " levels"),
            std::string::npos)
      << failure;
  EXPECT_LT(failure.size(), 300u);
  write_text(dir.path("ok.json"),
             std::string(kMaxJsonDepth, '[') + std::string(kMaxJsonDepth, ']'));
  EXPECT_NO_THROW(read_json_file(dir.path("ok.json")));
}

TEST(CoreJsonFile, ReadsWhatJsonParseReads) {
  TempDir dir;
  const std::string text =
      R"({"b": [1, -2, 3.5, "右侧海马", null, true, false, {}, []], "a": {"x": {"y": [[]]}}})";
  write_text(dir.path("doc.json"), text);
  EXPECT_EQ(read_json_file(dir.path("doc.json")), nlohmann::json::parse(text));
  write_text(dir.path("scalar.json"), " 42 ");
  EXPECT_EQ(read_json_file(dir.path("scalar.json")), 42);
}

TEST(CoreJsonFile, AValueOfTheWrongTypeIsAnInputErrorInEveryKindOfFile) {
  // nlohmann's value() and get() throw type_error on a string where a number was expected:
  // main() reported that as an internal error, with no file named.
  TempDir dir;
  write_text(dir.path("manifest.json"),
             R"({"name": "m", "kind": 5, "title": "t", "space": "s", "volume": "v.nii",
                 "citation": "c", "licence": "l"})");
  EXPECT_EQ(failure_of([&] { read_atlas_manifest(dir.path("manifest.json")); }),
            dir.path("manifest.json") + ": /kind: expected a string");
  write_text(dir.path("spec.json"), R"({"foci_figures": "1", "findings": ["f.json"]})");
  EXPECT_EQ(failure_of([&] { read_spec_file(dir.path("spec.json")); }),
            dir.path("spec.json") + ": /foci_figures: required: the format version, 1");
  write_text(dir.path("panel.json"), R"({"foci_figures": 1, "findings": ["f.json"], "figures": [
               {"name": "a", "panels": [{"title": 5}]}]})");
  const SpecFile spec = read_spec_file(dir.path("panel.json"));
  ASSERT_EQ(spec.figures.size(), 1u);
  ASSERT_TRUE(spec.figures[0].error.has_value());
  EXPECT_NE(spec.figures[0].error->find("/figures/0/panels/0/title: expected a string"),
            std::string::npos)
      << *spec.figures[0].error;
  write_text(dir.path("regions.json"), R"({"foci_lexicon": "1", "regions": []})");
  EXPECT_NE(failure_of([&] {
              RegionLexicon::load(dir.path("regions.json"));
            }).find("expected {\"foci_lexicon\": 1"),
            std::string::npos);
}

TEST(CoreJsonFile, AMissingFileIsNamed) {
  EXPECT_EQ(failure_of([] { read_json_file("/no/such/file.json"); }),
            "cannot read '/no/such/file.json': no such file");
}

}  // namespace
}  // namespace foci
