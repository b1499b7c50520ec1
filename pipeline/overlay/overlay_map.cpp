#include "overlay/overlay_map.hpp"

#include <algorithm>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <limits>
#include <set>

#include "atlas/label_table.hpp"
#include "atlas/nifti_io.hpp"
#include "core/enum_names.hpp"
#include "core/error.hpp"

namespace foci {

namespace fs = std::filesystem;

std::string to_string(OverlayKind kind) {
  constexpr NameTable<OverlayKind, 4> names{{{OverlayKind::signed_values, "signed"},
                                             {OverlayKind::positive, "positive"},
                                             {OverlayKind::negative, "negative"},
                                             {OverlayKind::labels, "labels"}}};
  return name_in(names, kind);
}

OverlaySource parse_overlay_source(const std::string& text) {
  const auto colon = text.rfind(':');
  if (colon == std::string::npos || colon == 0 || colon + 1 == text.size()) return {text, 0};
  const std::string index = text.substr(colon + 1);
  if (!std::all_of(index.begin(), index.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return {text, 0};
  }
  if (index.size() > 9) {
    throw usage_error("overlay '" + text + "': volume index " + index + " is too large");
  }
  return {text.substr(0, colon), std::stoi(index)};
}

namespace {

bool ends_with(const std::string& text, const std::string& tail) {
  return text.size() >= tail.size() &&
         text.compare(text.size() - tail.size(), tail.size(), tail) == 0;
}

/// "maps/zstat1.nii.gz" -> "maps/zstat1" (the .nii or .nii.gz removed, if there).
std::string without_nifti_extension(const std::string& path) {
  for (const std::string& ext : {std::string(".nii.gz"), std::string(".nii")}) {
    if (path.size() > ext.size() && ends_with(path, ext)) {
      return path.substr(0, path.size() - ext.size());
    }
  }
  return path;
}

/// A label table named by the user (format from its extension), else one beside the map as
/// atlases ship them: MAP.nii.txt or MAP.txt (MRIcron), MAP.tsv, MAP.xml (FSL; index + 1).
std::optional<LabelTable> find_label_table(const std::string& map_path, const std::string& given) {
  const auto read = [](const std::string& path) {
    if (ends_with(path, ".xml")) return read_fsl_xml_labels(path, 1);
    if (ends_with(path, ".tsv")) return read_tsv_labels(path);
    return read_mricron_labels(path);
  };
  if (!given.empty()) return read(given);
  const std::string stem = without_nifti_extension(map_path);
  for (const std::string& candidate :
       {stem + ".nii.txt", stem + ".txt", stem + ".tsv", stem + ".xml"}) {
    std::error_code ec;
    if (!fs::is_regular_file(candidate, ec)) continue;
    // A TSV beside a map may be a table of something else (foci meta writes clusters.tsv
    // beside clusters.nii.gz, naming the clusters by their peaks).
    if (ends_with(candidate, ".tsv")) {
      if (auto table = read_tsv_labels_beside(candidate)) return table;
      continue;
    }
    return read(candidate);
  }
  return std::nullopt;
}

}  // namespace

OverlayMap load_overlay(const OverlaySource& source, const OverlayLoadOptions& options) {
  const std::string& path = source.path;
  FloatVolume volume = read_float_volume(path, source.volume);
  const auto fail = [&](const std::string& what) {
    return input_error("cannot draw map '" + path + "': " + what);
  };
  const auto& s = volume.size;
  if (s[0] == 1 || s[1] == 1 || s[2] == 1) {
    throw fail("it is 2-D (" + std::to_string(s[0]) + " x " + std::to_string(s[1]) + " x " +
               std::to_string(s[2]) + " voxels); foci draws 3-D maps");
  }
  const NiftiOrientation& o = volume.orientation;
  const int space_code = o.source == OrientationSource::sform   ? o.sform_code
                         : o.source == OrientationSource::qform ? o.qform_code
                                                                : 0;
  constexpr int kTalairachCode = 3;  // NIFTI_XFORM_TALAIRACH
  if (space_code == kTalairachCode && !options.space_ok) {
    throw fail("its header says it is in Talairach space (" + to_string(o.source) +
               "_code 3), not MNI; convert it, or pass --space-ok to draw it as it is");
  }

  OverlayMap map;
  map.path = path;
  map.volume = source.volume;
  map.title = options.title;
  if (map.title.empty()) {
    map.title = fs::path(without_nifti_extension(path)).filename().string();
    if (volume.volume_count > 1) map.title += " [" + std::to_string(source.volume) + "]";
  }
  map.size = volume.size;
  map.voxel_to_mni = o.chosen;
  map.mni_to_voxel = o.chosen.inverse();

  std::size_t finite = 0, nonzero = 0, peak_at = 0;
  float lo = std::numeric_limits<float>::infinity(), hi = -lo, peak = 0;
  bool whole = true;
  for (std::size_t n = 0; n < volume.values.size(); ++n) {
    const float v = volume.values[n];
    if (!std::isfinite(v)) continue;
    ++finite;
    if (v != 0) ++nonzero;
    lo = std::min(lo, v);
    hi = std::max(hi, v);
    whole = whole && v == std::floor(v);
    if (std::abs(v) > std::abs(peak)) peak = v, peak_at = n;
  }
  if (finite == 0) throw fail("it holds no finite value (every voxel is NaN or infinite)");
  if (nonzero == 0) throw fail("every voxel is 0; there is nothing to draw");
  map.values = std::move(volume.values);
  map.min_value = lo;
  map.max_value = hi;
  map.peak_value = peak;
  const std::size_t nx = static_cast<std::size_t>(s[0]), ny = static_cast<std::size_t>(s[1]);
  map.peak_mni = map.voxel_to_mni.apply({static_cast<double>(peak_at % nx),
                                         static_cast<double>((peak_at / nx) % ny),
                                         static_cast<double>(peak_at / (nx * ny))});

  const std::optional<LabelTable> table = find_label_table(path, options.label_table);
  if (table) {
    if (!whole) {
      throw fail("it has a label table but holds values that are not whole numbers (from " +
                 std::to_string(lo) + " to " + std::to_string(hi) + ")");
    }
    map.kind = OverlayKind::labels;
    std::set<int> present;
    for (float& v : map.values) {
      if (!std::isfinite(v)) v = 0;
      if (v != 0) present.insert(static_cast<int>(v));
    }
    for (int value : present) {
      const LabelEntry* entry = table->find(value);
      map.label_names[value] = entry ? entry->name : "label " + std::to_string(value);
    }
  } else if (lo >= 0) {
    map.kind = OverlayKind::positive;
  } else if (hi <= 0) {
    map.kind = OverlayKind::negative;
  } else {
    map.kind = OverlayKind::signed_values;
  }
  return map;
}

float OverlayMap::value_at(Vec3 mni, Sampling sampling) const {
  const Vec3 c = mni_to_voxel.apply(mni);
  constexpr float kOutside = std::numeric_limits<float>::quiet_NaN();
  if (sampling == Sampling::nearest) {
    const double fi = c.x + 0.5, fj = c.y + 0.5, fk = c.z + 0.5;
    if (!(fi >= 0 && fj >= 0 && fk >= 0 && fi < size[0] && fj < size[1] && fk < size[2])) {
      return kOutside;
    }
    return values[offset(static_cast<int>(fi), static_cast<int>(fj), static_cast<int>(fk))];
  }
  if (!(c.x >= 0 && c.y >= 0 && c.z >= 0 && c.x <= size[0] - 1 && c.y <= size[1] - 1 &&
        c.z <= size[2] - 1)) {
    return kOutside;
  }
  // The lower corner is clamped so a point on the last voxel centre still has a cell.
  const int i = std::min(static_cast<int>(c.x), size[0] - 2);
  const int j = std::min(static_cast<int>(c.y), size[1] - 2);
  const int k = std::min(static_cast<int>(c.z), size[2] - 2);
  const double fx = c.x - i, fy = c.y - j, fz = c.z - k;
  const auto v = [&](int di, int dj, int dk) {
    return static_cast<double>(values[offset(i + di, j + dj, k + dk)]);
  };
  const double x00 = v(0, 0, 0) * (1 - fx) + v(1, 0, 0) * fx;
  const double x10 = v(0, 1, 0) * (1 - fx) + v(1, 1, 0) * fx;
  const double x01 = v(0, 0, 1) * (1 - fx) + v(1, 0, 1) * fx;
  const double x11 = v(0, 1, 1) * (1 - fx) + v(1, 1, 1) * fx;
  const double y0 = x00 * (1 - fy) + x10 * fy, y1 = x01 * (1 - fy) + x11 * fy;
  return static_cast<float>(y0 * (1 - fz) + y1 * fz);
}

void apply_threshold(OverlayMap& map, double threshold, int cluster_min_voxels) {
  if (map.kind == OverlayKind::labels) return;
  for (float& v : map.values) {
    if (std::abs(v) < threshold) v = 0;  // NaN compares false and stays
  }
  if (cluster_min_voxels <= 1) return;
  // Flood fill of each cluster, one sign at a time; `seen` marks voxels already in one.
  const auto& s = map.size;
  std::vector<bool> seen(map.values.size(), false);
  std::vector<std::size_t> cluster, stack;
  const auto sign = [](float v) { return v > 0 ? 1 : v < 0 ? -1 : 0; };
  for (std::size_t start = 0; start < map.values.size(); ++start) {
    const int start_sign = sign(map.values[start]);
    if (start_sign == 0 || seen[start]) continue;
    cluster.clear();
    stack.assign(1, start);
    seen[start] = true;
    while (!stack.empty()) {
      const std::size_t n = stack.back();
      stack.pop_back();
      cluster.push_back(n);
      const int i = static_cast<int>(n % s[0]), j = static_cast<int>((n / s[0]) % s[1]),
                k = static_cast<int>(n / (static_cast<std::size_t>(s[0]) * s[1]));
      for (int dk = -1; dk <= 1; ++dk)
        for (int dj = -1; dj <= 1; ++dj)
          for (int di = -1; di <= 1; ++di) {
            const int a = i + di, b = j + dj, c = k + dk;
            if (a < 0 || b < 0 || c < 0 || a >= s[0] || b >= s[1] || c >= s[2]) continue;
            const std::size_t m = map.offset(a, b, c);
            if (!seen[m] && sign(map.values[m]) == start_sign) {
              seen[m] = true;
              stack.push_back(m);
            }
          }
    }
    if (cluster.size() < static_cast<std::size_t>(cluster_min_voxels)) {
      for (std::size_t n : cluster) map.values[n] = 0;
    }
  }
}

}  // namespace foci
