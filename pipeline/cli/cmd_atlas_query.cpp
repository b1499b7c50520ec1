// foci atlas query: which atlas label is at each coordinate.
#include <fmt/compile.h>
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <deque>
#include <future>
#include <iterator>
#include <thread>

#include "atlas/atlas.hpp"
#include "cli/commands.hpp"
#include "core/coordinate_space.hpp"
#include "core/error.hpp"
#include "core/text.hpp"
#include "findings/coordinate_table.hpp"

namespace foci {

namespace {

constexpr double kDefaultRadiusMm = 0.0;

struct QueryRequest {
  std::vector<std::string> atlases;
  std::vector<double> mni;
  std::vector<double> tal;
  std::string coords_file;
  std::string default_space = "MNI";
  std::string tal_transform = to_string(kDefaultTalairachTransform);
  double radius_mm = kDefaultRadiusMm;
  std::string format = "tsv";
};

/// A coordinate as the user wrote it, in its shortest exact form ("-28", "12.5").
std::string number_text(double v) { return fmt::format("{}", v); }

constexpr const char* kAnswerColumns[] = {"line",  "mni_x", "mni_y",      "mni_z",      "atlas",
                                          "label", "name",  "hemisphere", "distance_mm"};

/// An echoed input column keeps its name unless an answer column has it ("name"), when it
/// becomes "input_name".
std::string echoed_column_name(const std::string& header) {
  for (const char* answer : kAnswerColumns) {
    if (to_lower(header) == answer) return "input_" + header;
  }
  return header;
}

/// An echoed field as one TSV cell: a quoted CSV field may hold tabs and line breaks, which
/// would split the answer's row.
std::string tsv_cell(std::string field) {
  for (auto& c : field) {
    if (c == '\t' || c == '\n' || c == '\r') c = ' ';
  }
  return field;
}

/// The point of --mni or --tal as a one-row table.
CoordinateTable command_line_point(const QueryRequest& request) {
  const bool is_mni = !request.mni.empty();
  const auto& v = is_mni ? request.mni : request.tal;
  for (const double c : v) {
    if (!std::isfinite(c) || std::abs(c) > kMaxCoordinateMagnitudeMm) {
      throw usage_error("coordinate " + number_text(c) + " is not a finite number within " +
                        "+/-1000 mm");
    }
  }
  CoordinateTable table;
  table.path = "command line";
  table.header = {"x", "y", "z", "space"};
  CoordinateRow row;
  row.line = 1;
  row.point = Vec3{v[0], v[1], v[2]};
  row.space = is_mni ? CoordinateSpace::mni : CoordinateSpace::talairach;
  row.fields = {number_text(v[0]), number_text(v[1]), number_text(v[2]), to_string(row.space)};
  table.rows.push_back(row);
  return table;
}

/// One element of a JSON array as nlohmann's dump(2) writes it inside the array: each line
/// indented two more spaces (strings hold no raw line breaks, so every '\n' starts a line).
void append_array_element(fmt::memory_buffer& buffer, const nlohmann::json& element, bool first) {
  const std::string text = element.dump(2);
  buffer.append(std::string_view(first ? "\n  " : ",\n  "));
  for (const char c : text) {
    buffer.push_back(c);
    if (c == '\n') buffer.append(std::string_view("  "));
  }
}

/// Appends format_mm(mm): the same bytes, without building a string or parsing a format.
void append_mm(fmt::memory_buffer& out, double mm) {
  if (std::isnan(mm)) return;
  if (std::abs(mm) < 0.005) mm = 0;
  fmt::format_to(std::back_inserter(out), FMT_COMPILE("{:.2f}"), mm);
}

/// Appends a number in its shortest exact form ("{}", how input coordinates are echoed) and
/// returns the text appended, so the same value in millimetres can reuse the digits.
std::string_view append_shortest(fmt::memory_buffer& out, double v) {
  const std::size_t start = out.size();
  fmt::format_to(std::back_inserter(out), FMT_COMPILE("{}"), v);
  return {out.data() + start, out.size() - start};
}

/// Appends format_mm(v) given `shortest`, the text of append_shortest for v. When that text
/// is plain decimal with at most two decimals, v lies within half a unit in the last place of
/// it, so rounding v to two decimals gives those digits: padding with zeros gives format_mm's
/// bytes without a second conversion. Papers report whole or one-decimal millimetres.
void append_mm_like(fmt::memory_buffer& out, double v, std::string_view shortest) {
  if (!(std::abs(v) >= 0.005) || shortest.find_first_of("einEIN") != std::string_view::npos) {
    append_mm(out, v);
    return;
  }
  const auto dot = shortest.find('.');
  const std::size_t decimals = dot == std::string_view::npos ? 0 : shortest.size() - dot - 1;
  if (decimals > 2) {
    append_mm(out, v);
    return;
  }
  // Copied out first: appending may move the buffer `shortest` points into.
  char digits[32];
  const std::size_t n = std::min(shortest.size(), sizeof digits);
  std::copy_n(shortest.data(), n, digits);
  out.append(digits, digits + n);
  if (decimals == 0) out.push_back('.');
  for (std::size_t d = decimals; d < 2; ++d) out.push_back('0');
}

/// Formats the answer rows of one input row: one per atlas, TSV lines or JSON array elements.
/// Holds nothing that changes, so worker threads share one.
struct RowAnswerer {
  const std::vector<Atlas>& atlases;
  double radius_mm;
  TalairachTransform transform;
  const std::vector<std::string>& header;
  const std::vector<int>& extra_columns;
  bool tsv;

  /// Begins the atlases' first reads for a row answered a little later (Atlas::prefetch).
  void prefetch(const CoordinateRow& row) const {
    const Vec3 mni = to_mni(*row.point, row.space, transform);
    for (const auto& atlas : atlases) atlas.prefetch(mni, radius_mm);
  }

  /// `first_row`: whether this row's first element opens the JSON array.
  void answer(const CoordinateRow& row, bool first_row, fmt::memory_buffer& out) const {
    const Vec3& point = *row.point;  // read with RegionRows::refused: every row has one
    const Vec3 mni = to_mni(point, row.space, transform);
    if (!tsv) {
      answer_json(row, point, mni, first_row, out);
      return;
    }
    // The columns before the atlas are the same for every atlas: formatted once.
    fmt::memory_buffer lead;
    fmt::format_to(std::back_inserter(lead), FMT_COMPILE("{}\t"), row.line);
    const std::string_view x = append_shortest(lead, point.x);
    lead.push_back('\t');
    const std::string_view y = append_shortest(lead, point.y);
    lead.push_back('\t');
    const std::string_view z = append_shortest(lead, point.z);
    lead.push_back('\t');
    // The views point into `lead`; keep copies of their text before `lead` grows.
    char texts[3][32];
    std::string_view copies[3];
    const std::string_view views[3] = {x, y, z};
    for (int a = 0; a < 3; ++a) {
      const std::size_t n = std::min(views[a].size(), sizeof texts[a]);
      std::copy_n(views[a].data(), n, texts[a]);
      copies[a] = {texts[a], n};
    }
    const std::string_view space = row.space == CoordinateSpace::mni ? "MNI" : "Talairach";
    lead.append(space.data(), space.data() + space.size());
    const double m[3] = {mni.x, mni.y, mni.z};
    const bool same = row.space == CoordinateSpace::mni;
    for (int a = 0; a < 3; ++a) {
      lead.push_back('\t');
      if (same) {
        append_mm_like(lead, m[a], copies[a]);
      } else {
        append_mm(lead, m[a]);
      }
    }
    lead.push_back('\t');
    for (const auto& atlas : atlases) {
      const AtlasHit hit = atlas.lookup(mni, radius_mm);
      out.append(lead.data(), lead.data() + lead.size());
      const std::string& atlas_name = atlas.name();
      out.append(atlas_name.data(), atlas_name.data() + atlas_name.size());
      fmt::format_to(std::back_inserter(out), FMT_COMPILE("\t{}\t"), hit.label);
      if (hit.label) {
        if (const auto* entry = atlas.table().find(hit.label)) {
          out.append(entry->name.data(), entry->name.data() + entry->name.size());
        }
        out.push_back('\t');
        const std::string side = to_string(atlas.hit_hemisphere(hit));
        out.append(side.data(), side.data() + side.size());
        out.push_back('\t');
        if (hit.distance_mm == 0) {
          out.append(std::string_view("0.00"));
        } else {
          append_mm(out, hit.distance_mm);
        }
      } else {
        out.append(std::string_view("\t\t"));
      }
      for (int c : extra_columns) {
        out.push_back('\t');
        const std::string cell = tsv_cell(row.fields[c]);
        out.append(cell.data(), cell.data() + cell.size());
      }
      out.push_back('\n');
    }
  }

  void answer_json(const CoordinateRow& row, Vec3 point, Vec3 mni, bool first_row,
                   fmt::memory_buffer& out) const {
    bool first = first_row;
    for (const auto& atlas : atlases) {
      const AtlasHit hit = atlas.lookup(mni, radius_mm);
      const std::string hemisphere = hit.label ? to_string(atlas.hit_hemisphere(hit)) : "";
      nlohmann::json j = {
          {"line", row.line},
          {"input", {point.x, point.y, point.z}},
          {"space", to_string(row.space)},
          {"mni", {mni.x, mni.y, mni.z}},
          {"atlas", atlas.name()},
          {"label", hit.label},
          {"name", atlas.label_name(hit.label)},
          {"hemisphere", hemisphere},
          {"distance_mm", hit.label ? nlohmann::json(hit.distance_mm) : nlohmann::json(nullptr)}};
      if (row.space == CoordinateSpace::talairach) j["transform"] = to_string(transform);
      for (int c : extra_columns) j["input_columns"][header[c]] = row.fields[c];
      append_array_element(out, j, first);
      first = false;
    }
  }
};

/// Rows answered per block: large enough that handing a block to a thread costs little
/// beside its lookups, small enough that the blocks in flight hold a few megabytes.
constexpr std::size_t kRowsPerBlock = 4096;

/// Answers every row of `table`, writing the answers in input order. Rows are read here in
/// blocks and each block is answered on a thread of its own, a few blocks at a time, so
/// reading overlaps answering and the cores share the lookups; memory stays at the blocks in
/// flight, whatever the file's length. `wrote_any` says whether a row was answered.
template <typename Write>
void answer_in_blocks(CoordinateTableReader& table, const RowAnswerer& answerer, Write&& write,
                      bool& wrote_any) {
  struct Block {
    std::vector<CoordinateRow> rows{kRowsPerBlock};
    std::size_t count = 0;
    bool first = false;
    fmt::memory_buffer out;
    std::future<void> done;
  };
  const auto answer_block = [&answerer](Block& block) {
    block.out.clear();
    constexpr std::size_t kPrefetchAhead = 4;
    for (std::size_t n = 0; n < block.count; ++n) {
      if (n + kPrefetchAhead < block.count) answerer.prefetch(block.rows[n + kPrefetchAhead]);
      answerer.answer(block.rows[n], block.first && n == 0, block.out);
    }
  };
  const std::size_t in_flight = std::clamp<std::size_t>(std::thread::hardware_concurrency(), 1, 16);
  std::vector<Block> blocks(in_flight + 1);
  std::deque<Block*> pending;
  const auto finish_oldest = [&] {
    Block* block = pending.front();
    pending.pop_front();
    block->done.get();
    write(block->out);
  };
  std::size_t next = 0;
  bool more = true;
  while (more) {
    Block& block = blocks[next];
    next = (next + 1) % blocks.size();
    block.count = 0;
    block.first = !wrote_any;
    while (block.count < kRowsPerBlock && (more = table.next(block.rows[block.count]))) {
      ++block.count;
    }
    if (block.count == 0) break;
    wrote_any = true;
    if (in_flight == 1) {
      answer_block(block);
      write(block.out);
      continue;
    }
    // The block about to be refilled next must be written first.
    if (pending.size() == in_flight) finish_oldest();
    block.done = std::async(std::launch::async, answer_block, std::ref(block));
    pending.push_back(&block);
  }
  while (!pending.empty()) finish_oldest();
}

void run_atlas_query(const QueryRequest& request, CommandContext& context) {
  const auto transform = parse_talairach_transform(request.tal_transform);
  if (!transform) throw usage_error("unknown --tal-transform '" + request.tal_transform + "'");
  if (!(request.radius_mm >= 0) || request.radius_mm > 50) {
    throw usage_error("--radius must be between 0 and 50 mm");
  }
  const int given = !request.mni.empty() + !request.tal.empty() + !request.coords_file.empty();
  if (given != 1) throw usage_error("give exactly one of --mni X Y Z, --tal X Y Z, --coords FILE");

  // A coordinate file is read twice, one row at a time: first to check every row, so a bad
  // row stops the command before anything is written (as when the whole file was held), then
  // to answer each row as it is read. Memory does not grow with the number of rows.
  std::optional<CoordinateTable> single;
  CoordinateSpace file_space = CoordinateSpace::mni;
  std::vector<std::string> header;
  if (request.coords_file.empty()) {
    single = command_line_point(request);
    header = single->header;
  } else {
    const auto space = parse_coordinate_space(request.default_space);
    if (!space)
      throw usage_error("--space must be MNI or Talairach, got '" + request.default_space + "'");
    file_space = *space;
    CoordinateTableReader check(request.coords_file, file_space);
    CoordinateRow row;
    while (check.next(row)) {
    }
    header = check.header();
  }

  std::vector<Atlas> atlases;
  for (const auto& name : request.atlases) {
    atlases.push_back(Atlas::load(find_atlas_manifest(name)));
    if (context.verbose) {
      *context.log << "foci: atlas '" << atlases.back().name() << "' oriented by "
                   << atlases.back().orientation_note() << "\n";
    }
  }

  // Input columns other than x, y, z and space are echoed after the answer, so a label or
  // study column travels with its row.
  std::vector<int> extra_columns;
  for (int c = 0; c < static_cast<int>(header.size()); ++c) {
    const std::string h = to_lower(header[c]);
    if (h != "x" && h != "y" && h != "z" && h != "space") extra_columns.push_back(c);
  }

  const bool tsv = request.format == "tsv";
  if (tsv) {
    *context.out << "line\tx\ty\tz\tspace\tmni_x\tmni_y\tmni_z\tatlas\tlabel\tname\themisphere"
                    "\tdistance_mm";
    for (int c : extra_columns) *context.out << '\t' << echoed_column_name(header[c]);
    *context.out << '\n';
  }
  const RowAnswerer answerer{atlases, request.radius_mm, *transform, header, extra_columns, tsv};
  bool wrote_any = false;
  const auto write = [&](const fmt::memory_buffer& text) {
    context.out->write(text.data(), static_cast<std::streamsize>(text.size()));
  };
  if (single) {
    fmt::memory_buffer buffer;
    if (!tsv) buffer.push_back('[');
    for (const auto& row : single->rows) answerer.answer(row, !wrote_any, buffer), wrote_any = true;
    write(buffer);
  } else {
    if (!tsv) *context.out << '[';
    CoordinateTableReader table(request.coords_file, file_space);
    answer_in_blocks(table, answerer, write, wrote_any);
  }
  if (!tsv) *context.out << (wrote_any ? "\n]\n" : "]\n");
  context.out->flush();
  if (!*context.out) throw output_error("cannot write the result to standard output");
}

}  // namespace

void add_atlas_query_command(CLI::App& atlas, CommandContext& context) {
  auto request = std::make_shared<QueryRequest>();
  CLI::App* cmd = atlas.add_subcommand(
      "query",
      "Look up the atlas label at coordinates.\n"
      "A point takes the label of the voxel whose centre is nearest (a continuous voxel index\n"
      "is rounded half up). With --radius R and that voxel unlabelled, it takes the label of\n"
      "the nearest labelled voxel centre within R mm, reporting the distance; equal distances\n"
      "go to the smaller label number. Label 0 and an empty name mean nothing was found.\n"
      "Talairach points are converted to MNI first (see --tal-transform).");
  cmd->add_option("--atlas", request->atlases,
                  "Atlas name(s) (see 'foci atlas list') or manifest path; comma-separated for "
                  "several, giving one row per point per atlas")
      ->required()
      ->delimiter(',');
  cmd->add_option("--mni", request->mni, "One MNI point, X Y Z in mm")->expected(3);
  cmd->add_option("--tal", request->tal, "One Talairach point, X Y Z in mm")->expected(3);
  cmd->add_option("--coords", request->coords_file,
                  "TSV file with a header holding x, y, z (mm) and optionally space "
                  "(MNI/Talairach); other columns are echoed");
  cmd->add_option("--space", request->default_space,
                  "Space of --coords rows whose space column is empty or absent")
      ->capture_default_str();
  cmd->add_option("--radius", request->radius_mm,
                  "Search radius in mm for the nearest labelled voxel (0: the voxel itself)")
      ->capture_default_str();
  cmd->add_option("--tal-transform", request->tal_transform,
                  "Talairach->MNI transform: icbm_other (Lancaster 2007, pooled; default), "
                  "icbm_spm, icbm_fsl (Lancaster 2007 per software), brett (mni2tal inverse)")
      ->check(CLI::IsMember(talairach_transform_names()))
      ->capture_default_str();
  cmd->add_option("--format", request->format, "Output format")
      ->check(CLI::IsMember({"tsv", "json"}))
      ->capture_default_str();
  cmd->callback([request, &context] { run_atlas_query(*request, context); });
}

}  // namespace foci
