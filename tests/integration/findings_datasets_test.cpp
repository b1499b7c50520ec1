// The curated datasets: they validate, the MECT one matches the seed table by table, no
// coordinate was invented, and every region name they use resolves to atlas labels.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>

#include "atlas/lexicon.hpp"
#include "core/error.hpp"
#include "findings/findings_json.hpp"

namespace foci {
namespace {

namespace fs = std::filesystem;
const fs::path kFindings = fs::path(FOCI_SOURCE_DIR) / "findings";

std::vector<fs::path> dataset_files() {
  std::vector<fs::path> files;
  for (const char* dataset : {"mect", "nssi", "oxytocin"}) {
    for (const auto& e : fs::directory_iterator(kFindings / dataset)) {
      // figures.json beside the findings is a figure spec, not a findings file.
      if (e.path().extension() == ".json" && e.path().filename() != "figures.json") {
        files.push_back(e.path());
      }
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

FindingsFile load(const fs::path& path) { return read_findings_file(path.string()); }

TEST(FindingsDatasets, EveryShippedFileValidates) {
  const auto files = dataset_files();
  EXPECT_EQ(files.size(), 7u);
  for (const auto& path : files) {
    EXPECT_NO_THROW(load(path)) << path;
  }
}

TEST(FindingsDatasets, NoCuratedFindingHasAnInventedCoordinate) {
  // The seeds print no coordinates.
  for (const auto& path : dataset_files()) {
    for (const auto& f : load(path).findings) {
      if (f.location) {
        EXPECT_FALSE(f.location->coordinate) << path << " " << f.id;
      }
      for (const auto& e : f.endpoints) EXPECT_FALSE(e.coordinate) << path << " " << f.id;
    }
  }
}

/// The anchor group of a finding: Table 1/2/3, the Fig. 2 legend, or the text.
std::string group_of(const Finding& f) {
  for (const char* table : {"Table 1", "Table 2", "Table 3"}) {
    if (f.source_anchor.rfind(table, 0) == 0) return table;
  }
  if (f.source_anchor.rfind("Fig. 2", 0) == 0) return "Fig. 2";
  return "text";
}

// Read off seed 002: the 参考文献 column of each table, in table order (Table 1 and Table 3
// continue on 续表 pages), and the regions the Fig. 2 legend lists (8 ReHo, 17 ALFF/fALFF).
TEST(FindingsDatasets, MectMatchesTheSeedTableByTable) {
  std::map<std::string, std::size_t> per_group;
  std::map<std::string, std::set<std::string>> references;
  std::size_t total = 0;
  for (const char* name :
       {"structure.json", "functional.json", "connectivity.json", "claims.json"}) {
    const auto file = load(kFindings / "mect" / name);
    for (const auto& f : file.findings) {
      ++total;
      const std::string group = group_of(f);
      ++per_group[group];
      const Study* study = file.find_study(f.study);
      ASSERT_NE(study, nullptr);
      if (group.rfind("Table", 0) == 0) {
        ASSERT_TRUE(study->reference) << f.id;
        references[group].insert(*study->reference);
      }
    }
  }
  const std::set<std::string> table1{"[9]",  "[10]", "[11]", "[12]", "[13]", "[14]",
                                     "[15]", "[16]", "[17]", "[18]", "[19]", "[20]"};
  const std::set<std::string> table2{"[29]", "[30]", "[32]", "[33]", "[34]",
                                     "[35]", "[36]", "[37]", "[38]"};
  const std::set<std::string> table3{"[30]", "[32]", "[36]", "[37]", "[40]", "[41]",
                                     "[42]", "[43]", "[44]", "[45]", "[46]", "[47]"};
  EXPECT_EQ(references["Table 1"], table1);
  EXPECT_EQ(references["Table 2"], table2);
  EXPECT_EQ(references["Table 3"], table3);
  // Finding counts per table, as findings/mect/COUNTS.md explains them.
  EXPECT_EQ(per_group["Table 1"], 38u);
  EXPECT_EQ(per_group["Table 2"], 31u);
  EXPECT_EQ(per_group["Table 3"], 66u);
  EXPECT_EQ(per_group["Fig. 2"], 25u);
  EXPECT_EQ(per_group["text"], 36u);
  EXPECT_EQ(total, 196u);
}

TEST(FindingsDatasets, MectConnectionsCarryAConnectivityMeasure) {
  // Table 3 also holds single-region measures (degree centrality, a region's connectivity
  // within a network); two endpoints always carry a connectivity measure.
  std::size_t connections = 0;
  for (const auto& f : load(kFindings / "mect" / "connectivity.json").findings) {
    const bool connectivity =
        f.measure == "functional connectivity" || f.measure == "effective connectivity";
    if (f.is_connection()) {
      EXPECT_TRUE(connectivity) << f.id << ": " << f.measure.value_or("-");
    }
    connections += f.is_connection();
  }
  EXPECT_GT(connections, 40u);
}

bool have_mricron_data() { return fs::exists("/usr/share/mricron/templates/aal.nii.gz"); }

// Every region name of every dataset resolves through the lexicon, and to AAL labels. Two
// kinds of region cannot have AAL labels, and the lexicon must say why for each: white-matter
// tracts, which must then resolve in the JHU white-matter atlas, and structures AAL leaves
// unlabelled (the hypothalamus and its nuclei).
TEST(FindingsDatasets, EveryRegionNameResolvesInAal) {
  if (!have_mricron_data()) GTEST_SKIP() << "mricron-data is not installed";
  const RegionLexicon lexicon = RegionLexicon::load_default();
  const Atlas aal = Atlas::load(find_atlas_manifest("aal"));
  const Atlas jhu = Atlas::load(find_atlas_manifest("jhu-wm"));
  std::set<std::string> names;
  for (const auto& path : dataset_files()) {
    for (const auto& f : load(path).findings) {
      if (f.location && f.location->region) names.insert(*f.location->region);
      for (const auto& e : f.endpoints) {
        if (e.region) names.insert(*e.region);
      }
    }
  }
  EXPECT_GT(names.size(), 150u);
  std::set<std::string> without_aal_labels;
  for (const auto& name : names) {
    const auto resolved = lexicon.resolve(name);
    if (!resolved) {
      ADD_FAILURE() << "'" << name << "' does not resolve; closest: "
                    << (lexicon.suggest(name).empty() ? "-" : lexicon.suggest(name).front());
      continue;
    }
    const LexiconRegion& region = *resolved->region;
    const auto aal_mapping = region.atlases.find("aal");
    ASSERT_NE(aal_mapping, region.atlases.end()) << region.id << " has no AAL entry at all";
    if (!aal_mapping->second.labels.empty()) {
      EXPECT_FALSE(lexicon.labels_in(aal, region, resolved->hemisphere).empty()) << name;
      continue;
    }
    EXPECT_FALSE(aal_mapping->second.why.empty()) << region.id << ": no AAL labels and no why";
    without_aal_labels.insert(region.id);
    if (region.atlases.count("jhu-wm")) {
      EXPECT_FALSE(lexicon.labels_in(jhu, region, resolved->hemisphere).empty()) << name;
    }
  }
  // Named so a change to the datasets or the lexicon that adds one is seen and reviewed.
  EXPECT_EQ(without_aal_labels,
            (std::set<std::string>{"forceps-minor", "hypothalamus", "paraventricular-nucleus",
                                   "superior-longitudinal-fasciculus"}));
}

}  // namespace
}  // namespace foci
