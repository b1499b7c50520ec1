// The findings format: every problem reported at its JSON pointer, nothing crashes, and what
// is written reads back the same.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <random>
#include <sstream>

#include "core/error.hpp"
#include "findings/findings_json.hpp"
#include "nifti_fixture.hpp"

namespace foci {
namespace {

using json = nlohmann::json;

json minimal() {
  return json::parse(R"({
    "foci_findings": 1, "title": "t", "source": {"citation": "c"},
    "studies": [{"id": "s1", "citation": "A 2020", "year": 2020, "patients": 10}],
    "findings": [
      {"id": "f1", "study": "s1", "measure": "ReHo", "direction": "increase",
       "location": {"region": "右侧海马", "hemisphere": "right"},
       "associations": [{"with": "HAMD", "category": "efficacy", "sign": "positive", "r": 0.5}],
       "source_anchor": "Table 2, ref [1]"},
      {"id": "f2", "study": "s1", "measure": "functional connectivity", "direction": "decrease",
       "endpoints": [{"region": "PCC"},
                     {"coordinate": {"x": 2, "y": 52, "z": 10, "space": "Talairach"}}],
       "cluster": {"voxels": 85, "voxel_size_mm": 3}, "statistic": {"t": 4.1, "p": 0.001},
       "source_anchor": "Table 3, ref [1]"}]})");
}

std::vector<std::string> problems_of(const json& doc) {
  std::vector<std::string> out;
  for (const auto& p : parse_findings(doc).problems) out.push_back(p.pointer + ": " + p.message);
  return out;
}

bool has(const std::vector<std::string>& problems, const std::string& text) {
  for (const auto& p : problems) {
    if (p.find(text) != std::string::npos) return true;
  }
  return false;
}

TEST(FindingsJson, MinimalFileIsValidAndRoundTrips) {
  const auto parsed = parse_findings(minimal());
  ASSERT_TRUE(parsed.problems.empty()) << parsed.problems.front().message;
  const auto& f = parsed.file;
  ASSERT_EQ(f.findings.size(), 2u);
  EXPECT_EQ(f.findings[0].location->hemisphere, Hemisphere::right);
  ASSERT_EQ(f.findings[1].endpoints.size(), 2u);
  EXPECT_EQ(f.findings[1].endpoints[1].coordinate->space, CoordinateSpace::talairach);
  EXPECT_DOUBLE_EQ(*f.findings[1].cluster->volume_mm3(), 85 * 27.0);
  // Written and read again, the document is the same.
  const json once = to_json(f);
  EXPECT_EQ(to_json(parse_findings(once).file), once);
  EXPECT_EQ(once["findings"][1]["cluster"]["voxel_size_mm"], json::array({3.0, 3.0, 3.0}));
}

TEST(FindingsJson, ReportsEveryProblemWithItsPointer) {
  json doc = minimal();
  doc["findings"][0]["direction"] = "up";
  doc["findings"][0].erase("source_anchor");
  doc["findings"][0]["colour"] = "red";
  doc["findings"][1]["study"] = "nobody";
  doc["findings"][1]["location"] = {{"region", "x"}};
  doc["findings"][1]["statistic"]["p"] = 1.5;
  doc["findings"][0]["location"]["hemisphere"] = "lft";
  doc["findings"][0]["associations"][0]["category"] = "mood";
  doc["studies"].push_back({{"id", "s1"}, {"citation", "dup"}});
  const auto problems = problems_of(doc);
  EXPECT_TRUE(has(problems,
                  "/findings/0/direction: expected one of increase, decrease, "
                  "normalised, no change; got \"up\""));
  EXPECT_TRUE(has(problems, "/findings/0/source_anchor: required key is missing"));
  EXPECT_TRUE(has(problems, "/findings/0/colour: unknown key"));
  EXPECT_TRUE(has(problems, "/findings/1/study: no study has id \"nobody\""));
  EXPECT_TRUE(has(problems, "/findings/1: give either location or endpoints, not both"));
  EXPECT_TRUE(has(problems, "/findings/1/statistic/p: expected a number from 0 to 1"));
  EXPECT_TRUE(has(problems,
                  "/findings/0/location/hemisphere: expected one of left, right, "
                  "bilateral; got \"lft\""));
  EXPECT_TRUE(has(problems, "/findings/0/associations/0/category"));
  EXPECT_TRUE(has(problems, "/studies/1/id: study id \"s1\" is used twice"));
  EXPECT_EQ(problems.size(), 9u) << [&] {
    std::string all;
    for (const auto& p : problems) all += p + "\n";
    return all;
  }();
}

TEST(FindingsJson, CoordinatesMustBeFiniteAndPlausible) {
  json doc = minimal();
  doc["findings"][1]["endpoints"][1]["coordinate"]["x"] = 1e300;
  doc["findings"][1]["endpoints"][1]["coordinate"].erase("y");
  doc["findings"][1]["endpoints"][1]["coordinate"]["space"] = "MNI305";
  const auto problems = problems_of(doc);
  EXPECT_TRUE(has(problems, "/findings/1/endpoints/1/coordinate/x: expected a number from"));
  EXPECT_TRUE(has(problems, "/findings/1/endpoints/1/coordinate/y: required key is missing"));
  EXPECT_TRUE(has(problems, "/findings/1/endpoints/1/coordinate/space"));
}

TEST(FindingsJson, AStudyIdOf300000CharactersIsRefusedNotACrash) {
  // std::regex_match recursed once a character: an id this long overflowed the stack.
  json doc = minimal();
  const std::string id(300000, 'a');
  doc["studies"][0]["id"] = id;
  for (auto& f : doc["findings"]) f["study"] = id;
  const auto problems = problems_of(doc);
  EXPECT_TRUE(has(problems, "/studies/0/id: is 300000 characters long; at most 200 are allowed"))
      << problems.front();
  EXPECT_TRUE(has(problems, "/findings/0/study: is 300000 characters long"));
  for (const auto& p : problems) EXPECT_LT(p.size(), 200u) << "the id is not echoed whole";
  doc["studies"][0]["id"] = std::string(kMaxIdLength, 'a') + "/";
  EXPECT_TRUE(has(problems_of(doc), "/studies/0/id: is 201 characters long"));
  doc["studies"][0]["id"] = std::string(kMaxIdLength - 1, 'a') + "/";
  EXPECT_TRUE(has(problems_of(doc), "/studies/0/id: may hold only letters, digits"));
}

TEST(FindingsJson, NamesAndTextsHaveLengthLimitsCountedInCharacters) {
  json doc = minimal();
  // 1000 Chinese characters are 3000 bytes and still a valid region name.
  std::string region;
  for (std::size_t n = 0; n < kMaxNameLength; ++n) region += "海";
  doc["findings"][0]["location"]["region"] = region;
  doc["findings"][0]["notes"] = std::string(kMaxTextLength, 'n');
  doc["findings"][0]["imported"] = {{"label", std::string(kMaxTextLength, 'v')}};
  EXPECT_TRUE(problems_of(doc).empty()) << problems_of(doc).front();

  doc["findings"][0]["location"]["region"] = region + "马";
  doc["findings"][0]["notes"] = std::string(kMaxTextLength + 1, 'n');
  doc["findings"][0]["measure"] = std::string(kMaxNameLength + 1, 'm');
  doc["findings"][0]["imported"] = {{std::string(kMaxNameLength + 1, 'k'), "v"}};
  doc["studies"][0]["timepoints"] = {std::string(kMaxNameLength + 1, 't')};
  const auto problems = problems_of(doc);
  EXPECT_TRUE(has(problems, "/findings/0/location/region: is 1001 characters long; at most 1000"));
  EXPECT_TRUE(has(problems, "/findings/0/notes: is 100001 characters long; at most 100000"));
  EXPECT_TRUE(has(problems, "/findings/0/measure: is 1001 characters long"));
  EXPECT_TRUE(has(problems, "/findings/0/imported/kkkk"));
  EXPECT_TRUE(has(problems, "/studies/0/timepoints/0: is 1001 characters long"));
}

TEST(FindingsJson, TheWriterWritesTheBytesOfToJsonOneFindingAtATime) {
  // foci import writes findings as they are read; the file must be what it was when the
  // whole document was built and dumped.
  json documents[] = {minimal(), minimal(), minimal()};
  documents[1]["language"] = "zh";
  documents[1]["notes"] = "n\t\"quoted\"\nline";
  documents[2]["findings"] = json::array();
  for (const auto& doc : documents) {
    const auto parsed = parse_findings(doc);
    ASSERT_TRUE(parsed.problems.empty()) << parsed.problems.front().message;
    std::ostringstream out;
    FindingsJsonWriter writer(out);
    for (const auto& f : parsed.file.findings) writer.add(f);
    writer.finish(parsed.file);
    EXPECT_EQ(out.str(), to_json(parsed.file).dump(2) + "\n");
    EXPECT_EQ(writer.count(), parsed.file.findings.size());
  }
}

TEST(FindingsJson, TheWriterRefusesWhatDoesNotValidateAsABug) {
  const auto file = parse_findings(minimal()).file;
  std::ostringstream out;
  FindingsJsonWriter writer(out);
  Finding bad = file.findings.front();
  bad.source_anchor.clear();
  try {
    writer.add(bad);
    FAIL() << "a finding without a source anchor was written";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::internal);
    EXPECT_NE(std::string(e.what()).find("/findings/0/source_anchor"), std::string::npos);
  }
  writer.add(file.findings.front());
  FindingsFile no_studies = file;
  no_studies.studies.clear();
  EXPECT_THROW(writer.finish(no_studies), Error) << "a finding's study must exist";
}

TEST(FindingsJson, NeverThrowsOnMangledDocuments) {
  // Replace random parts of a valid document with values of the wrong kind; the parser must
  // report problems, never throw or crash.
  std::mt19937 random(3);
  const json replacements[] = {
      nullptr, 1, -1.5, "x", "", json::array(), json::object(), json::array({1, 2}), true, 1e308};
  for (int round = 0; round < 3000; ++round) {
    json doc = minimal();
    std::vector<json::json_pointer> pointers;
    const json flat = doc.flatten();
    for (const auto& [key, value] : flat.items()) pointers.emplace_back(key);
    for (int edits = 0; edits < 3; ++edits) {
      auto pointer = pointers[random() % pointers.size()];
      const int up = random() % 3;
      for (int n = 0; n < up && !pointer.empty(); ++n) pointer = pointer.parent_pointer();
      try {
        doc[pointer] = replacements[random() % std::size(replacements)];
      } catch (const json::exception&) {
        // the pointer went away in an earlier edit
      }
    }
    EXPECT_NO_THROW(parse_findings(doc)) << doc.dump();
  }
  EXPECT_NO_THROW(parse_findings(json::array()));
  EXPECT_NO_THROW(parse_findings(json("text")));
  EXPECT_FALSE(parse_findings(json(nullptr)).problems.empty());
}

TEST(FindingsJson, BadJsonNamesFileLineAndColumn) {
  testing::TempDir dir;
  const auto path = dir.path("broken.json");
  testing::write_text(path, "{\n  \"title\": \"t\",\n  \"findings\": [,]\n}\n");
  try {
    read_findings_file(path);
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::input);
    EXPECT_NE(std::string(e.what()).find(path + ":3:16: not valid JSON"), std::string::npos)
        << e.what();
  }
}

TEST(FindingsJson, ReadFileListsAllProblemsInOrder) {
  testing::TempDir dir;
  const auto path = dir.path("bad.json");
  json doc = minimal();
  doc["findings"][0]["direction"] = "up";
  doc["findings"][1]["direction"] = "down";
  testing::write_text(path, doc.dump());
  try {
    read_findings_file(path);
    FAIL();
  } catch (const Error& e) {
    ASSERT_EQ(e.lines().size(), 3u);
    EXPECT_NE(e.lines()[0].find("2 problems"), std::string::npos);
    EXPECT_NE(e.lines()[1].find(path + ": /findings/0/direction"), std::string::npos);
    EXPECT_NE(e.lines()[2].find(path + ": /findings/1/direction"), std::string::npos);
  }
}

}  // namespace
}  // namespace foci
