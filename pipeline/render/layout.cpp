#include "render/layout.hpp"

#include <algorithm>

namespace foci {

namespace {

// Heights in text units: a title line, a panel header, a legend footer (with colour bars,
// kColourBarRowUnits per bar).
constexpr double kTitleUnits = 2.6, kHeaderUnits = 2.2, kFooterUnits = 2.0;

/// Text units from the legend block's top to its first row's middle, and from its last row's
/// middle to its bottom: one row of full-size text makes kFooterUnits.
constexpr double kLegendTopUnits = 1.1, kLegendBottomUnits = 0.9;
/// Gap after a legend entry, text units at the legend's size; the swatch's text starts 0.8
/// units right of its centre.
constexpr double kLegendGapUnits = 1.4, kSwatchTextUnits = 0.8;
/// How much wider than Helvetica's metrics figure text is reckoned (VTK's font is about 10%
/// wider; the rest keeps neighbours apart).
constexpr double kTextWidthMargin = 1.15;

/// One thing in a legend's flow and its width in pixels.
struct FlowItem {
  enum class Kind { entry, more, size_legend, note } kind;
  double width = 0;
};

/// Places items left to right from `left`, wrapping before `right`; returns each item's row
/// and x, and the number of rows.
int flow(const std::vector<FlowItem>& items, double left, double right, double gap,
         std::vector<std::pair<int, double>>* at) {
  int row = 0;
  double x = left;
  at->clear();
  for (const auto& item : items) {
    if (x > left && x + item.width > right) {
      ++row;
      x = left;
    }
    at->emplace_back(row, x);
    x += item.width + gap;
  }
  return items.empty() ? 0 : row + 1;
}

/// The legend's rows for a panel whose footer spans [left, right] across; positions are
/// relative to the block's top (y = 0, rows going down); `max_height` bounds the block.
LegendLayout lay_out_legend(const Panel& panel, double unit, double left, double right,
                            double max_height, double* height) {
  const auto block_height = [&](int rows, double scale) {
    return rows == 0 ? 0.0
                     : unit * scale *
                           (kLegendTopUnits + kLegendBottomUnits + kLegendRowUnits * (rows - 1));
  };
  const std::size_t n = panel.legend.size();
  std::vector<FlowItem> items;
  std::vector<std::pair<int, double>> at;
  const auto items_for = [&](std::size_t shown, double scale) {
    const double size = unit * scale;
    items.clear();
    for (std::size_t e = 0; e < shown; ++e) {
      items.push_back({FlowItem::Kind::entry,
                       size * (kSwatchTextUnits + text_width_ems(panel.legend[e].text))});
    }
    if (shown < n) {
      items.push_back({FlowItem::Kind::more,
                       size * text_width_ems("+" + std::to_string(n - shown) + " more")});
    }
    if (!panel.size_legend.empty()) {
      items.push_back({FlowItem::Kind::size_legend, size * 0.9 * text_width_ems(panel.size_legend)});
    }
    if (!panel.note.empty()) {
      // A note longer than a row is cut to it when drawn.
      items.push_back({FlowItem::Kind::note,
                       std::min(right - left, size * 0.9 * text_width_ems(panel.note))});
    }
  };
  LegendLayout legend;
  legend.right = right;
  double scale = kLegendTextScales[0];
  std::size_t shown = n;
  bool fits = false;
  for (const double s : kLegendTextScales) {
    scale = s;
    items_for(n, s);
    const int rows = flow(items, left, right, unit * s * kLegendGapUnits, &at);
    if (block_height(rows, s) <= max_height) {
      fits = true;
      break;
    }
  }
  // Past the smallest size, the last entries are counted: as many drawn as leave room.
  while (!fits && shown > 0) {
    --shown;
    items_for(shown, scale);
    fits = block_height(flow(items, left, right, unit * scale * kLegendGapUnits, &at), scale) <=
           max_height;
  }
  if (!fits) {
    items_for(shown, scale);
    flow(items, left, right, unit * scale * kLegendGapUnits, &at);
  }
  legend.text_px = unit * scale;
  legend.left_out = n - shown;
  legend.rows = at.empty() ? 0 : at.back().first + 1;
  for (std::size_t i = 0; i < items.size(); ++i) {
    const PixelPoint p{at[i].second,
                       -unit * scale * (kLegendTopUnits + kLegendRowUnits * at[i].first)};
    switch (items[i].kind) {
      case FlowItem::Kind::entry:
        legend.entries.push_back(p);
        break;
      case FlowItem::Kind::more:
        legend.more = p;
        break;
      case FlowItem::Kind::size_legend:
        legend.size_legend = p;
        break;
      case FlowItem::Kind::note:
        legend.note = p;
        break;
    }
  }
  *height = block_height(legend.rows, scale);
  return legend;
}

}  // namespace

namespace {

/// Helvetica's advance widths (= Arial's), in thousandths of an em, for ' ' to '~'.
constexpr short kHelveticaAdvance[95] = {
      278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278,
      556, 556, 556, 556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556,
      1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, 722, 778,
      667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556,
      333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556,
      556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584};

}  // namespace

double text_width_ems(const std::string& text) {
  double thousandths = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t bytes = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    thousandths += c >= 32 && c < 127 ? kHelveticaAdvance[c - 32] : bytes >= 3 ? 1000 : 600;
    i += bytes;
  }
  // The font VTK draws with runs about a tenth wider than Helvetica's metrics.
  return thousandths / 1000.0 * kTextWidthMargin;
}

int best_columns(int n, double w, double h, double view_aspect) {
  int best = 1;
  double best_size = 0;
  for (int cols = 1; cols <= n; ++cols) {
    const int rows = (n + cols - 1) / cols;
    const double size = std::min(w / cols / view_aspect, h / rows);
    if (size > best_size + 1e-9) {
      best_size = size;
      best = cols;
    }
  }
  return best;
}

bool has_footer(const Panel& panel) {
  return !panel.legend.empty() || !panel.size_legend.empty() || !panel.note.empty() ||
         !panel.caption.empty() ||
         panel.colour_bar.has_value() || !panel.overlay_bars.empty();
}

FigureLayout lay_out_figure(const Figure& figure) {
  FigureLayout layout;
  const double W = figure.width, H = figure.height;
  layout.width = W;
  layout.height = H;
  layout.unit = std::max(11.0, std::min(W, H) / 55.0);
  const double unit = layout.unit;
  double top = H;
  if (!figure.title.empty()) {
    layout.title = {0, H - unit * kTitleUnits, W, H};
    top -= unit * kTitleUnits;
  } else {
    layout.title = {0, H, W, H};
  }
  const double panel_h = top / std::max<std::size_t>(1, figure.panels.size());
  for (std::size_t p = 0; p < figure.panels.size(); ++p) {
    const Panel& panel = figure.panels[p];
    PanelLayout out;
    const double panel_top = top - p * panel_h, panel_bottom = panel_top - panel_h;
    out.area = {0, panel_bottom, W, panel_top};
    const double header = panel.title.empty() && panel.letter.empty() ? 0.0 : unit * kHeaderUnits;
    // Colour bars stack, the findings' at the bottom and each overlay's above it, right of
    // their titles; the legend's rows take the room left of the titles.
    const std::size_t bars = panel.overlay_bars.size() + (panel.colour_bar ? 1 : 0);
    double legend_right = W - unit;
    if (bars > 0) {
      double title_ems = 0;
      if (panel.colour_bar) title_ems = text_width_ems(panel.colour_bar->title);
      for (const auto& bar : panel.overlay_bars) {
        title_ems = std::max(title_ems, text_width_ems(bar.title));
      }
      legend_right = std::max(W * 0.3, W * kColourBarLeft - unit * kColourBarTitleGapUnits -
                                           unit * 0.85 * title_ems - unit);
    }
    double legend_height = 0;
    if (has_footer(panel)) {
      out.legend = lay_out_legend(panel, unit, unit * 1.2, legend_right, panel_h / 3,
                                  &legend_height);
    }
    const double bars_height = unit * kColourBarRowUnits * static_cast<double>(bars);
    const double caption = panel.caption.empty() ? 0.0 : unit * kCaptionUnits;
    const double footer =
        !has_footer(panel) ? 0.0
                           : std::max({bars_height, legend_height, unit * kFooterUnits}) + caption;
    out.header = {0, panel_top - header, W, panel_top};
    out.footer = {0, panel_bottom, W, panel_bottom + footer};
    out.caption = {unit * 1.2, panel_bottom + caption / 2};
    // The legend's rows sit at the footer's foot, above the caption, beside the lowest bar.
    const double legend_top = panel_bottom + caption + std::max(legend_height, unit * kFooterUnits);
    for (PixelPoint* point : {&out.legend.more, &out.legend.size_legend, &out.legend.note}) {
      point->y += legend_top;
    }
    for (auto& entry : out.legend.entries) entry.y += legend_top;
    const double views_top = panel_top - header, views_bottom = panel_bottom + footer;
    const int n = static_cast<int>(panel.views.size());
    if (n > 0 && views_top > views_bottom) {
      const int cols = best_columns(n, W, views_top - views_bottom);
      const int rows = (n + cols - 1) / cols;
      const double cell_w = W / cols, cell_h = (views_top - views_bottom) / rows;
      for (int v = 0; v < n; ++v) {
        const int row = v / cols, col = v % cols;
        // A short last row is centred.
        const int in_row = std::min(cols, n - row * cols);
        const double offset = (W - in_row * cell_w) / 2;
        out.views.push_back({offset + col * cell_w, views_top - (row + 1) * cell_h,
                             offset + (col + 1) * cell_w, views_top - row * cell_h});
      }
    }
    layout.panels.push_back(std::move(out));
  }
  return layout;
}

PixelRows viewport_rows(double bottom, double top, int height) {
  return {static_cast<int>(bottom * height + 0.5), static_cast<int>(top * height + 0.5)};
}

DrawingBands drawing_bands(const FigureLayout& layout) {
  const int height = static_cast<int>(layout.height);
  std::vector<PixelRows> views;
  int tallest = 0;
  for (const auto& panel : layout.panels) {
    for (const auto& box : panel.views) {
      // The fractions render_figure gives each view's renderer.
      views.push_back(viewport_rows(box.y0 / layout.height, box.y1 / layout.height, height));
      tallest = std::max(tallest, views.back().last - views.back().first);
    }
  }
  // A band holds a row of views and the text around it: the fewer bands, the fewer drawings
  // of the figure's text and reads of its pixels. Whole tiles of the renderer's 64 rows.
  const int rows = std::max(256, (tallest + tallest / 4 + 63) / 64 * 64);
  // Drawn whole unless bands halve the window: each band draws the text again and reads its
  // pixels, and a figure of one row of views (the six-view 4800x2400) gains nothing.
  if (views.empty() || rows * 2 > height) return {};
  const auto cuts_a_view = [&](int row) {
    return std::any_of(views.begin(), views.end(),
                       [row](const PixelRows& v) { return v.first < row && row < v.last; });
  };
  DrawingBands bands;
  bands.rows = rows;
  for (int start = 0; start + rows < height;) {
    // The band ends as high as it can without cutting through a view.
    int end = start + rows;
    while (end > start && cuts_a_view(end)) --end;
    if (end == start) return {};
    bands.starts.push_back(start);
    start = end;
    if (start + rows >= height) bands.starts.push_back(start);
  }
  return bands;
}

}  // namespace foci
