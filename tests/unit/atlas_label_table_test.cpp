// Label tables in the three formats, manifests, and the checks that tie a table to a volume.
#include <gtest/gtest.h>

#include "atlas/atlas.hpp"
#include "atlas/label_table.hpp"
#include "atlas/manifest.hpp"
#include "core/error.hpp"
#include "nifti_fixture.hpp"

namespace foci {
namespace {

using testing::TempDir;
using testing::write_text;

std::string error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(AtlasLabelTable, ReadsMricronTextSkippingBackground) {
  TempDir dir;
  const auto path = dir.path("aal.nii.txt");
  write_text(path, "0\tUnclassified\n1 Precentral_L 2001\n2 Precentral_R 2002\n\n3 Vermis_1_2 9\n");
  const auto t = read_mricron_labels(path);
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t.find(1)->name, "Precentral_L");
  EXPECT_EQ(t.find(1)->stated_hemisphere, Hemisphere::left);
  EXPECT_EQ(t.find(2)->stated_hemisphere, Hemisphere::right);
  EXPECT_FALSE(t.find(3)->stated_hemisphere.has_value());
  EXPECT_EQ(t.find(0), nullptr);
}

// find answers by value from an array when the values are small and from a hash table when
// one is not; either way a value the table lacks, zero and a negative value find nothing.
TEST(AtlasLabelTable, FindsEachValueAndNothingElse) {
  for (const std::int32_t largest : {9170, 2'000'000'000}) {
    const LabelTable t(
        {{5, "Five", std::nullopt}, {2, "Two", std::nullopt}, {largest, "Largest", std::nullopt}},
        "test");
    for (const auto& [value, name] : std::vector<std::pair<std::int32_t, std::string>>{
             {5, "Five"}, {2, "Two"}, {largest, "Largest"}}) {
      const LabelEntry* e = t.find(value);
      ASSERT_NE(e, nullptr) << value;
      EXPECT_EQ(e->name, name);
      EXPECT_EQ(e->value, value);
    }
    for (const std::int32_t missing : {0, 1, 3, 4, 6, -5, largest - 1, largest + 1}) {
      EXPECT_EQ(t.find(missing), nullptr) << missing << " of a table up to " << largest;
    }
  }
}

TEST(AtlasLabelTable, AcceptsUtf8ByteOrderMark) {
  TempDir dir;
  const auto tsv = dir.path("labels.tsv");
  write_text(tsv,
             "\xEF\xBB\xBF"
             "label\tname\n1\tHippocampus_L\n");
  const auto t = read_tsv_labels(tsv);
  ASSERT_EQ(t.size(), 1u);
  EXPECT_EQ(t.find(1)->name, "Hippocampus_L");
  const auto txt = dir.path("labels.txt");
  write_text(txt,
             "\xEF\xBB\xBF"
             "1 Precentral_L 2001\n");
  EXPECT_EQ(read_mricron_labels(txt).find(1)->name, "Precentral_L");
  write_text(tsv, std::string("\xFF\xFEl\0a\0", 6));
  EXPECT_NE(error_of([&] { read_tsv_labels(tsv); }).find(tsv + ":1: the file is UTF-16"),
            std::string::npos);
}

TEST(AtlasLabelTable, MricronErrorsNameFileAndLine) {
  TempDir dir;
  const auto path = dir.path("bad.txt");
  write_text(path, "1 A_L 1\nx B_R 2\n");
  EXPECT_NE(error_of([&] { read_mricron_labels(path); }).find(path + ":2"), std::string::npos);
  write_text(path, "1 A_L 1\n1 B_R 2\n");
  EXPECT_NE(error_of([&] { read_mricron_labels(path); }).find("given twice"), std::string::npos);
}

TEST(AtlasLabelTable, ALabelPathToAnotherFileNamesItsLineWithoutEchoingIt) {
  // A manifest whose label path points at some other file used to print that file's first
  // line whole, control characters and all.
  TempDir dir;
  const auto other = dir.path("notes.txt");
  write_text(other, "\x1b[2J" + std::string(5000, 'z') + "\n");
  const auto message = error_of([&] { read_mricron_labels(other); });
  EXPECT_NE(message.find(other + ":1: expected 'value name', got '\\x1b[2Jzzz"), std::string::npos)
      << message;
  EXPECT_EQ(message.find('\x1b'), std::string::npos) << "no raw escape character";
  EXPECT_LT(message.size(), other.size() + 200) << "at most 80 characters of the line";
  // A binary file is not text: named with its line, nothing of it quoted.
  const auto binary = dir.path("volume.nii");
  write_text(binary, std::string("\x5c\x01\x00\x00\xff\xfe\x80 binary", 15));
  EXPECT_NE(error_of([&] { read_mricron_labels(binary); }).find(binary + ":1: not UTF-8 text"),
            std::string::npos);
  EXPECT_NE(error_of([&] { read_tsv_labels(binary); }).find(binary + ":1: not UTF-8 text"),
            std::string::npos);
}

TEST(AtlasLabelTable, ReadsFslXmlWithValueOffset) {
  TempDir dir;
  const auto path = dir.path("atlas.xml");
  write_text(path,
             "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<atlas version=\"1.0\"><header/>"
             "<data>\n<label index=\"0\" x=\"1\" y=\"2\" z=\"3\">Frontal Pole</label>\n"
             "<label index=\"1\" x=\"1\" y=\"2\" z=\"3\">Left Caudate &amp; more</label>\n"
             "</data></atlas>\n");
  const auto t = read_fsl_xml_labels(path, 1);
  ASSERT_EQ(t.size(), 2u);
  EXPECT_EQ(t.find(1)->name, "Frontal Pole");
  EXPECT_EQ(t.find(2)->name, "Left Caudate & more");
  EXPECT_EQ(t.find(2)->stated_hemisphere, Hemisphere::left);
}

TEST(AtlasLabelTable, BrokenXmlNamesTheFile) {
  TempDir dir;
  const auto path = dir.path("broken.xml");
  write_text(path, "<atlas><data><label index=\"0\">A</label>");
  EXPECT_NE(error_of([&] { read_fsl_xml_labels(path, 1); }).find(path), std::string::npos);
}

TEST(AtlasLabelTable, ReadsTsvWithHemisphereColumn) {
  TempDir dir;
  const auto path = dir.path("t.tsv");
  write_text(path, "# comment\nlabel\tname\themisphere\n1\tBA9\tbilateral\n2\tHippo_L\t\n");
  const auto t = read_tsv_labels(path);
  EXPECT_EQ(t.find(1)->stated_hemisphere, Hemisphere::bilateral);
  EXPECT_EQ(t.find(2)->stated_hemisphere, Hemisphere::left) << "empty cell: side from the name";
  write_text(path, "label\tname\themisphere\n1\tBA9\tlft\n");
  const auto message = error_of([&] { read_tsv_labels(path); });
  EXPECT_NE(message.find(path + ":2"), std::string::npos) << message;
  EXPECT_NE(message.find("lft"), std::string::npos) << message;
}

TEST(AtlasLabelTable, HoCortTableShippedMatchesFslXml) {
  // The table in atlases/ was written from FSL's XML: they must agree.
  const std::string xml = FOCI_SOURCE_DIR "/tests/fixtures/fsl/HarvardOxford-Cortical.xml";
  const auto from_xml = read_fsl_xml_labels(xml, 1);
  const auto shipped = read_tsv_labels(FOCI_SOURCE_DIR "/atlases/ho-cort.tsv");
  ASSERT_EQ(shipped.size(), 48u);
  ASSERT_EQ(from_xml.size(), shipped.size());
  for (const auto& e : from_xml.entries()) {
    ASSERT_NE(shipped.find(e.value), nullptr) << e.value;
    EXPECT_EQ(shipped.find(e.value)->name, e.name);
  }
}

class AtlasManifestTest : public ::testing::Test {
 protected:
  std::string write_manifest(const std::string& body) {
    const auto path = dir_.path("m.json");
    write_text(path, body);
    return path;
  }
  TempDir dir_;
};

TEST_F(AtlasManifestTest, UnknownKeyIsReportedWithItsPointer) {
  const auto path = write_manifest(
      R"({"name":"x","title":"t","space":"MNI","volume":"v.nii.gz","citation":"c",
          "licence":"l","labels":{"file":"t.tsv","format":"tsv","colour":1}})");
  const auto message = error_of([&] { read_atlas_manifest(path); });
  EXPECT_NE(message.find(path + ": /labels/colour: unknown key"), std::string::npos) << message;
}

TEST_F(AtlasManifestTest, MissingKeyAndBadJson) {
  auto path = write_manifest(R"({"name":"x"})");
  EXPECT_NE(error_of([&] { read_atlas_manifest(path); }).find("/title: required key is missing"),
            std::string::npos);
  path = write_manifest(R"({"name": )");
  EXPECT_NE(error_of([&] { read_atlas_manifest(path); }).find("not valid JSON"), std::string::npos);
}

TEST_F(AtlasManifestTest, ShippedManifestsAllRead) {
  const auto manifests = list_atlas_manifests();
  std::vector<std::string> names;
  for (const auto& m : manifests) names.push_back(m.name);
  EXPECT_EQ(names, (std::vector<std::string>{"aal", "aicha", "brodmann", "ch2", "ch2bet", "ho-cort",
                                             "jhu-wm"}));
  for (const auto& m : manifests) {
    EXPECT_EQ(m.manifest_path.substr(m.manifest_path.rfind('/') + 1), m.name + ".json")
        << "a manifest's file is named after it";
  }
}

TEST_F(AtlasManifestTest, UnknownAtlasNameSuggests) {
  try {
    find_atlas_manifest("aall");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), ExitCode::usage);
    EXPECT_NE(std::string(e.what()).find("did you mean 'aal'"), std::string::npos) << e.what();
  }
}

// A synthetic atlas on disk, loaded through its manifest like a real one.
class AtlasLoadTest : public ::testing::Test {
 protected:
  void SetUp() override {
    testing::SyntheticHeader h;
    h.size = {81, 81, 81};
    h.sform = truth_;
    testing::write_synthetic_nifti(dir_.path("boxes.nii.gz"), h, testing::paint_boxes(truth_));
  }
  std::string manifest_with(const std::string& table, const std::string& extra = "") {
    write_text(dir_.path("boxes.tsv"), table);
    const auto path = dir_.path("boxes.json");
    write_text(path, R"({"name":"boxes","title":"t","space":"MNI","volume":"boxes.nii.gz",
      "labels":{"file":"boxes.tsv","format":"tsv"},"lateralised":true,"citation":"c",
      "licence":"l")" + extra +
                         "}");
    return path;
  }
  Affine truth_ = Affine::from_rows({{{1, 0, 0, -40}, {0, 1, 0, -40}, {0, 0, 1, -40}}});
  TempDir dir_;
};

TEST_F(AtlasLoadTest, LoadsAndLooksUp) {
  const auto atlas =
      Atlas::load(read_atlas_manifest(manifest_with("label\tname\n1\tA_L\n2\tB_R\n3\tC\n")));
  EXPECT_EQ(atlas.lookup({-30, 10, 20}).label, 1);
  EXPECT_EQ(atlas.label_name(2), "B_R");
  EXPECT_EQ(atlas.orientation_note(), "sform");
}

TEST_F(AtlasLoadTest, TableThatDoesNotMatchTheVolumeIsRefused) {
  const auto path = manifest_with("label\tname\n1\tA_L\n2\tB_R\n");
  const auto message = error_of([&] { Atlas::load(read_atlas_manifest(path)); });
  EXPECT_NE(message.find("cannot load atlas 'boxes'"), std::string::npos) << message;
  EXPECT_NE(message.find("does not match volume"), std::string::npos) << message;
  EXPECT_NE(message.find("(3)"), std::string::npos) << "names the unnamed value: " << message;
}

TEST_F(AtlasLoadTest, OrientationFixAppliesOnlyToTheKnownBrokenHeader) {
  // The fix mirrors x; declared for this file's header, it applies and moves box 1 to +30.
  const std::string fix = R"(,"orientation_fix":{"why":"test",
      "when_affine":[[1,0,0,-40],[0,1,0,-40],[0,0,1,-40]],
      "use_affine":[[-1,0,0,40],[0,1,0,-40],[0,0,1,-40]]})";
  const auto fixed =
      Atlas::load(read_atlas_manifest(manifest_with("label\tname\n1\tA\n2\tB\n3\tC\n", fix)));
  EXPECT_EQ(fixed.lookup({30, 10, 20}).label, 1);
  EXPECT_NE(fixed.orientation_note().find("manifest correction"), std::string::npos);
  // Declared for some other header, it does not apply.
  const std::string other = R"(,"orientation_fix":{"why":"test",
      "when_affine":[[2,0,0,-40],[0,2,0,-40],[0,0,2,-40]],
      "use_affine":[[-1,0,0,40],[0,1,0,-40],[0,0,1,-40]]})";
  const auto untouched =
      Atlas::load(read_atlas_manifest(manifest_with("label\tname\n1\tA\n2\tB\n3\tC\n", other)));
  EXPECT_EQ(untouched.lookup({-30, 10, 20}).label, 1);
}

}  // namespace
}  // namespace foci
