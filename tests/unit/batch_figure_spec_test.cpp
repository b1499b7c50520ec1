// Figure specs read into figures and panels: a one-panel figure needs no "panels" list, and a
// filter given in two places is refused.
#include <gtest/gtest.h>

#include "batch/figure_spec.hpp"
#include "nifti_fixture.hpp"

namespace foci {
namespace {

using testing::TempDir;
using testing::write_text;

SpecFile spec_of(const TempDir& dir, const std::string& figures) {
  write_text(dir.path("figures.json"),
             R"({"foci_figures": 1, "findings": ["f.json"], "figures": [)" + figures + "]}");
  return read_spec_file(dir.path("figures.json"));
}

using Conditions = std::map<std::string, std::vector<std::string>>;

// Defect: a figure of one panel had to be written with "panels": a figure-level "filter"
// was refused as an unknown key.
TEST(BatchFigureSpec, AOnePanelFigureTakesItsFilterAtFigureLevel) {
  TempDir dir;
  const SpecFile spec = spec_of(dir, R"({"name": "reho", "title": "ReHo", "views": ["left"],
      "filter": {"measure": "ReHo", "direction": ["increase", "decrease"]}})");
  ASSERT_EQ(spec.figures.size(), 1u);
  const FigureSpec& figure = spec.figures[0];
  ASSERT_FALSE(figure.error) << *figure.error;
  EXPECT_EQ(figure.title, "ReHo");
  ASSERT_EQ(figure.panels.size(), 1u);
  EXPECT_EQ(figure.panels[0].title, "") << "the figure's title is not repeated over its panel";
  EXPECT_EQ(figure.panels[0].filter.conditions,
            (Conditions{{"measure", {"ReHo"}}, {"direction", {"increase", "decrease"}}}));
  EXPECT_EQ(figure.panels[0].views, std::vector<View>{View::left});
}

TEST(BatchFigureSpec, AFigureWithNeitherPanelsNorFilterIsOnePanelOfEverything) {
  TempDir dir;
  const SpecFile spec = spec_of(dir, R"({"name": "all"})");
  ASSERT_FALSE(spec.figures[0].error) << *spec.figures[0].error;
  ASSERT_EQ(spec.figures[0].panels.size(), 1u);
  EXPECT_TRUE(spec.figures[0].panels[0].filter.empty());
}

TEST(BatchFigureSpec, AFigureLevelFilterServesPanelsWithoutTheirOwn) {
  TempDir dir;
  const SpecFile spec = spec_of(dir, R"({"name": "two", "filter": {"file": "mect/structure.json"},
      "panels": [{"title": "a", "views": ["left"]}, {"title": "b"}]})");
  ASSERT_FALSE(spec.figures[0].error) << *spec.figures[0].error;
  ASSERT_EQ(spec.figures[0].panels.size(), 2u);
  for (const auto& panel : spec.figures[0].panels) {
    EXPECT_EQ(panel.filter.conditions, (Conditions{{"file", {"mect/structure.json"}}}));
  }
}

TEST(BatchFigureSpec, AFilterAtFigureLevelAndInAPanelIsRefusedNamingTheFileAndFigure) {
  TempDir dir;
  const SpecFile spec = spec_of(dir, R"({"name": "fine"}, {"name": "both", "filter": {"measure": "ReHo"},
      "panels": [{"title": "a"}, {"title": "b", "filter": {"measure": "ALFF"}}]})");
  ASSERT_EQ(spec.figures.size(), 2u);
  EXPECT_FALSE(spec.figures[0].error) << "the other figure still reads";
  EXPECT_EQ(spec.figures[1].name, "both");
  ASSERT_TRUE(spec.figures[1].error);
  EXPECT_EQ(*spec.figures[1].error,
            dir.path("figures.json") +
                ": /figures/1/filter: a figure-level \"filter\" and a panel's own "
                "(/figures/1/panels/1/filter) are both given; put the filter in the panels, or "
                "give it once for the whole figure");
}

TEST(BatchFigureSpec, ABadFigureLevelFilterOrPanelsListSaysWhere) {
  TempDir dir;
  const SpecFile spec = spec_of(dir, R"({"name": "a", "filter": {"measur": "ReHo"}},
      {"name": "b", "filter": "ReHo"}, {"name": "c", "panels": []})");
  ASSERT_EQ(spec.figures.size(), 3u);
  for (const auto& figure : spec.figures) ASSERT_TRUE(figure.error) << figure.name;
  EXPECT_NE(spec.figures[0].error->find(": /figures/0/filter/measur: "), std::string::npos)
      << *spec.figures[0].error;
  EXPECT_EQ(*spec.figures[1].error, dir.path("figures.json") + ": /figures/1/filter: expected an object");
  EXPECT_EQ(*spec.figures[2].error,
            dir.path("figures.json") +
                ": /figures/2/panels: expected a list of panels (or none, for one panel)");
}

}  // namespace
}  // namespace foci
