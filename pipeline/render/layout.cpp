#include "render/layout.hpp"

#include <algorithm>

namespace foci {

namespace {

// Heights in text units: a title line, a panel header, a legend footer (with colour bars,
// kColourBarRowUnits per bar).
constexpr double kTitleUnits = 2.6, kHeaderUnits = 2.2, kFooterUnits = 2.0;

}  // namespace

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
    // Colour bars stack, the findings' at the bottom and each overlay's above it.
    const std::size_t bars = panel.overlay_bars.size() + (panel.colour_bar ? 1 : 0);
    const double footer =
        !has_footer(panel)
            ? 0.0
            : unit * (bars > 0 ? kColourBarRowUnits * static_cast<double>(bars) : kFooterUnits) +
                  (panel.caption.empty() ? 0.0 : unit * kCaptionUnits);
    out.header = {0, panel_top - header, W, panel_top};
    out.footer = {0, panel_bottom, W, panel_bottom + footer};
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

}  // namespace foci
