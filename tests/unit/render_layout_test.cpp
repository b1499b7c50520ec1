// The figure layout is plain arithmetic: checked here without VTK or a display.
#include <gtest/gtest.h>

#include "render/layout.hpp"

namespace foci {
namespace {

Panel panel_with(std::size_t views, const std::string& title = "", bool legend = false) {
  Panel p;
  p.title = title;
  for (std::size_t n = 0; n < views; ++n) p.views.push_back(static_cast<View>(n % 8));
  if (legend) p.legend.push_back({increase_colour(), "increase"});
  return p;
}

bool inside(const PixelBox& inner, const PixelBox& outer) {
  const double e = 1e-9;
  return inner.x0 >= outer.x0 - e && inner.x1 <= outer.x1 + e && inner.y0 >= outer.y0 - e &&
         inner.y1 <= outer.y1 + e;
}

bool overlap(const PixelBox& a, const PixelBox& b) {
  const double e = 1e-9;
  return a.x0 < b.x1 - e && b.x0 < a.x1 - e && a.y0 < b.y1 - e && b.y0 < a.y1 - e;
}

TEST(RenderLayout, SixViewsOfALandscapeFigureMakeThreeColumnsOfTwoRows) {
  Figure f;
  f.width = 1600;
  f.height = 1200;
  f.panels.push_back(panel_with(6));
  const FigureLayout layout = lay_out_figure(f);
  ASSERT_EQ(layout.panels.size(), 1u);
  const auto& views = layout.panels[0].views;
  ASSERT_EQ(views.size(), 6u);
  EXPECT_DOUBLE_EQ(views[0].width(), 1600.0 / 3);
  EXPECT_DOUBLE_EQ(views[0].height(), 600.0);
  EXPECT_DOUBLE_EQ(views[0].y1, 1200.0) << "the first row starts at the top";
  EXPECT_LT(views[3].y1, views[0].y1) << "the fourth view starts the second row";
  EXPECT_DOUBLE_EQ(views[3].x0, 0.0);
}

TEST(RenderLayout, ViewsStayInsideTheirPanelAndNeverOverlap) {
  Figure f;
  f.width = 1800;
  f.height = 2000;
  f.title = "Fig. 2";
  f.panels.push_back(panel_with(6, "ReHo", true));
  f.panels.push_back(panel_with(5, "ALFF", true));
  f.panels.push_back(panel_with(3));
  f.panels.back().colour_bar = ColourScale{};
  const FigureLayout layout = lay_out_figure(f);
  ASSERT_EQ(layout.panels.size(), 3u);
  std::vector<PixelBox> all;
  for (std::size_t p = 0; p < layout.panels.size(); ++p) {
    const auto& panel = layout.panels[p];
    ASSERT_EQ(panel.views.size(), f.panels[p].views.size());
    for (const auto& v : panel.views) {
      EXPECT_TRUE(inside(v, panel.area));
      EXPECT_FALSE(overlap(v, panel.header)) << "panel " << p;
      EXPECT_FALSE(overlap(v, panel.footer)) << "panel " << p;
      EXPECT_FALSE(overlap(v, layout.title));
      for (const auto& other : all) EXPECT_FALSE(overlap(v, other));
      all.push_back(v);
    }
    if (p > 0) {
      EXPECT_DOUBLE_EQ(panel.area.y1, layout.panels[p - 1].area.y0);
    }
  }
  EXPECT_GT(layout.title.height(), 0);
  EXPECT_DOUBLE_EQ(layout.panels[0].area.y1, layout.title.y0) << "panels start under the title";
  EXPECT_GT(layout.panels[2].footer.height(), layout.panels[0].footer.height())
      << "a colour bar needs a taller footer than a legend";
  EXPECT_DOUBLE_EQ(layout.panels[2].header.height(), 0) << "no title, no letter: no header";
}

TEST(RenderLayout, AShortLastRowIsCentred) {
  Figure f;
  f.width = 1500;
  f.height = 800;
  f.panels.push_back(panel_with(5));
  const FigureLayout layout = lay_out_figure(f);  // kept: views refers into it
  const auto& views = layout.panels[0].views;
  ASSERT_EQ(views.size(), 5u);
  const double left_gap = views[3].x0, right_gap = 1500 - views[4].x1;
  EXPECT_GT(left_gap, 0) << "the last row does not start at the left edge";
  EXPECT_NEAR(left_gap, right_gap, 1e-9);
}

TEST(RenderLayout, BestColumnsMakesEachViewLargest) {
  EXPECT_EQ(best_columns(1, 800, 600), 1);
  EXPECT_EQ(best_columns(2, 1600, 600), 2) << "wide: side by side";
  EXPECT_EQ(best_columns(2, 600, 1600), 1) << "tall: stacked";
  EXPECT_EQ(best_columns(8, 1600, 1200), 3);
}

TEST(RenderLayout, TextGrowsWithTheFigureButNeverBelowElevenPixels) {
  Figure small, large;
  small.width = small.height = 100;
  large.width = 5500;
  large.height = 5500;
  EXPECT_DOUBLE_EQ(lay_out_figure(small).unit, 11.0);
  EXPECT_DOUBLE_EQ(lay_out_figure(large).unit, 100.0);
}

// Defect: a legend of more entries than one line holds ended in "+3 more". Every entry is
// placed, in rows that wrap inside the footer, none over another or over the views.
TEST(RenderLayout, ALegendOfManyEntriesWrapsIntoRowsAndPlacesEveryOne) {
  Figure f;
  f.width = 900;
  f.height = 1000;
  f.panels.push_back(panel_with(4, "All"));
  f.panels.push_back(panel_with(4, "Some", true));
  Panel& many = f.panels[0];
  for (const char* text : {"increase", "decrease", "both (different studies)",
                           "normalised / no change / not reported",
                           "tint, lobe or hemisphere: increase",
                           "tint, lobe or hemisphere: decrease",
                           "tint, lobe or hemisphere: both (different studies)",
                           "左侧大脑半球 (T1)"}) {
    many.legend.push_back({increase_colour(), text});
  }
  many.size_legend = "node size: cluster volume (4 mm: not reported)";
  many.note = "2 findings unmapped";
  const FigureLayout layout = lay_out_figure(f);
  const PanelLayout& box = layout.panels[0];
  const LegendLayout& legend = box.legend;
  ASSERT_EQ(legend.entries.size(), many.legend.size()) << "every entry placed";
  EXPECT_EQ(legend.left_out, 0u);
  EXPECT_GT(legend.rows, 1);
  EXPECT_DOUBLE_EQ(legend.text_px, layout.unit) << "room enough at full size";
  // Each entry's swatch and name as a box; the size legend and note after them.
  std::vector<PixelBox> placed;
  for (std::size_t n = 0; n < legend.entries.size(); ++n) {
    const PixelPoint at = legend.entries[n];
    placed.push_back({at.x - legend.text_px * 0.45, at.y - legend.text_px * 0.6,
                      at.x + legend.text_px * (0.8 + text_width_ems(many.legend[n].text)),
                      at.y + legend.text_px * 0.6});
  }
  for (const auto& [at, text] : {std::pair{legend.size_legend, many.size_legend},
                                 std::pair{legend.note, many.note}}) {
    placed.push_back({at.x, at.y - legend.text_px * 0.6,
                      at.x + legend.text_px * 0.9 * text_width_ems(text),
                      at.y + legend.text_px * 0.6});
  }
  for (std::size_t a = 0; a < placed.size(); ++a) {
    EXPECT_TRUE(inside(placed[a], box.footer)) << "item " << a << " inside the footer";
    EXPECT_LE(placed[a].x1, f.width - layout.unit + 1e-9) << "item " << a;
    for (std::size_t b = 0; b < a; ++b) {
      EXPECT_FALSE(overlap(placed[a], placed[b])) << "items " << b << " and " << a;
    }
    for (const auto& v : box.views) EXPECT_FALSE(overlap(placed[a], v)) << "item " << a;
  }
  EXPECT_GT(box.footer.height(), layout.panels[1].footer.height())
      << "more rows, a taller footer";
}

TEST(RenderLayout, ALegendLeavesTheColourBarsTheirSideAndOnlyALabelMapsHundredsAreCounted) {
  Figure f;
  f.width = 1200;
  f.height = 800;
  f.panels.push_back(panel_with(3));
  Panel& panel = f.panels[0];
  panel.overlay_bars.push_back(ColourScale{0, 1, {}, "ReHo: rises minus falls", {}});
  for (int n = 0; n < 6; ++n) panel.legend.push_back({increase_colour(), "parcel " + std::to_string(n)});
  FigureLayout layout = lay_out_figure(f);
  ASSERT_EQ(layout.panels[0].legend.entries.size(), 6u);
  for (const auto& at : layout.panels[0].legend.entries) {
    EXPECT_LT(at.x, f.width * 0.6 - layout.unit * 2.5 - layout.unit * 0.85 * text_width_ems("ReHo: rises minus falls"))
        << "left of the colour bar's title";
  }
  // A label map's 400 names cannot all fit under a panel: the rows stop at a third of the
  // panel, the text at its smallest size, and the rest is counted.
  panel.legend.clear();
  for (int n = 0; n < 400; ++n) panel.legend.push_back({increase_colour(), "Frontal_Sup_Orb_" + std::to_string(n)});
  layout = lay_out_figure(f);
  const auto& legend = layout.panels[0].legend;
  EXPECT_GT(legend.left_out, 0u);
  EXPECT_EQ(legend.entries.size() + legend.left_out, 400u);
  EXPECT_LT(legend.text_px, layout.unit);
  EXPECT_LE(layout.panels[0].footer.height(), layout.panels[0].area.height() / 3 + 1e-9);
}

TEST(RenderLayout, ATallFigureIsDrawnInBandsThatHoldEachViewWhole) {
  Figure f;
  f.width = 1800;
  f.height = 2000;
  f.title = "Every finding";
  for (const char* title : {"All", "Structure", "Connectivity"}) {
    f.panels.push_back(panel_with(4, title, true));
  }
  const FigureLayout layout = lay_out_figure(f);
  const DrawingBands bands = drawing_bands(layout);
  ASSERT_GE(bands.starts.size(), 3u) << "three panels of one row of views each";
  EXPECT_LE(bands.rows * 2, f.height) << "a band is at most half the figure";
  EXPECT_EQ(bands.starts.front(), 0);
  for (std::size_t b = 0; b < bands.starts.size(); ++b) {
    const int end = b + 1 < bands.starts.size() ? bands.starts[b + 1] : f.height;
    EXPECT_LT(bands.starts[b], end) << "band " << b;
    EXPECT_LE(end - bands.starts[b], bands.rows) << "band " << b << " fits the window";
  }
  for (const auto& panel : layout.panels) {
    for (const auto& box : panel.views) {
      const PixelRows rows = viewport_rows(box.y0 / f.height, box.y1 / f.height, f.height);
      std::size_t holding = 0;
      for (std::size_t b = 0; b < bands.starts.size(); ++b) {
        const int end = b + 1 < bands.starts.size() ? bands.starts[b + 1] : f.height;
        if (rows.first >= bands.starts[b] && rows.last <= end) ++holding;
        EXPECT_FALSE(rows.first < bands.starts[b] && bands.starts[b] < rows.last)
            << "band " << b << " starts inside a view";
      }
      EXPECT_EQ(holding, 1u) << "each view lies whole in one band";
    }
  }
}

TEST(RenderLayout, AFigureOfOneRowOfViewsIsDrawnWhole) {
  Figure f;
  f.width = 4800;
  f.height = 2400;
  f.panels.push_back(panel_with(6));
  EXPECT_TRUE(drawing_bands(lay_out_figure(f)).starts.empty()) << "bands would not halve it";
  f.width = 1200;
  f.height = 420;
  f.panels[0] = panel_with(3);
  EXPECT_TRUE(drawing_bands(lay_out_figure(f)).starts.empty());
  f.panels.clear();
  f.height = 2000;
  EXPECT_TRUE(drawing_bands(lay_out_figure(f)).starts.empty()) << "no views";
}

}  // namespace
}  // namespace foci
