// foci atlas query: which atlas label is at each coordinate.
#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <iterator>

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
  fmt::memory_buffer buffer;
  if (tsv) {
    *context.out << "line\tx\ty\tz\tspace\tmni_x\tmni_y\tmni_z\tatlas\tlabel\tname\themisphere"
                    "\tdistance_mm";
    for (int c : extra_columns) *context.out << '\t' << echoed_column_name(header[c]);
    *context.out << '\n';
  } else {
    buffer.push_back('[');
  }
  bool first = true;
  const auto answer = [&](const CoordinateRow& row) {
    const Vec3& point = *row.point;  // read with RegionRows::refused: every row has one
    const Vec3 mni = to_mni(point, row.space, *transform);
    for (const auto& atlas : atlases) {
      const AtlasHit hit = atlas.lookup(mni, request.radius_mm);
      const std::string name = atlas.label_name(hit.label);
      const std::string hemisphere = hit.label ? to_string(atlas.hit_hemisphere(hit)) : "";
      const std::string distance = hit.label ? format_mm(hit.distance_mm) : "";
      if (tsv) {
        fmt::format_to(std::back_inserter(buffer),
                       "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}", row.line, point.x,
                       point.y, point.z, to_string(row.space), format_mm(mni.x), format_mm(mni.y),
                       format_mm(mni.z), atlas.name(), hit.label, name, hemisphere, distance);
        for (int c : extra_columns)
          fmt::format_to(std::back_inserter(buffer), "\t{}", tsv_cell(row.fields[c]));
        buffer.push_back('\n');
      } else {
        nlohmann::json j = {
            {"line", row.line},
            {"input", {point.x, point.y, point.z}},
            {"space", to_string(row.space)},
            {"mni", {mni.x, mni.y, mni.z}},
            {"atlas", atlas.name()},
            {"label", hit.label},
            {"name", name},
            {"hemisphere", hemisphere},
            {"distance_mm", hit.label ? nlohmann::json(hit.distance_mm) : nlohmann::json(nullptr)}};
        if (row.space == CoordinateSpace::talairach) j["transform"] = to_string(*transform);
        for (int c : extra_columns) j["input_columns"][header[c]] = row.fields[c];
        append_array_element(buffer, j, first);
        first = false;
      }
    }
    // Written in blocks: a million rows through operator<< one field at a time is slow.
    if (buffer.size() > (1 << 20)) {
      context.out->write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      buffer.clear();
    }
  };
  if (single) {
    for (const auto& row : single->rows) answer(row);
  } else {
    CoordinateTableReader table(request.coords_file, file_space);
    CoordinateRow row;
    while (table.next(row)) answer(row);
  }
  if (!tsv) buffer.append(std::string_view(first ? "]\n" : "\n]\n"));
  context.out->write(buffer.data(), static_cast<std::streamsize>(buffer.size()));
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
