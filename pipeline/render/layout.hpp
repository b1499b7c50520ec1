#pragma once
// Where everything of a figure goes: the figure title, each panel's header (letter and
// title), its footer (legend, size legend, note, colour bar) and the grid of its views.
// Plain arithmetic on the Figure's values, so it is tested without VTK or a display; the
// drawing code only places things in the boxes it gets from here.
#include <vector>

#include "render/scene.hpp"

namespace foci {

/// Height of a footer row with a colour bar (its numbers under it), in text units; bars stack.
constexpr double kColourBarRowUnits = 4.2;
/// Room under a colour bar for its marks (an overlay's threshold), in text units.
constexpr double kColourBarMarkUnits = 2.0;
/// Where colour bars start across the figure (a share of its width); their titles end
/// kColourBarTitleGapUnits text units left of that.
constexpr double kColourBarLeft = 0.6, kColourBarTitleGapUnits = 2.5;
/// Height of a panel's caption line (what is not drawn), at the foot of its footer.
constexpr double kCaptionUnits = 1.6;
/// Distance between the rows of a panel's legend, in text units at full size.
constexpr double kLegendRowUnits = 1.5;
/// Sizes a legend's text takes, largest first, before its last entries are counted instead.
constexpr double kLegendTextScales[] = {1.0, 0.85, 0.72};

/// A rectangle in pixels, origin at the image's bottom-left (as VTK's display coordinates).
struct PixelBox {
  double x0 = 0, y0 = 0, x1 = 0, y1 = 0;
  double width() const { return x1 - x0; }
  double height() const { return y1 - y0; }
};

struct PixelPoint {
  double x = 0, y = 0;
};

/// Where a panel's legend goes: its colour entries (a swatch and a name each), then the size
/// legend and the note, flow left to right in rows at the foot of the panel, left of any
/// colour bars, and wrap where a row is full. The footer is made tall enough for every row;
/// only where the rows would take more than a third of the panel does the text shrink (to
/// kLegendTextScales' last size), and only past that (a label map's hundreds of names) are
/// the last entries counted ("+N more") instead of drawn.
struct LegendLayout {
  double text_px = 0;  ///< size of the entries' text; the size legend and note take 0.9 of it
  /// The swatch centre of each drawn entry: Panel::legend's first entries.size(); the name
  /// starts text_px * 0.8 right of it, centred on the same line.
  std::vector<PixelPoint> entries;
  std::size_t left_out = 0;  ///< entries counted instead of drawn
  PixelPoint more;           ///< where "+N more" starts, when left_out > 0
  PixelPoint size_legend;    ///< where the size legend starts, when the panel has one
  PixelPoint note;           ///< where the note starts, when the panel has one
  double right = 0;          ///< the rows' right end; longer text is cut there
  int rows = 0;
};

/// How wide a line of text is, in ems of its size: Helvetica's (= Arial's) advances for
/// ASCII, a full em for CJK characters, with a margin, so laid-out text does not collide.
double text_width_ems(const std::string& text);

struct PanelLayout {
  PixelBox area;                ///< the whole panel
  PixelBox header;              ///< letter and title; zero height when the panel has neither
  PixelBox footer;              ///< legends, note, colour bar; zero height when it has none
  LegendLayout legend;          ///< inside the footer
  PixelPoint caption;           ///< where the caption line starts, at the footer's foot
  std::vector<PixelBox> views;  ///< one per Panel::views, in order
};

struct FigureLayout {
  double width = 0, height = 0;
  double unit = 11;  ///< base text size in pixels; every text and margin scales with it
  PixelBox title;    ///< zero height when the figure has no title
  std::vector<PanelLayout> panels;
};

/// Lays out a figure: the title on top, panels stacked top to bottom with equal heights,
/// and each panel's views in the grid that makes them largest (a short last row centred).
FigureLayout lay_out_figure(const Figure& figure);

/// The pixel rows [first, last) VTK gives a viewport from `bottom` to `top` (fractions of the
/// window, from its bottom) in a window `height` rows high, rounded as VTK rounds them.
struct PixelRows {
  int first = 0, last = 0;
};
PixelRows viewport_rows(double bottom, double top, int height);

/// Bands of rows a figure is drawn in, one after another, in a window `rows` high instead of
/// one as high as the figure: a renderer's frame buffers (several, each the window's size)
/// are most of a large figure's memory. `starts` holds each band's bottom row (from the
/// figure's bottom, as VTK counts), the first 0; a band ends where the next starts, the last
/// at the figure's top. No band cuts through a view, and each view keeps its rows (VTK rounds
/// a viewport's (first - start) / rows of a band to whole rows). Empty `starts` when the
/// figure is drawn whole: when a band would be more than half its height.
struct DrawingBands {
  int rows = 0;
  std::vector<int> starts;
};
DrawingBands drawing_bands(const FigureLayout& layout);

/// Columns for n views in a w x h area so each view is as large as possible; a view is
/// `view_aspect` times as wide as it is high (a brain seen from the side: about 1.25).
int best_columns(int n, double w, double h, double view_aspect = 1.25);

/// Whether a panel has a footer (a colour legend, a size legend, a note or a colour bar).
bool has_footer(const Panel& panel);

}  // namespace foci
