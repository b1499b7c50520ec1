// Hostile and malformed inputs through the real program. Each is refused as an input error
// (exit 3) that names the file and the place, in little time and memory, and never crashes or
// reaches main() as an internal error (exit 1).
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cstdint>
#include <filesystem>
#include <limits>
#include <string>

#include "nifti_fixture.hpp"
#include "process.hpp"

namespace foci {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;
using testing::MeasuredResult;
using testing::ProcessResult;
using testing::slurp;
using testing::TempDir;
using testing::write_text;

const std::string kExample = FOCI_SOURCE_DIR "/findings/examples/minimal.json";

bool has_mricron_data() { return fs::exists("/usr/share/mricron/templates/aal.nii.gz"); }

class CliInputLimits : public ::testing::Test {
 protected:
  ProcessResult run_foci(const std::string& args) {
    return testing::run_shell(std::string("'") + FOCI_BINARY + "' " + args, dir_.root());
  }
  MeasuredResult measure_foci(const std::string& args) {
    return testing::run_shell_measured(std::string("'") + FOCI_BINARY + "' " + args, dir_.root());
  }
  std::string path(const std::string& name) const { return dir_.path(name); }
  std::string q(const std::string& name) const { return "'" + dir_.path(name) + "'"; }
  /// The example findings file with every study id (and the findings' study) set to `id`.
  std::string example_with_study_id(const std::string& name, const std::string& id) {
    auto doc = json::parse(slurp(kExample));
    doc["studies"][0]["id"] = id;
    for (auto& f : doc["findings"]) f["study"] = id;
    write_text(path(name), doc.dump(1));
    return path(name);
  }
  TempDir dir_;
};

TEST_F(CliInputLimits, AStudyIdOf300000CharactersIsRefusedNotASegfault) {
  // std::regex_match recursed once a character: validate and map died with SIGSEGV (139).
  const std::string file = example_with_study_id("long.json", std::string(300000, 'a'));
  const auto r = run_foci("validate '" + file + "'");
  EXPECT_EQ(r.exit_code, 3) << r.err.substr(0, 500);
  EXPECT_NE(r.err.find(file + ": /studies/0/id: is 300000 characters long; at most 200 are "
                              "allowed"),
            std::string::npos)
      << r.err.substr(0, 500);
  EXPECT_LT(r.err.size(), 2000u) << "the id is not printed whole";
  const std::string medium = example_with_study_id("medium.json", std::string(26000, 'b'));
  EXPECT_EQ(run_foci("validate '" + medium + "'").exit_code, 3);
  if (!has_mricron_data()) GTEST_SKIP() << "mricron-data is not installed";
  const auto map = run_foci("map '" + file + "' --atlas aal --out " + q("out"));
  EXPECT_EQ(map.exit_code, 3) << map.err.substr(0, 500);
  EXPECT_NE(map.err.find("/studies/0/id: is 300000 characters long"), std::string::npos);
}

TEST_F(CliInputLimits, ImportOfAStudyNameOf26000CharactersGivesAShortValidId) {
  // The name became a 26,000-character id, which the check of the output fed to std::regex.
  const std::string name(26000, 's');
  write_text(path("t.tsv"), "x\ty\tz\tstudy\n1\t2\t3\t" + name + "\n");
  write_text(path("s.txt"), "// Reference=MNI\n// " + name + ": c\n1 2 3\n");
  for (const auto& [format, input] : {std::pair{"tsv", "t.tsv"}, std::pair{"sleuth", "s.txt"}}) {
    SCOPED_TRACE(format);
    const std::string output = std::string(format) + ".json";
    const auto r =
        run_foci(std::string("import --from ") + format + " " + q(input) + " -o " + q(output));
    ASSERT_EQ(r.exit_code, 0) << r.err.substr(0, 500);
    const auto doc = json::parse(slurp(path(output)));
    ASSERT_EQ(doc.at("studies").size(), 1u);
    EXPECT_LE(doc["studies"][0].at("id").get<std::string>().size(), 200u);
    EXPECT_EQ(doc["studies"][0].at("citation"), name) << "the name is kept as written";
    EXPECT_EQ(run_foci("validate " + q(output)).exit_code, 0);
  }
  // A study name of 300,000 characters is longer than any text a findings file holds.
  write_text(path("huge.tsv"), "x\ty\tz\tstudy\n1\t2\t3\t" + std::string(300000, 'h') + "\n");
  const auto r = run_foci("import --from tsv " + q("huge.tsv") + " -o " + q("huge.json"));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find(path("huge.tsv") + ":2: column 'study' is 300000 characters long"),
            std::string::npos)
      << r.err.substr(0, 500);
  EXPECT_FALSE(fs::exists(path("huge.json")));
}

TEST_F(CliInputLimits, ANumberTooLargeForADoubleIsAnInputErrorWithLineAndColumn) {
  // nlohmann threw out_of_range: "internal error: [json.exception.out_of_range.406]", exit 1.
  std::string text = slurp(kExample);
  text.replace(text.find("\"x\": 2"), 6, "\"x\": 1e400");
  write_text(path("inf.json"), text);
  const auto r = run_foci("validate " + q("inf.json"));
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find(path("inf.json") + ":"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find(": the number 1e400 is too large to hold"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("internal error"), std::string::npos) << r.err;
}

TEST_F(CliInputLimits, DuplicateKeysAndDuplicateColumnsAreRefused) {
  write_text(path("dup.json"),
             R"({"foci_findings": 1, "title": "a", "title": "b", "source": {"citation": "c"},
                 "findings": []})");
  auto r = run_foci("validate " + q("dup.json"));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find(path("dup.json") + ": /title: duplicate key \"title\""), std::string::npos)
      << r.err;
  write_text(path("dup.tsv"), "x\ty\tz\tnote\tX\n1\t2\t3\ta\t4\n");
  r = run_foci("import --from tsv " + q("dup.tsv") + " -o " + q("dup-out.json"));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find(path("dup.tsv") + ":1: columns 1 ('x') and 5 ('X') have the same name"),
            std::string::npos)
      << r.err;
  r = run_foci("atlas query --atlas aal --coords " + q("dup.tsv"));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find(path("dup.tsv") + ":1: columns 1 ('x') and 5 ('X')"), std::string::npos)
      << r.err;
  EXPECT_EQ(r.out, "") << "nothing is printed for a refused file";
}

TEST_F(CliInputLimits, TextThatIsNotUtf8IsAnInputErrorNamingTheLine) {
  // nlohmann threw type_error 316 when the JSON was written: exit 1, no file named.
  write_text(path("latin1.tsv"), "x\ty\tz\tstudy\n1\t2\t3\tM\xFCller 2020\n");
  auto r = run_foci("import --from tsv " + q("latin1.tsv") + " -o " + q("out.json"));
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find(path("latin1.tsv") + ":2: not UTF-8 text (byte 0xFC at column 8)"),
            std::string::npos)
      << r.err;
  EXPECT_FALSE(fs::exists(path("out.json")));
  if (has_mricron_data()) {
    r = run_foci("atlas query --atlas aal --format json --coords " + q("latin1.tsv"));
    EXPECT_EQ(r.exit_code, 3) << r.err;
    EXPECT_NE(r.err.find(path("latin1.tsv") + ":2: not UTF-8 text"), std::string::npos) << r.err;
    EXPECT_EQ(r.out, "");
  }
  write_text(path("latin1.node"), "1 2 3 1 1 A\n4 5 6 1 1 Gyrus_\xE9\n");
  r = run_foci("import --from brainnet " + q("latin1.node") + " -o " + q("node.json"));
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find(path("latin1.node") + ":2: not UTF-8 text"), std::string::npos) << r.err;
}

TEST_F(CliInputLimits, CoordinatesBeyond1000MmInBrainNetAndSleuthFilesAreInputErrors) {
  // They passed the importer and failed the check of its output: exit 1, no file named.
  write_text(path("far.node"), "1 2 3 1 1 A\n-2000 0 0 1 1 B\n");
  auto r = run_foci("import --from brainnet " + q("far.node") + " -o " + q("a.json"));
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find(path("far.node") + ":2: field 1 (-2000 mm) is beyond +/-1000 mm"),
            std::string::npos)
      << r.err;
  write_text(path("far.txt"), "// Reference=MNI\n// A: c\n1 2 3\n4 5 1e5\n");
  r = run_foci("import --from sleuth " + q("far.txt") + " -o " + q("b.json"));
  EXPECT_EQ(r.exit_code, 3) << r.err;
  EXPECT_NE(r.err.find(path("far.txt") + ":4: 1e5 mm is beyond +/-1000 mm"), std::string::npos)
      << r.err;
}

TEST_F(CliInputLimits, ImportMemoryDoesNotGrowWithTheRows) {
  // A million rows took 3.3 GB (ten million, 24 GB); each finding is now written as read.
  std::string table = "x\ty\tz\n";
  constexpr int kRows = 200000;
  for (int n = 0; n < kRows; ++n) {
    table += std::to_string(n % 140 - 70) + "\t" + std::to_string(n % 170 - 100) + "\t" +
             std::to_string(n % 125 - 50) + "\n";
  }
  write_text(path("rows.tsv"), table);
  const auto m = measure_foci("import --from tsv " + q("rows.tsv") + " -o " + q("rows.json"));
  ASSERT_EQ(m.result.exit_code, 0) << m.result.err;
  EXPECT_NE(m.result.err.find("imported 200000 coordinate(s)"), std::string::npos);
  EXPECT_LT(m.peak_rss_kib, 150 * 1024) << "KiB at the peak, for 200,000 rows (it was 640 MB)";
  const auto doc = json::parse(slurp(path("rows.json")));
  ASSERT_EQ(doc.at("findings").size(), static_cast<std::size_t>(kRows));
  EXPECT_EQ(doc["findings"].back().at("id"), "row-200001");
}

TEST_F(CliInputLimits, AGzippedSleuthFileOfBlankLinesTakesLittleMemory) {
  // 100 MB of blank lines in 100 KB of gzip took 4.3 GB.
  testing::write_gzipped(path("blank.txt.gz"), std::string(1 << 20, '\n'), 100);
  ASSERT_LT(fs::file_size(path("blank.txt.gz")), 200000u);
  const auto m = measure_foci("import --from sleuth " + q("blank.txt.gz") + " -o " + q("b.json"));
  EXPECT_EQ(m.result.exit_code, 3) << m.result.err;
  EXPECT_NE(m.result.err.find("no coordinates in the Sleuth file(s)"), std::string::npos);
  EXPECT_LT(m.peak_rss_kib, 150 * 1024) << "KiB at the peak";
}

/// A 4 x 4 x 4 label image with `bytes` written over its header at `offset`, as `name`
/// (gzip-compressed when the name ends in .gz), and a manifest `name`.json for it.
std::string patched_atlas(const TempDir& dir, const std::string& name, std::size_t offset,
                          const std::string& bytes) {
  testing::SyntheticHeader h;
  h.size = {4, 4, 4};
  h.sform = Affine::from_rows({{{1, 0, 0, -2}, {0, 1, 0, -2}, {0, 0, 1, -2}}});
  const std::string plain = dir.path("source-" + name + ".nii");
  testing::write_synthetic_nifti(plain, h, [](int, int, int) { return 1; });
  std::string content = slurp(plain);
  content.replace(offset, bytes.size(), bytes);
  if (name.size() > 3 && name.substr(name.size() - 3) == ".gz") {
    testing::write_gzipped(dir.path(name), content);
  } else {
    write_text(dir.path(name), content);
  }
  write_text(dir.path("labels.txt"), "1 Region_L\n");
  const std::string manifest = dir.path(name + ".json");
  write_text(manifest, R"({"name": "bad", "title": "t", "space": "MNI", "volume": ")" + name +
                           R"(", "labels": {"file": "labels.txt", "format": "mricron"},
                           "citation": "c", "licence": "l"})");
  return manifest;
}

template <typename T>
std::string bytes_of(T value) {
  return std::string(reinterpret_cast<const char*>(&value), sizeof value);
}

TEST_F(CliInputLimits, MalformedNiftiHeadersAreRefusedWithoutTheLibrarysOwnLines) {
  // A negative dimension loaded as an empty atlas, a NaN sform fell back to pixdim, and
  // dim[1] = 0 printed "** ERROR: nifti_convert_nhdr2nim: bad dim[1]" before foci's message.
  const struct {
    const char* name;
    std::size_t offset;
    std::string bytes;
    const char* says;
  } cases[] = {
      {"negative.nii", 44, bytes_of<std::int16_t>(-5),
       "dimension 2 of the header is -5; every dimension must be at least 1"},
      {"zero.nii.gz", 46, bytes_of<std::int16_t>(0), "dimension 3 of the header is 0"},
      {"dim1.nii", 42, bytes_of<std::int16_t>(0), "dimension 1 of the header is 0"},
      {"nan.nii", 280, bytes_of(std::numeric_limits<float>::quiet_NaN()),
       "the sform (sform_code 4) holds NaN or infinity"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string manifest = patched_atlas(dir_, c.name, c.offset, c.bytes);
    const auto r = run_foci("atlas query --atlas '" + manifest + "' --mni 0 0 0");
    EXPECT_EQ(r.exit_code, 3) << r.out << r.err;
    EXPECT_NE(r.err.find("cannot read '" + path(c.name) + "': " + c.says), std::string::npos)
        << r.err;
    EXPECT_EQ(r.err.find("** ERROR"), std::string::npos) << r.err;
    EXPECT_EQ(r.err.rfind("foci: [ERROR]", 0), 0u) << "foci's message comes first:\n" << r.err;
    EXPECT_EQ(r.out, "");
  }
}

TEST_F(CliInputLimits, ANiftiHeaderClaimingAGigavoxelIsRefusedBeforeAllocating) {
  // A 1 MB .nii.gz claiming 1024^3 voxels took 5.3 GB before reading anything.
  std::string dims = bytes_of<std::int16_t>(3);
  for (int d = 0; d < 3; ++d) dims += bytes_of<std::int16_t>(1024);
  const std::string manifest = patched_atlas(dir_, "huge.nii.gz", 40, dims);
  const auto m = measure_foci("atlas query --atlas '" + manifest + "' --mni 0 0 0");
  EXPECT_EQ(m.result.exit_code, 3) << m.result.err;
  EXPECT_NE(m.result.err.find("the header claims 1024 x 1024 x 1024 = 1073741824 voxels, more "
                              "than foci reads (134217728, 512^3)"),
            std::string::npos)
      << m.result.err;
  EXPECT_LT(m.peak_rss_kib, 200 * 1024) << "KiB at the peak";
}

TEST_F(CliInputLimits, ALabelPathToAnotherFileNamesItsLineWithoutEchoingIt) {
  // The first line of whatever file the path named was printed whole, escapes and all.
  testing::SyntheticHeader h;
  h.size = {4, 4, 4};
  testing::write_synthetic_nifti(path("v.nii"), h, [](int, int, int) { return 1; });
  write_text(path("notes.txt"), "\x1b]0;title\x07" + std::string(10000, 'z') + "\nmore\n");
  write_text(path("m.json"), R"({"name": "m", "title": "t", "space": "MNI", "volume": "v.nii",
    "labels": {"file": "notes.txt", "format": "mricron"}, "citation": "c", "licence": "l"})");
  auto r = run_foci("atlas regions --atlas " + q("m.json"));
  EXPECT_EQ(r.exit_code, 3) << r.err.substr(0, 300);
  EXPECT_NE(r.err.find(path("notes.txt") + ":1: expected 'value name', got '\\x1b]0;title\\x07z"),
            std::string::npos)
      << r.err.substr(0, 300);
  EXPECT_EQ(r.err.find('\x1b'), std::string::npos) << "no raw escape reaches the terminal";
  EXPECT_LT(r.err.size(), 600u);
  // A binary file is named with its line, nothing of it quoted.
  write_text(path("m2.json"), R"({"name": "m2", "title": "t", "space": "MNI", "volume": "v.nii",
    "labels": {"file": "v.nii", "format": "mricron"}, "citation": "c", "licence": "l"})");
  r = run_foci("atlas regions --atlas " + q("m2.json"));
  EXPECT_EQ(r.exit_code, 3);
  EXPECT_NE(r.err.find(path("v.nii") + ":1: not UTF-8 text"), std::string::npos) << r.err;
  EXPECT_LT(r.err.size(), 600u);
}

TEST_F(CliInputLimits, MapRefusesAHugeRegionNameByItsLength) {
  // Name resolution cost about 0.1 ms a character: 2 MB of region name held map for minutes.
  if (!has_mricron_data()) GTEST_SKIP() << "mricron-data is not installed";
  auto doc = json::parse(slurp(kExample));
  doc["findings"][0]["location"]["region"] = "right " + std::string(2000000, 'q');
  write_text(path("region.json"), doc.dump());
  const auto r = run_foci("map " + q("region.json") + " --atlas aal --out " + q("out"));
  EXPECT_EQ(r.exit_code, 3) << r.err.substr(0, 500);
  EXPECT_NE(r.err.find("/findings/0/location/region: is 2000006 characters long; at most 1000"),
            std::string::npos)
      << r.err.substr(0, 500);
}

TEST_F(CliInputLimits, BatchFigureNamesThatAreHugeOrDotsWriteNoFile) {
  if (!has_mricron_data()) GTEST_SKIP() << "mricron-data is not installed";
  fs::copy_file(kExample, path("minimal.json"));
  write_text(path("figures.json"), R"({"foci_figures": 1, "findings": ["minimal.json"],
    "atlases": ["aal"], "figures": [
      {"name": ".", "panels": [{"title": "a"}]},
      {"name": "..", "panels": [{"title": "a"}]},
      {"name": ")" + std::string(30000, 'n') +
                                       R"(", "panels": [{"title": "a"}]}]})");
  const auto r = run_foci("batch " + q("figures.json") + " --out " + q("out") + " --jobs 1");
  EXPECT_EQ(r.exit_code, 5) << r.err.substr(0, 500);
  for (const char* at : {"/figures/0/name", "/figures/1/name", "/figures/2/name"}) {
    EXPECT_NE(r.err.find(at), std::string::npos) << at;
  }
  EXPECT_LT(r.err.size(), 2000u) << "the 30,000-character name is not printed whole";
  // No figure file, hidden or not: only the run's manifest and its lock files.
  for (const auto& entry : fs::directory_iterator(path("out"))) {
    const auto extension = entry.path().extension();
    EXPECT_TRUE(extension == ".json" || extension == ".lock") << entry.path();
  }
}

}  // namespace
}  // namespace foci
