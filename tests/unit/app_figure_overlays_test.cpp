// What a panel says about its overlays: colour bars, label legends, notes.
#include "app/figure_overlays.hpp"

#include <gtest/gtest.h>

namespace foci {
namespace {

OverlayMap small_map(std::vector<float> values, OverlayKind kind) {
  OverlayMap map;
  map.title = "zstat1";
  map.size = {static_cast<int>(values.size()), 1, 1};
  map.values = std::move(values);
  map.kind = kind;
  return map;
}

TEST(AppFigureOverlays, ALabelMapPutsItsNamesInTheLegend) {
  auto map = small_map({0, 1, 4, 4}, OverlayKind::labels);
  map.label_names = {{1, "Insula_L"}, {4, "Precuneus_R"}};
  const std::vector<OverlayMap> maps{map};
  Panel panel;
  EXPECT_TRUE(add_overlays_to_panel(panel, scene_overlays(maps, OverlayOptions{})).empty());
  ASSERT_EQ(panel.legend.size(), 2u);
  EXPECT_EQ(panel.legend[0].text, "Insula_L");
  EXPECT_EQ(panel.legend[1].text, "Precuneus_R");
  EXPECT_TRUE(panel.overlay_bars.empty());
  EXPECT_EQ(panel.overlays.size(), 1u);
}

TEST(AppFigureOverlays, ASignedMapGetsAColourBarNamingItAndMarkingTheThreshold) {
  const std::vector<OverlayMap> maps{small_map({-3, 0, 2.5f, 5}, OverlayKind::signed_values)};
  OverlayOptions options;
  options.threshold = 2;
  Panel panel;
  add_overlays_to_panel(panel, scene_overlays(maps, options));
  ASSERT_EQ(panel.overlay_bars.size(), 1u);
  const ColourScale& bar = panel.overlay_bars.front();
  EXPECT_EQ(bar.title, "zstat1 (threshold 2)");
  EXPECT_EQ(bar.marks, (std::vector<double>{2, -2}));
  EXPECT_DOUBLE_EQ(bar.minimum, -5);
  EXPECT_DOUBLE_EQ(bar.maximum, 5);
  // The band below the threshold is the pale grey of "nothing drawn".
  const Rgb middle = bar.colour_of(0);
  EXPECT_NEAR(middle.r, 0.92, 0.01);
  EXPECT_NEAR(middle.b, 0.92, 0.01);
  EXPECT_GT(bar.colour_of(5).r, bar.colour_of(5).b);
  EXPECT_GT(bar.colour_of(-5).b, bar.colour_of(-5).r);
}

TEST(AppFigureOverlays, AThresholdAboveTheMaximumIsSaidOnThePanel) {
  const std::vector<OverlayMap> maps{small_map({-3, 0, 5}, OverlayKind::signed_values)};
  OverlayOptions options;
  options.threshold = 6;
  Panel panel;
  const auto warnings = add_overlays_to_panel(panel, scene_overlays(maps, options));
  EXPECT_EQ(panel.note, "zstat1: no value reaches the threshold 6 (largest magnitude 5)");
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_EQ(warnings.front(),
            "overlay zstat1: no value reaches the threshold 6 (largest magnitude 5); nothing of "
            "it is drawn");
  EXPECT_TRUE(panel.overlay_bars.empty());
}

TEST(AppFigureOverlays, APanelWithMapsOfItsOwnDrawsThoseAndTheOthersTheFiguresMaps) {
  auto figure_map = small_map({1, 2}, OverlayKind::positive);
  figure_map.path = "figure.nii";
  auto panel_map = small_map({3, 4}, OverlayKind::positive);
  panel_map.path = "panel.nii";
  panel_map.volume = 2;
  const std::vector<OverlayMap> maps{figure_map, panel_map};
  OverlayOptions options;
  options.maps = {{"figure.nii", 0}};
  const auto overlays = scene_overlays(maps, options);
  PanelRequest own, plain;
  own.overlays = {{"panel.nii", 2}};
  ASSERT_EQ(overlays_of_panel(overlays, own).size(), 1u);
  EXPECT_EQ(overlays_of_panel(overlays, own)[0].map->path, "panel.nii");
  ASSERT_EQ(overlays_of_panel(overlays, plain).size(), 1u);
  EXPECT_EQ(overlays_of_panel(overlays, plain)[0].map->path, "figure.nii");
}

}  // namespace
}  // namespace foci
