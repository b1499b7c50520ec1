#include "render/annotations.hpp"

#include <vtkActor2D.h>
#include <vtkActor2DCollection.h>
#include <vtkCoordinate.h>
#include <vtkLookupTable.h>
#include <vtkNew.h>
#include <vtkPolyDataMapper2D.h>
#include <vtkProperty2D.h>
#include <vtkRegularPolygonSource.h>
#include <vtkScalarBarActor.h>
#include <vtkTextActor.h>
#include <vtkTextProperty.h>

#include <vtkStdString.h>
#include <vtkVariant.h>

#include <algorithm>
#include <cstdio>

#include "core/text.hpp"
#include "render/scene_actors.hpp"

namespace foci::annotations {

using scene_parts::on_view_side;
using scene_parts::text;

namespace {

const Rgb kInk{0.1, 0.1, 0.1}, kFaint{0.45, 0.45, 0.45};

vtkSmartPointer<vtkActor2D> disk(double x, double y, double radius_px, Rgb colour) {
  vtkNew<vtkRegularPolygonSource> source;
  source->SetCenter(x, y, 0);
  source->SetRadius(radius_px);
  source->SetNumberOfSides(48);
  source->GeneratePolygonOn();
  source->GeneratePolylineOff();
  vtkNew<vtkPolyDataMapper2D> mapper;
  mapper->SetInputConnection(source->GetOutputPort());
  auto actor = vtkSmartPointer<vtkActor2D>::New();
  actor->SetMapper(mapper);
  actor->GetProperty()->SetColor(colour.r, colour.g, colour.b);
  return actor;
}

/// `row` 0 is the footer's bottom colour bar; each further row stacks one bar higher.
void add_colour_bar(vtkRenderer* canvas, const ColourScale& scale, const PixelBox& footer,
                    const FigureLayout& layout, int row) {
  const double unit = layout.unit, W = layout.width, H = layout.height;
  const double y0 = footer.y0 + row * unit * kColourBarRowUnits;
  // The bar's box holds the bar and the numbers above it; the marks hang below it, so the
  // box starts kColourBarMarkUnits up, and the lowest bar's marks stay off the figure's edge.
  const double box_y0 = y0 + unit * kColourBarMarkUnits;
  const double box_height = unit * (kColourBarRowUnits - kColourBarMarkUnits - 0.2);
  vtkNew<vtkLookupTable> table;
  table->SetNumberOfTableValues(256);
  table->SetRange(scale.minimum, scale.maximum);
  for (int n = 0; n < 256; ++n) {
    const Rgb c = scale.colour_of(scale.minimum + (scale.maximum - scale.minimum) * n / 255.0);
    table->SetTableValue(n, c.r, c.g, c.b, 1.0);
  }
  // Marks (an overlay's threshold) are the table's annotations, drawn above the bar with a
  // tick; the evenly spaced numbers stay under it.
  for (const double mark : scale.marks) {
    table->SetAnnotation(vtkVariant(mark), vtkStdString(format_short_number(mark)));
  }
  vtkNew<vtkScalarBarActor> bar;
  bar->SetLookupTable(table);
  bar->SetOrientationToHorizontal();
  bar->SetTextPositionToSucceedScalarBar();  // numbers above the bar, marks under it
  // The title goes left of the bar, where it cannot collide with the numbers.
  canvas->AddActor2D(
      text(scale.title, unit * 0.85, kInk, false, kColourBarLeft * W - unit * kColourBarTitleGapUnits,
           box_y0 + unit * 0.6, 2, 1));
  bar->SetNumberOfLabels(5);
  bar->SetLabelFormat("%.3g");
  bar->GetPositionCoordinate()->SetCoordinateSystemToNormalizedViewport();
  bar->SetPosition(kColourBarLeft, box_y0 / H);
  bar->SetDrawAnnotations(!scale.marks.empty());
  bar->SetAnnotationTextScaling(0);
  bar->SetWidth(0.38);
  bar->SetHeight(box_height / H);
  for (auto* property : {bar->GetTitleTextProperty(), bar->GetLabelTextProperty(),
                         bar->GetAnnotationTextProperty()}) {
    property->SetColor(kInk.r, kInk.g, kInk.b);
    property->SetFontFamilyToArial();
    property->ItalicOff();
    property->ShadowOff();
    property->BoldOff();
  }
  bar->UnconstrainedFontSizeOn();
  bar->GetTitleTextProperty()->SetFontSize(static_cast<int>(unit * 0.85));
  bar->GetLabelTextProperty()->SetFontSize(static_cast<int>(unit * 0.8));
  bar->GetAnnotationTextProperty()->SetFontSize(static_cast<int>(unit * 0.75));
  canvas->AddActor2D(bar);
}

}  // namespace

void add_figure_title(vtkRenderer* canvas, const std::string& title, const FigureLayout& layout) {
  if (title.empty()) return;
  canvas->AddActor2D(text(title, layout.unit * 1.5, kInk, true, layout.width / 2,
                          layout.title.y1 - layout.unit * 0.6, 1, 2));
}

void add_panel_header(vtkRenderer* canvas, const Panel& panel, const PanelLayout& box,
                      double unit) {
  if (panel.title.empty() && panel.letter.empty()) return;
  const double top = box.header.y1;
  double x = unit * 0.8;
  if (!panel.letter.empty()) {
    canvas->AddActor2D(
        text("(" + panel.letter + ")", unit * 1.4, kInk, true, x, top - unit * 0.4, 0, 2));
    x += unit * (1.6 + 0.8 * panel.letter.size());
  }
  canvas->AddActor2D(text(panel.title, unit * 1.25, kInk, true, x, top - unit * 0.5, 0, 2));
}

namespace {

/// `text` cut at a word boundary to about `characters` characters, with "..." when cut.
/// Counts UTF-8 code points; a CJK character, twice as wide, counts two.
std::string fit_line(const std::string& text, double characters) {
  double used = 0;
  std::size_t last_break = 0;
  for (std::size_t i = 0; i < text.size();) {
    const auto c = static_cast<unsigned char>(text[i]);
    const std::size_t bytes = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
    used += bytes >= 3 ? 2 : 1;
    if (text[i] == ' ' || text[i] == ';') last_break = i;
    if (used > characters) return text.substr(0, last_break > 0 ? last_break : i) + " ...";
    i += bytes;
  }
  return text;
}

}  // namespace

void add_panel_footer(vtkRenderer* canvas, const Panel& panel, const PanelLayout& box,
                      const FigureLayout& layout) {
  if (box.footer.height() <= 0) return;
  const double unit = layout.unit;
  if (!panel.caption.empty()) {
    canvas->AddActor2D(text(fit_line(panel.caption, (layout.width - unit * 2.4) / (unit * 0.5)),
                            unit * 0.9, kInk, false, box.caption.x, box.caption.y, 0, 1));
  }
  // Every entry where the layout put it, in rows that wrap: a figure lists all it draws.
  const LegendLayout& legend = box.legend;
  const double size = legend.text_px;
  for (std::size_t n = 0; n < legend.entries.size() && n < panel.legend.size(); ++n) {
    const auto& entry = panel.legend[n];
    const PixelPoint at = legend.entries[n];
    canvas->AddActor2D(disk(at.x, at.y, size * 0.45, entry.colour));
    if (entry.ring) canvas->AddActor2D(disk(at.x, at.y, size * 0.3, {1, 1, 1}));
    canvas->AddActor2D(text(entry.text, size, kInk, false, at.x + size * 0.8, at.y, 0, 1));
  }
  if (legend.left_out > 0) {
    canvas->AddActor2D(text("+" + std::to_string(legend.left_out) + " more", size, kFaint, false,
                            legend.more.x, legend.more.y, 0, 1));
  }
  if (!panel.size_legend.empty()) {
    canvas->AddActor2D(text(panel.size_legend, size * 0.9, kFaint, false, legend.size_legend.x,
                            legend.size_legend.y, 0, 1));
  }
  if (!panel.note.empty()) {
    const double room = (legend.right - legend.note.x) / (size * 0.9 * 0.6);
    canvas->AddActor2D(text(fit_line(panel.note, room), size * 0.9, kFaint, false, legend.note.x,
                            legend.note.y, 0, 1));
  }
  // The bars stack from the footer's foot, above the caption.
  PixelBox bars = box.footer;
  if (!panel.caption.empty()) bars.y0 += unit * kCaptionUnits;
  int row = 0;
  if (panel.colour_bar) add_colour_bar(canvas, *panel.colour_bar, bars, layout, row++);
  for (const auto& bar : panel.overlay_bars) add_colour_bar(canvas, bar, bars, layout, row++);
}

void add_view_marks(vtkRenderer* canvas, View view, const PixelBox& box, double unit,
                    const PixelBox& brain) {
  canvas->AddActor2D(text(to_string(view), unit * 0.85, kFaint, false, box.x0 + unit * 0.5,
                          box.y1 - unit * 0.3, 0, 2));
  if (!shows_both_sides(view)) return;
  // A little outside the brain's sides, level with its foot, never out of the cell.
  const bool left_first = scene_parts::left_of_image(view) == Hemisphere::left;
  const double left = std::max(box.x0 + unit * 0.6, brain.x0 - unit * 1.5);
  const double right = std::min(box.x1 - unit * 0.6, brain.x1 + unit * 1.5);
  const double y = std::max(box.y0 + unit * 0.4, brain.y0);
  canvas->AddActor2D(text(left_first ? "L" : "R", unit * 1.1, kInk, true, left, y, 0, 0));
  canvas->AddActor2D(text(left_first ? "R" : "L", unit * 1.1, kInk, true, right, y, 2, 0));
}

void place_labels(const Panel& panel, std::optional<Hemisphere> side, vtkRenderer* renderer,
                  const PixelBox& box, double size_px, vtkRenderer* canvas) {
  std::vector<const SceneNode*> order;
  for (const auto& n : panel.nodes) {
    if (!n.label.empty() && on_view_side(side, n.mni.x)) order.push_back(&n);
  }
  std::stable_sort(order.begin(), order.end(), [](const SceneNode* a, const SceneNode* b) {
    return a->radius_mm > b->radius_mm;
  });
  std::vector<PixelBox> placed;
  vtkNew<vtkCoordinate> coordinate;
  coordinate->SetCoordinateSystemToWorld();
  for (const SceneNode* n : order) {
    coordinate->SetValue(n->mni.x, n->mni.y, n->mni.z);
    const double* at = coordinate->GetComputedDoubleDisplayValue(renderer);
    const double x0 = at[0] + size_px * 0.6, y0 = at[1] - size_px * 0.5;
    const PixelBox r{x0, y0, x0 + size_px * 0.58 * n->label.size(), y0 + size_px * 1.1};
    if (r.x0 < box.x0 || r.x1 > box.x1 || r.y0 < box.y0 || r.y1 > box.y1) continue;
    const bool clash = std::any_of(placed.begin(), placed.end(), [&](const PixelBox& p) {
      return r.x0 < p.x1 && p.x0 < r.x1 && r.y0 < p.y1 && p.y0 < r.y1;
    });
    if (clash) continue;
    placed.push_back(r);
    auto label = text(n->label, size_px, kInk, false, r.x0, r.y0, 0, 0);
    // A pale backing keeps dark text readable over spheres and surfaces.
    label->GetTextProperty()->SetBackgroundColor(1, 1, 1);
    label->GetTextProperty()->SetBackgroundOpacity(0.75);
    canvas->AddActor2D(label);
  }
}

}  // namespace foci::annotations

namespace foci::annotations {

namespace {

/// How far the baseline of a line of text lies above the bottom of its box: Arial's descent.
constexpr double kDescent = 0.21;

Rgb colour_of(vtkTextProperty* p) {
  const double* c = p->GetColor();
  return {c[0], c[1], c[2]};
}

/// Widths in Helvetica (= Arial) of what numbers are written with, in ems; for centring a
/// colour bar's numbers under their ticks as the bar drew them.
double number_width(const std::string& s, double size) {
  double ems = 0;
  for (const char c : s) {
    ems += c == '.' ? 0.278 : c == '-' ? 0.333 : c == '+' ? 0.584 : 0.556;
  }
  return ems * size;
}

void take_bar_numbers(vtkScalarBarActor* bar, vtkRenderer* canvas, double H,
                      std::vector<FigureText>& out) {
  int rect[4];
  bar->GetScalarBarRect(rect, canvas);
  const double x0 = rect[0], y0 = rect[1], w = rect[2], h = rect[3];
  auto* table = bar->GetLookupTable();
  const double* range = table->GetRange();
  auto* label = bar->GetLabelTextProperty();
  const double size = label->GetFontSize();
  const int n = bar->GetNumberOfLabels();
  char buffer[64];
  for (int i = 0; i < n && n > 1; ++i) {
    const double value = range[0] + (range[1] - range[0]) * i / (n - 1);
    std::snprintf(buffer, sizeof buffer, bar->GetLabelFormat(), value);
    const double x = x0 + w * i / (n - 1);
    const double width = number_width(buffer, size);
    // Horizontal bars put their numbers above the bar ("succeeding" it).
    out.push_back({buffer, x - width / 2, H - (y0 + h) - size * 0.35, size, colour_of(label), false,
                   false, width});
  }
  label->SetOpacity(0);
  if (!bar->GetDrawAnnotations()) return;
  auto* annotation = bar->GetAnnotationTextProperty();
  const double mark_size = annotation->GetFontSize();
  for (vtkIdType a = 0; a < table->GetNumberOfAnnotatedValues(); ++a) {
    const double value = table->GetAnnotatedValue(a).ToDouble();
    const std::string text = table->GetAnnotation(a);
    const double x = x0 + w * (value - range[0]) / (range[1] - range[0]);
    const double width = number_width(text, mark_size);
    // Annotations go on the side opposite the numbers: under the bar.
    out.push_back({text, x - width / 2, H - y0 + mark_size * 1.05, mark_size, colour_of(annotation),
                   false, false, width});
  }
  annotation->SetOpacity(0);
}

}  // namespace

std::vector<FigureText> take_text(vtkRenderer* canvas, double figure_height,
                                  const std::function<bool(const std::string&)>& settable) {
  std::vector<FigureText> out;
  vtkActor2DCollection* actors = canvas->GetActors2D();
  actors->InitTraversal();
  while (vtkActor2D* actor = actors->GetNextActor2D()) {
    if (auto* bar = vtkScalarBarActor::SafeDownCast(actor)) {
      take_bar_numbers(bar, canvas, figure_height, out);
      continue;
    }
    auto* line = vtkTextActor::SafeDownCast(actor);
    if (!line || !line->GetVisibility() || !line->GetInput()) continue;
    const std::string content = line->GetInput();
    if (content.empty() || !settable(content)) continue;
    // The box is xmin, xmax, ymin, ymax in pixels from the actor's position (display
    // pixels, origin bottom-left), justification applied.
    double box[4];
    line->GetBoundingBox(canvas, box);
    const double* at = line->GetPosition();
    auto* p = line->GetTextProperty();
    const double size = p->GetFontSize();
    out.push_back({content, at[0] + box[0], figure_height - (at[1] + box[2] + size * kDescent),
                   size, colour_of(p), p->GetBold() != 0, p->GetBackgroundOpacity() > 0,
                   box[1] - box[0]});
    line->SetVisibility(0);
  }
  return out;
}

}  // namespace foci::annotations
