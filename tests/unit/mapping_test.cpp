// Mapping on a synthetic atlas whose answers can be worked out by hand: each warning fires
// where it should and only there, nothing is lost, and the maps hold what was mapped.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <cmath>

#include "atlas/nifti_io.hpp"
#include "mapping/mapping.hpp"
#include "mapping/mapping_outputs.hpp"
#include "nifti_fixture.hpp"

namespace foci {
namespace {

// 2 mm voxels, RAS storage, x, y, z from -40 to 40 mm. Boxes (+/- 4 mm): Hip_L at
// (-20, 0, 0), Hip_R at (20, 0, 0), Ins_L at (-30, 20, 10), Ins_R at (30, 20, 10).
Atlas synthetic_atlas() {
  LabelVolume v;
  v.size = {41, 41, 41};
  v.labels.assign(v.voxel_count(), 0);
  set_voxel_to_world(v, Affine::from_rows({{{2, 0, 0, -40}, {0, 2, 0, -40}, {0, 0, 2, -40}}}));
  const struct {
    Vec3 centre;
    std::int32_t label;
  } boxes[] = {{{-20, 0, 0}, 1}, {{20, 0, 0}, 2}, {{-30, 20, 10}, 3}, {{30, 20, 10}, 4}};
  for (int k = 0; k < 41; ++k)
    for (int j = 0; j < 41; ++j)
      for (int i = 0; i < 41; ++i) {
        const Vec3 c = v.voxel_centre(i, j, k);
        for (const auto& b : boxes) {
          const Vec3 d = c - b.centre;
          if (std::abs(d.x) <= 4 && std::abs(d.y) <= 4 && std::abs(d.z) <= 4) {
            v.labels[v.offset(i, j, k)] = b.label;
          }
        }
      }
  AtlasManifest m;
  m.name = "boxes";
  m.lateralised = true;
  return Atlas(m, std::move(v),
               LabelTable({{1, "Hip_L", Hemisphere::left},
                           {2, "Hip_R", Hemisphere::right},
                           {3, "Ins_L", Hemisphere::left},
                           {4, "Ins_R", Hemisphere::right}},
                          "boxes"));
}

// The brain: a ball of radius 40 mm around the origin.
LabelVolume brain_ball() {
  LabelVolume v;
  v.size = {41, 41, 41};
  v.labels.assign(v.voxel_count(), 0);
  set_voxel_to_world(v, Affine::from_rows({{{2, 0, 0, -40}, {0, 2, 0, -40}, {0, 0, 2, -40}}}));
  for (int k = 0; k < 41; ++k)
    for (int j = 0; j < 41; ++j)
      for (int i = 0; i < 41; ++i) {
        if (norm(v.voxel_centre(i, j, k)) <= 40) v.labels[v.offset(i, j, k)] = 1;
      }
  return v;
}

class MappingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    const auto path = dir_.path("regions.json");
    testing::write_text(path, R"({"foci_lexicon": 1, "regions": [
      {"id": "hippocampus", "en": "hippocampus", "zh": "海马",
       "atlases": {"boxes": {"labels": ["Hip"]}}},
      {"id": "insula", "en": "insula", "zh": "岛叶",
       "atlases": {"boxes": {"labels": ["Ins"]}}},
      {"id": "habenula", "en": "habenula",
       "atlases": {"boxes": {"labels": [], "why": "too small"}}}]})");
    lexicon_ = RegionLexicon::load(path);
    request_.atlases = {&atlas_};
    request_.lexicon = &lexicon_;
    request_.brain_mask = &mask_;
    file_.studies.push_back({});
    file_.studies[0].id = "s";
  }

  Finding& add(const std::string& id, Location location,
               Direction direction = Direction::increase) {
    Finding f;
    f.id = id;
    f.study = "s";
    f.measure = "grey-matter volume";
    f.direction = direction;
    f.location = std::move(location);
    f.source_anchor = "test";
    file_.findings.push_back(std::move(f));
    return file_.findings.back();
  }

  static Location region(const std::string& name) {
    return Location{name, std::nullopt, std::nullopt};
  }
  static Location at(const std::string& name, Vec3 p,
                     CoordinateSpace space = CoordinateSpace::mni) {
    Location l;
    if (!name.empty()) l.region = name;
    l.coordinate = ReportedCoordinate{p, space};
    return l;
  }

  MappingResult run() {
    std::vector<FindingInput> inputs;
    for (const auto& f : file_.findings) inputs.push_back({"test.json", &f, &file_});
    return map_findings(inputs, request_);
  }

  /// Warning codes of the finding with this id ("" joined by ',').
  static std::string codes(const MappingResult& r, const std::string& id) {
    for (const auto& m : r.mapped) {
      if (m.input.finding->id != id) continue;
      std::string out;
      for (const auto& w : m.warnings) out += (out.empty() ? "" : ",") + w.code;
      return out;
    }
    return "(not mapped)";
  }
  static const MappedFinding& mapped(const MappingResult& r, const std::string& id) {
    for (const auto& m : r.mapped) {
      if (m.input.finding->id == id) return m;
    }
    throw std::runtime_error("not mapped: " + id);
  }

  testing::TempDir dir_;
  Atlas atlas_ = synthetic_atlas();
  LabelVolume mask_ = brain_ball();
  RegionLexicon lexicon_;
  MappingRequest request_;
  FindingsFile file_;
};

TEST_F(MappingTest, RegionOnlyFindingsArePlacedAtTheirCentroidOnTheNamedSide) {
  add("right", region("右侧海马"));
  add("both", region("海马"));
  const auto r = run();
  ASSERT_EQ(r.mapped.size(), 2u);
  const auto& right = mapped(r, "right");
  ASSERT_EQ(right.placements.size(), 1u);
  const auto& p = right.placements[0];
  EXPECT_EQ(p.source, Placement::Source::atlas);
  EXPECT_NEAR(p.mni.x, 20, 1e-9);
  EXPECT_NEAR(p.mni.y, 0, 1e-9);
  ASSERT_EQ(p.answers.size(), 1u) << "one atlas, one answer";
  EXPECT_EQ(p.answers[0].name(), "Hip_R");
  EXPECT_EQ(p.region_id, "hippocampus");
  const auto& both = mapped(r, "both");
  ASSERT_EQ(both.placements.size(), 2u) << "no side named: one placement per side";
  EXPECT_LT(both.placements[0].mni.x, 0);
  EXPECT_GT(both.placements[1].mni.x, 0);
  EXPECT_EQ(codes(r, "right"), "");
  EXPECT_EQ(codes(r, "both"), "");
}

TEST_F(MappingTest, AReportedCoordinateIsKeptAndAnswered) {
  add("tal", at("", {-20, 0, 0}, CoordinateSpace::talairach));
  const auto r = run();
  const auto& p = mapped(r, "tal").placements.at(0);
  EXPECT_EQ(p.source, Placement::Source::reported);
  EXPECT_DOUBLE_EQ(p.reported->point.x, -20) << "the printed coordinate is never replaced";
  EXPECT_NE(p.mni.x, -20) << "but it is converted to MNI for lookup";
  EXPECT_NEAR(p.mni.x, talairach_to_mni({-20, 0, 0}, request_.transform).x, 1e-9);
}

TEST_F(MappingTest, LabelMismatchFiresOnlyWhenTheCoordinateIsElsewhere) {
  add("agrees", at("left hippocampus", {-20, 1, 0}));
  add("near", at("left hippocampus", {-20, 7, 0}));  // 3 mm beyond the box: within tolerance
  add("far", at("left hippocampus", {-20, 16, 0}));  // 12 mm beyond, in no label
  add("insula", at("left hippocampus", {-30, 20, 10}));
  const auto r = run();
  EXPECT_EQ(codes(r, "agrees"), "");
  EXPECT_EQ(codes(r, "near"), "");
  EXPECT_EQ(codes(r, "far"), "label-mismatch");
  ASSERT_EQ(codes(r, "insula"), "label-mismatch");
  const auto& w = mapped(r, "insula").warnings[0].message;
  EXPECT_NE(w.find("in Ins_L (boxes)"), std::string::npos) << w;
  EXPECT_NE(w.find("the nearest voxel of hippocampus on the left side is"), std::string::npos) << w;
}

TEST_F(MappingTest, SideFlipFiresForACoordinateOnTheOtherSide) {
  add("flipped", at("左侧海马", {20, 0, 0}));
  add("unsided", at("海马", {21, 0, 0}));
  add("midline", at("left hippocampus", {1, 0, 0}));
  const auto r = run();
  ASSERT_EQ(codes(r, "flipped"), "side-flip") << "in the mirror label: not a label mismatch";
  EXPECT_NE(mapped(r, "flipped").warnings[0].message.find("a possible left/right flip"),
            std::string::npos);
  EXPECT_EQ(codes(r, "unsided"), "");
  EXPECT_EQ(codes(r, "midline"), "label-mismatch") << "within 2 mm of x = 0: no side to flip";
}

TEST_F(MappingTest, OutsideTheBrainAndTalairachReadAsMni) {
  add("inside", at("", {0, 20, 0}));
  add("mni-outside", at("", {0, 30, 30}));
  // Labelled Talairach; converted to MNI it leaves the ball, read as MNI it is inside.
  add("was-mni", at("", {0, 38, 0}, CoordinateSpace::talairach));
  const auto r = run();
  EXPECT_EQ(codes(r, "inside"), "");
  EXPECT_EQ(codes(r, "mni-outside"), "outside-brain");
  ASSERT_EQ(codes(r, "was-mni"), "outside-brain,space-mixup");
  EXPECT_NE(mapped(r, "was-mni").warnings[1].message.find("read as MNI instead of Talairach"),
            std::string::npos);
}

TEST_F(MappingTest, DuplicatesAreFlaggedOnce) {
  add("first", region("右侧海马"));
  add("again", region("right hippocampus"));
  add("opposite", region("右侧海马"), Direction::decrease);
  const auto r = run();
  EXPECT_EQ(codes(r, "first"), "");
  EXPECT_EQ(codes(r, "again"), "duplicate");
  EXPECT_EQ(codes(r, "opposite"), "");
}

// Duplicates are found after every finding is placed (grouped by a hash of their key): each
// later copy names the first one in input order, its other warnings come first, and points
// that round to different millimetres are not duplicates.
TEST_F(MappingTest, EveryLaterCopyNamesTheFirstInInputOrder) {
  add("a", at("", {30.2, 10, 0}));
  add("b", at("", {-30, 10, 0}));
  add("a-again", at("", {29.8, 10.4, 0}));
  add("c", at("", {30.6, 10, 0}));
  add("a-third", at("", {30, 9.6, 0.3}));
  add("far-a", at("", {30, 10, 300}));
  add("far-b", at("", {30, 10, 300}));
  // Whole millimetres as "{:.0f}" writes them: halves round to even, and -0.4 is "-0".
  add("half", at("", {22.5, -0.4, 3.5}));
  add("half-again", at("", {22, -0.1, 4}));
  add("not-half", at("", {23, -0.1, 4}));
  add("plus-zero", at("", {22, 0.4, 4}));
  const auto r = run();
  EXPECT_EQ(codes(r, "a"), "");
  EXPECT_EQ(codes(r, "b"), "");
  EXPECT_EQ(codes(r, "c"), "");
  ASSERT_EQ(codes(r, "a-again"), "duplicate");
  EXPECT_EQ(mapped(r, "a-again").warnings[0].message, "the same finding as test.json: a");
  ASSERT_EQ(codes(r, "a-third"), "duplicate");
  EXPECT_EQ(mapped(r, "a-third").warnings[0].message, "the same finding as test.json: a");
  EXPECT_EQ(codes(r, "far-a"), "outside-brain");
  ASSERT_EQ(codes(r, "far-b"), "outside-brain,duplicate");
  EXPECT_EQ(mapped(r, "far-b").warnings[1].message, "the same finding as test.json: far-a");
  EXPECT_EQ(codes(r, "half"), "");
  ASSERT_EQ(codes(r, "half-again"), "duplicate");
  EXPECT_EQ(mapped(r, "half-again").warnings[0].message, "the same finding as test.json: half");
  EXPECT_EQ(codes(r, "not-half"), "");
  EXPECT_EQ(codes(r, "plus-zero"), "");
}

// Findings are placed a chunk at a time on several threads, each straight into its slot:
// across several chunks every finding keeps its place in input order, every reported
// coordinate gets the answer a lookup of its own gives, connections keep both endpoints,
// regions are placed while other threads place too, and a copy in a later chunk names the
// first.
TEST_F(MappingTest, FindingsOverSeveralChunksAreAnsweredInInputOrder) {
  request_.search_radius_mm = 10;
  constexpr int kFindings = 50'000;  // three chunks and part of a fourth
  for (int n = 0; n < kFindings; ++n) {
    const Vec3 p{-39 + 0.37 * (n % 211), -39 + 0.29 * (n % 269), -39 + 0.41 * (n % 191)};
    if (n % 1000 == 7) {
      add("r" + std::to_string(n), region(n % 2 ? "左侧海马" : "insula"));
    } else if (n % 1000 == 9) {
      Finding& f = add("e" + std::to_string(n), Location{});
      f.location.reset();
      f.endpoints = {at("", p), region("右侧海马")};
    } else {
      add("p" + std::to_string(n), at("", p), n % 3 ? Direction::increase : Direction::decrease);
    }
  }
  add("copy-of-p1", at("", {-39 + 0.37, -39 + 0.29, -39 + 0.41}));
  const auto r = run();
  ASSERT_EQ(r.mapped.size() + r.unmapped.size(), kFindings + 1u);
  ASSERT_TRUE(r.unmapped.empty()) << r.unmapped[0].reason;
  int answered = 0;
  for (int n = 0; n < kFindings; ++n) {
    const MappedFinding& m = r.mapped[n];
    ASSERT_EQ(m.input.finding, &file_.findings[n]) << n;
    for (const auto& p : m.placements) {
      if (p.source != Placement::Source::reported) continue;
      const AtlasHit hit = atlas_.lookup(p.mni, 10);
      ASSERT_EQ(p.answers.size(), 1u);
      ASSERT_EQ(p.answers[0].label, hit.label) << m.input.finding->id;
      if (hit.label != 0) {
        EXPECT_EQ(*p.answers[0].distance_mm, hit.distance_mm);
      }
      answered += hit.label != 0;
    }
    if (!m.input.finding->endpoints.empty()) {
      ASSERT_EQ(m.placements.size(), 2u) << m.input.finding->id;
      EXPECT_EQ(m.placements[1].answers[0].name(), "Hip_R");
    }
  }
  EXPECT_GT(answered, 1000) << "some coordinates should lie within 10 mm of a box";
  EXPECT_EQ(codes(r, "copy-of-p1"), "outside-brain,duplicate");  // the mask is a ball
  EXPECT_EQ(r.mapped.back().warnings.back().message, "the same finding as test.json: p1");
}

// With tens of thousands of findings the hashes of their keys are dealt into buckets before
// they are sorted: every copy must still be found and name the first in input order.
TEST_F(MappingTest, CopiesAmongManyFindingsNameTheFirst) {
  constexpr int kDistinct = 30'011;  // each point three times over, the last time in part
  constexpr int kFindings = 70'000;  // more than the 65,536 a single sort is kept for
  for (int n = 0; n < kFindings; ++n) {
    const int k = n % kDistinct;
    add("p" + std::to_string(n), at("", {-30.0 + k % 61, -30.0 + (k / 61) % 61, -10.0 + k / 3721}));
  }
  const auto r = run();
  ASSERT_EQ(r.mapped.size(), static_cast<std::size_t>(kFindings));
  for (int n = 0; n < kFindings; ++n) {
    const auto& warnings = r.mapped[n].warnings;
    const bool copy = !warnings.empty() && warnings.back().code == "duplicate";
    ASSERT_EQ(copy, n >= kDistinct) << "p" << n;
    if (copy) {
      ASSERT_EQ(warnings.back().message,
                "the same finding as test.json: p" + std::to_string(n % kDistinct));
    }
  }
}

// Findings that cannot be placed leave their slots, across chunks: the mapped ones keep input
// order, the unmapped ones come in input order with their own reasons, and a copy placed
// after some were dropped still names its first.
TEST_F(MappingTest, UnplacedFindingsAmongManyLeaveTheRestInOrder) {
  constexpr int kFindings = 40'000;  // two chunks and part of a third
  std::vector<int> unplaced;
  for (int n = 0; n < kFindings; ++n) {
    if (n % 997 == 5) {
      add("u" + std::to_string(n), region("hipocampus"));
      unplaced.push_back(n);
    } else {
      add("p" + std::to_string(n), at("", {-30.0 + n % 61, -30.0 + (n / 61) % 61, 10.5}));
    }
  }
  add("copy-of-p3", at("", {-27, -30, 10.5}));
  const auto r = run();
  ASSERT_EQ(r.unmapped.size(), unplaced.size());
  for (std::size_t u = 0; u < unplaced.size(); ++u) {
    EXPECT_EQ(r.unmapped[u].input.finding, &file_.findings[unplaced[u]]) << u;
    EXPECT_NE(r.unmapped[u].reason.find("'hipocampus' is not in the lexicon"), std::string::npos)
        << r.unmapped[u].reason;
  }
  ASSERT_EQ(r.mapped.size(), kFindings + 1 - unplaced.size());
  std::size_t next = 0;
  for (int n = 0; n < kFindings; ++n) {
    if (n % 997 == 5) continue;
    ASSERT_EQ(r.mapped[next].input.finding, &file_.findings[n]) << n;
    // Points repeat every 61 * 61 findings: each later one names the first.
    const auto& warnings = r.mapped[next].warnings;
    const int first = n % (61 * 61);
    if (n >= 61 * 61 && first % 997 != 5) {
      ASSERT_FALSE(warnings.empty()) << "p" << n;
      EXPECT_EQ(warnings.back().message,
                "the same finding as test.json: p" + std::to_string(first));
    }
    ++next;
  }
  ASSERT_FALSE(r.mapped.back().warnings.empty());
  EXPECT_EQ(r.mapped.back().warnings.back().message, "the same finding as test.json: p3");
}

TEST_F(MappingTest, NothingIsLost) {
  add("ok", region("岛叶"));
  add("unknown-name", region("hipocampus"));
  add("no-labels", region("habenula"));
  add("unknown-with-point", at("hipocampus", {-20, 0, 0}));
  const auto r = run();
  EXPECT_EQ(r.input_count, 4u);
  EXPECT_EQ(r.mapped.size() + r.unmapped.size(), 4u);
  ASSERT_EQ(r.unmapped.size(), 2u);
  EXPECT_NE(r.unmapped[0].reason.find("not in the lexicon (closest: 'hippocampus'"),
            std::string::npos)
      << r.unmapped[0].reason;
  EXPECT_NE(r.unmapped[1].reason.find("too small"), std::string::npos) << r.unmapped[1].reason;
  EXPECT_EQ(codes(r, "unknown-with-point"), "unresolved-region");
}

TEST_F(MappingTest, ConnectionsPlaceBothEndpoints) {
  Finding f;
  f.id = "fc";
  f.study = "s";
  f.measure = "functional connectivity";
  f.direction = Direction::decrease;
  f.endpoints = {region("左侧海马"), at("", {30, 20, 10})};
  f.source_anchor = "test";
  file_.findings.push_back(f);
  const auto r = run();
  const auto& m = mapped(r, "fc");
  ASSERT_EQ(m.placements.size(), 2u);
  EXPECT_EQ(m.placements[0].endpoint, 1);
  ASSERT_EQ(m.placements[0].answers.size(), 1u);
  EXPECT_EQ(m.placements[0].answers[0].name(), "Hip_L");
  EXPECT_EQ(m.placements[1].endpoint, 2);
  ASSERT_EQ(m.placements[1].answers.size(), 1u);
  EXPECT_EQ(m.placements[1].answers[0].name(), "Ins_R");
}

// mapped.json is written finding by finding into the rest of the document: its text must be
// what the whole document dumped at once gives (which is what parsing it and dumping it again
// gives), with findings of every kind, and with none mapped.
TEST_F(MappingTest, MappedJsonIsTheWholeDocumentDumpedAtOnce) {
  add("peak", at("left hippocampus", {-20, 7, 0}));
  add("region", region("右侧海马"));
  add("both-sides", region("海马"));
  Finding& connection = add("connection", Location{});
  connection.location.reset();
  connection.endpoints = {at("", {-20, 1, 0}), region("岛叶")};
  add("again", at("left hippocampus", {-20, 7, 0}));
  add("nowhere", region("no such region"));
  MappingRecord record;
  record.inputs = {"test.json"};
  record.atlases = {"boxes"};
  const auto text = mapped_json(run(), record, lexicon_);
  const auto document = nlohmann::json::parse(text);
  EXPECT_EQ(text, document.dump(2) + "\n");
  ASSERT_EQ(document["findings"].size(), 5u);
  EXPECT_EQ(document["findings"][3]["id"], "connection");
  EXPECT_EQ(document["unmapped"].size(), 1u);

  file_.findings.clear();
  add("nowhere", region("no such region"));
  const auto none = mapped_json(run(), record, lexicon_);
  EXPECT_EQ(none, nlohmann::json::parse(none).dump(2) + "\n");
  EXPECT_NE(none.find("\"findings\": []"), std::string::npos) << none;
}

TEST_F(MappingTest, MapsSumSignsAndDrawEqualVolumeSpheres) {
  add("up", region("左侧海马"));
  add("down", region("左侧海马"), Direction::decrease).measure = "grey-matter volume";
  add("up-right", region("右侧海马"));
  auto& peak = add("peak", at("", {0, 20, 20}));
  peak.cluster = Cluster{33, std::array<double, 3>{2, 2, 2}};  // 264 mm^3: radius 3.98 mm
  const auto r = run();
  const auto maps = mapping_maps(r, request_.atlases, lexicon_, kDefaultSphereRadiusMm);
  const auto& gm = maps.at("grey-matter-volume_regions.nii.gz");
  EXPECT_EQ(gm.label_at({-20, 0, 0}), 0) << "+1 and -1 on the left hippocampus";
  EXPECT_EQ(gm.label_at({20, 0, 0}), 1);
  EXPECT_EQ(gm.label_at({0, 0, 0}), 0);
  const auto& count = maps.at("count.nii.gz");
  EXPECT_EQ(count.label_at({-20, 0, 0}), 2);
  EXPECT_EQ(count.label_at({0, 20, 20}), 1);
  const auto& spheres = maps.at("coordinates_spheres.nii.gz");
  EXPECT_EQ(spheres.label_at({0, 20, 20}), 1);
  EXPECT_EQ(spheres.label_at({0, 22, 22}), 1) << "2.8 mm from the peak";
  EXPECT_EQ(spheres.label_at({0, 26, 20}), 0) << "6 mm: beyond the equal-volume radius";

  // Written and read back by the project's reader: the same labels at the same points,
  // under a valid sform.
  const auto path = dir_.path("gm.nii.gz");
  write_label_volume(gm, path);
  const auto reread = read_label_volume(path);
  EXPECT_EQ(reread.labels, gm.labels);
  EXPECT_EQ(reread.label_at({20, 0, 0}), 1);
  const auto header = read_nifti_orientation(path);
  EXPECT_EQ(header.source, OrientationSource::sform);
  EXPECT_EQ(header.sform_code, 4);
  EXPECT_TRUE(header.sform.near(atlas_.volume().voxel_to_world, 1e-6));
}

}  // namespace
}  // namespace foci
