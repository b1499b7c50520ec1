#include "meta/engine.hpp"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <map>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/enum_names.hpp"
#include "core/error.hpp"

namespace foci {

std::string to_string(MetaMethod method) {
  constexpr NameTable<MetaMethod, 2> names{{{MetaMethod::ale, "ale"}, {MetaMethod::mkda, "mkda"}}};
  return name_in(names, method);
}

double MetaModel::stat_of(double y) const {
  return method == MetaMethod::ale ? static_cast<float>(-std::expm1(-y)) : static_cast<float>(y);
}

double MetaModel::y_of(double stat) const {
  return method == MetaMethod::ale ? -std::log1p(-stat) : stat;
}

MetaModel make_meta_model(MetaMethod method, const ExperimentSet& experiments, const MetaGrid& grid,
                          double radius_mm) {
  MetaModel model;
  model.method = method;
  model.size = grid.size();
  std::map<double, std::size_t> kernel_of_n;
  for (const auto& e : experiments.experiments) {
    if (method == MetaMethod::mkda) {
      if (model.kernels.empty())
        model.kernels.push_back(sphere_kernel(radius_mm, grid.mask.voxel_to_world));
      model.experiment_kernel.push_back(0);
      continue;
    }
    if (!e.sample_size) throw Error(ExitCode::internal, "experiment '" + e.id + "' has no N");
    auto it = kernel_of_n.find(*e.sample_size);
    if (it == kernel_of_n.end()) {
      it = kernel_of_n.emplace(*e.sample_size, model.kernels.size()).first;
      model.kernels.push_back(ale_kernel(*e.sample_size, grid.voxel_mm()));
    }
    model.experiment_kernel.push_back(it->second);
  }
  int radius = 1;
  for (const auto& k : model.kernels)
    for (const int r : k.radius) radius = std::max(radius, r);
  // A row padded to whole lanes reaches up to 3 voxels past the kernel's +x edge.
  model.pad = radius + 3;
  for (int a = 0; a < 3; ++a) model.padded[a] = model.size[a] + 2 * model.pad;
  const std::int64_t px = model.padded[0], pxy = px * model.padded[1];
  for (const auto& k : model.kernels) {
    std::vector<std::int64_t> rows;
    for (int dz = -k.radius[2]; dz <= k.radius[2]; ++dz)
      for (int dy = -k.radius[1]; dy <= k.radius[1]; ++dy)
        rows.push_back(dz * pxy + dy * px - k.radius[0]);
    model.row_offsets.push_back(std::move(rows));
    const std::size_t width = static_cast<std::size_t>(k.width()[0]);
    const std::size_t lanes = (width + 3) / 4 * 4;
    std::vector<float> weights;
    for (std::size_t r = 0; r * width < k.weight.size(); ++r) {
      weights.insert(weights.end(), k.weight.begin() + static_cast<std::ptrdiff_t>(r * width),
                     k.weight.begin() + static_cast<std::ptrdiff_t>((r + 1) * width));
      weights.resize(weights.size() + lanes - width, 0.0f);
    }
    model.row_weights.push_back(std::move(weights));
    model.row_width.push_back(lanes);
  }
  for (const auto& e : experiments.experiments) {
    std::vector<std::uint32_t> foci;
    for (const auto& f : e.foci)
      foci.push_back(model.padded_index(f.voxel[0], f.voxel[1], f.voxel[2]));
    model.foci.push_back(std::move(foci));
  }
  model.mask.assign(model.padded_count(), 0);
  for (int k = 0; k < model.size[2]; ++k)
    for (int j = 0; j < model.size[1]; ++j)
      for (int i = 0; i < model.size[0]; ++i)
        if (grid.mask.at(i, j, k) != 0) {
          const std::uint32_t p = model.padded_index(i, j, k);
          model.mask[p] = 1;
          model.mask_voxels.push_back(p);
        }
  return model;
}

std::size_t AnalyticNull::bin_of(double y) const {
  const double b = std::floor(y / bin_width + 0.5);
  return b <= 0 ? 0 : static_cast<std::size_t>(b);
}

double AnalyticNull::p_of_y(double y) const {
  const std::size_t b = bin_of(y);
  const double p = b < tail.size() ? tail[b] : 0.0;
  return std::max(p, smallest);
}

std::size_t AnalyticNull::threshold_bin(double p) const {
  for (std::size_t b = 0; b < tail.size(); ++b)
    if (tail[b] <= p) return b;
  return tail.size();
}

namespace {

/// Runs `row(first, kernel_row)` over every row of the box of a focus at padded index p.
template <typename Row>
void for_rows(const MetaModel& model, std::size_t kernel, std::uint32_t p, Row row) {
  const std::size_t width = model.row_width[kernel];
  const float* weights = model.row_weights[kernel].data();
  const auto& offsets = model.row_offsets[kernel];
  for (std::size_t r = 0; r < offsets.size(); ++r) {
    row(static_cast<std::size_t>(static_cast<std::int64_t>(p) + offsets[r]), weights + r * width,
        width);
  }
}

// Row kernels. A row is a multiple of four floats long (see MetaModel::row_width); with SSE2
// (every x86-64) each step handles four voxels, and the results are the same bit for bit as
// the plain loops, each voxel's arithmetic being the same.
#if defined(__SSE2__)
inline void add_row(float* y, const float* k, std::size_t n) {
  for (std::size_t x = 0; x < n; x += 4) {
    _mm_storeu_ps(y + x, _mm_add_ps(_mm_loadu_ps(y + x), _mm_loadu_ps(k + x)));
  }
}
inline void max_row(float* s, const float* k, std::size_t n) {
  for (std::size_t x = 0; x < n; x += 4) {
    _mm_storeu_ps(s + x, _mm_max_ps(_mm_loadu_ps(s + x), _mm_loadu_ps(k + x)));
  }
}
/// y += s, s = 0.
inline void drain_row(float* y, float* s, std::size_t n) {
  const __m128 zero = _mm_setzero_ps();
  for (std::size_t x = 0; x < n; x += 4) {
    _mm_storeu_ps(y + x, _mm_add_ps(_mm_loadu_ps(y + x), _mm_loadu_ps(s + x)));
    _mm_storeu_ps(s + x, zero);
  }
}
/// Reads a row (masked: 0 outside the mask) into `copy` and zeroes it, keeping running lane
/// maxima; says whether any masked value reaches `at_least`.
struct RowScan {
  __m128 max = _mm_setzero_ps();
  bool scan(float* y, const std::uint8_t* m, std::size_t n, float at_least, float* copy) {
    const __m128 limit = _mm_set1_ps(at_least);
    const __m128i zero = _mm_setzero_si128();
    __m128 hit = _mm_setzero_ps();
    for (std::size_t x = 0; x < n; x += 4) {
      std::int32_t bytes;
      std::memcpy(&bytes, m + x, 4);
      const __m128i wide =
          _mm_unpacklo_epi16(_mm_unpacklo_epi8(_mm_cvtsi32_si128(bytes), zero), zero);
      const __m128 inside = _mm_castsi128_ps(_mm_cmpgt_epi32(wide, zero));
      const __m128 v = _mm_and_ps(_mm_loadu_ps(y + x), inside);
      _mm_storeu_ps(copy + x, v);
      _mm_storeu_ps(y + x, _mm_setzero_ps());
      max = _mm_max_ps(max, v);
      hit = _mm_or_ps(hit, _mm_cmpge_ps(v, limit));
    }
    return _mm_movemask_ps(hit) != 0;
  }
  float largest() const {
    float lanes[4];
    _mm_storeu_ps(lanes, max);
    return std::max(std::max(lanes[0], lanes[1]), std::max(lanes[2], lanes[3]));
  }
};
#else
inline void add_row(float* y, const float* k, std::size_t n) {
  for (std::size_t x = 0; x < n; ++x) y[x] += k[x];
}
inline void max_row(float* s, const float* k, std::size_t n) {
  for (std::size_t x = 0; x < n; ++x) s[x] = s[x] < k[x] ? k[x] : s[x];
}
inline void drain_row(float* y, float* s, std::size_t n) {
  for (std::size_t x = 0; x < n; ++x) {
    y[x] += s[x];
    s[x] = 0.0f;
  }
}
struct RowScan {
  float max = 0.0f;
  bool scan(float* y, const std::uint8_t* m, std::size_t n, float at_least, float* copy) {
    bool hit = false;
    for (std::size_t x = 0; x < n; ++x) {
      const float v = m[x] != 0 ? y[x] : 0.0f;
      copy[x] = v;
      y[x] = 0.0f;
      max = max < v ? v : max;
      hit = hit || v >= at_least;
    }
    return hit;
  }
  float largest() const { return max; }
};
#endif

/// Maximum of an experiment's kernels into `scratch` (zero before).
void experiment_max(const MetaModel& model, std::size_t e, const std::vector<std::uint32_t>& pos,
                    float* scratch) {
  const std::size_t kernel = model.experiment_kernel[e];
  for (const std::uint32_t p : pos) {
    for_rows(model, kernel, p, [&](std::size_t first, const float* w, std::size_t n) {
      max_row(scratch + first, w, n);
    });
  }
}

std::array<std::int64_t, 3> coordinates_of(const MetaModel& model, std::uint32_t p) {
  const std::int64_t px = model.padded[0], py = model.padded[1];
  return {p % px, p / px % py, p / (px * py)};
}

}  // namespace

std::vector<std::vector<double>> experiment_histograms(const MetaModel& model, double bin_width) {
  AnalyticNull binner;
  binner.bin_width = bin_width;
  std::vector<float> scratch(model.padded_count(), 0.0f);
  std::vector<std::vector<double>> out;
  const double total = static_cast<double>(model.mask_voxels.size());
  for (std::size_t e = 0; e < model.experiment_count(); ++e) {
    std::vector<double> hist(1, 0.0);
    std::size_t counted = 0;
    experiment_max(model, e, model.foci[e], scratch.data());
    for (const std::uint32_t p : model.foci[e]) {
      for_rows(model, model.experiment_kernel[e], p,
               [&](std::size_t first, const float*, std::size_t n) {
                 for (std::size_t x = first; x < first + n; ++x) {
                   if (scratch[x] == 0.0f) continue;
                   if (model.mask[x] != 0) {
                     const std::size_t b = binner.bin_of(scratch[x]);
                     if (b >= hist.size()) hist.resize(b + 1, 0.0);
                     hist[b] += 1.0;
                     ++counted;
                   }
                   scratch[x] = 0.0f;
                 }
               });
    }
    hist[0] += total - static_cast<double>(counted);
    for (double& h : hist) h /= total;
    out.push_back(std::move(hist));
  }
  return out;
}

AnalyticNull analytic_null(const MetaModel& model) {
  AnalyticNull null;
  null.bin_width = model.method == MetaMethod::ale ? 1e-5 : 1.0;
  std::vector<double> dist(1, 1.0);
  for (const auto& hist : experiment_histograms(model, null.bin_width)) {
    std::vector<double> next(dist.size() + hist.size() - 1, 0.0);
    for (std::size_t j = 0; j < hist.size(); ++j) {
      const double h = hist[j];
      if (h == 0) continue;
      double* out = next.data() + j;
      for (std::size_t i = 0; i < dist.size(); ++i) out[i] += dist[i] * h;
    }
    dist = std::move(next);
  }
  null.tail.assign(dist.size(), 0.0);
  long double sum = 0;
  for (std::size_t b = dist.size(); b-- > 0;) {
    sum += dist[b];
    null.tail[b] = static_cast<double>(sum);
  }
  const double total = null.tail[0];
  null.smallest = 1.0;
  for (double& t : null.tail) {
    t /= total;
    if (t > 0) null.smallest = std::min(null.smallest, t);
  }
  return null;
}

double p_to_z(double p) {
  if (!(p < 0.5)) return 0.0;
  // Acklam's rational approximation of the normal quantile, refined by one Halley step.
  static const double a[] = {-3.969683028665376e+01, 2.209460984245205e+02,  -2.759285104469687e+02,
                             1.383577518672690e+02,  -3.066479806614716e+01, 2.506628277459239e+00};
  static const double b[] = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
                             6.680131188771972e+01, -1.328068155288572e+01};
  static const double c[] = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
                             -2.549732539343734e+00, 4.374664141464968e+00,  2.938163982698783e+00};
  static const double d[] = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
                             3.754408661907416e+00};
  double x;  // the quantile of p, negative here
  if (p < 0.02425) {
    const double q = std::sqrt(-2 * std::log(p));
    x = (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) /
        ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  } else {
    const double q = p - 0.5, r = q * q;
    x = (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q /
        (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
  const double e = 0.5 * std::erfc(-x / std::sqrt(2.0)) - p;
  const double u = e * std::sqrt(2 * 3.14159265358979323846) * std::exp(x * x / 2);
  x = x - u / (1 + x * u / 2);
  return -x;
}

ClusterThreshold cluster_threshold(const MetaModel& model, const AnalyticNull& null,
                                   double cluster_p) {
  ClusterThreshold t;
  // A voxel of statistic 0 is never part of a cluster, whatever the p asked for.
  t.bin = std::max<std::size_t>(1, null.threshold_bin(cluster_p));
  t.reachable = t.bin < null.tail.size();
  t.y_floor = null.bin_floor(t.bin);
  t.stat = model.stat_of(t.y_floor);
  return t;
}

StatWorkspace::StatWorkspace(const MetaModel& model)
    : model_(model),
      acc_(model.padded_count(), 0.0f),
      scratch_(model.padded_count(), 0.0f),
      label_(model.padded_count(), -1) {
  std::size_t widest = 0;
  for (const std::size_t w : model.row_width) widest = std::max(widest, w);
  copy_.resize(widest);
}

namespace {

/// Interleaves the bits of three coordinates (each below 2^21): a Z-order curve key.
std::uint64_t z_order(std::array<std::int64_t, 3> c) {
  std::uint64_t key = 0;
  for (int bit = 0; bit < 21; ++bit)
    for (int a = 0; a < 3; ++a) {
      key |= ((static_cast<std::uint64_t>(c[a]) >> bit) & 1ULL) << (3 * bit + a);
    }
  return key;
}

}  // namespace

void StatWorkspace::plan_units(const std::vector<std::vector<std::uint32_t>>& positions) {
  units_.clear();
  unit_foci_.clear();
  std::vector<std::uint32_t> group;
  std::vector<std::array<std::int64_t, 3>> at;
  for (std::size_t e = 0; e < positions.size(); ++e) {
    const auto& pos = positions[e];
    const std::size_t kernel = model_.experiment_kernel[e];
    const auto w = model_.kernels[kernel].width();
    // Foci whose boxes overlap (directly or through others) form one group.
    group.resize(pos.size());
    at.clear();
    for (std::size_t a = 0; a < pos.size(); ++a) {
      group[a] = static_cast<std::uint32_t>(a);
      at.push_back(coordinates_of(model_, pos[a]));
    }
    const auto find = [&](std::uint32_t a) {
      while (group[a] != a) a = group[a] = group[group[a]];
      return a;
    };
    for (std::size_t a = 0; a < pos.size(); ++a)
      for (std::size_t b = a + 1; b < pos.size(); ++b) {
        if (std::abs(at[a][0] - at[b][0]) < w[0] && std::abs(at[a][1] - at[b][1]) < w[1] &&
            std::abs(at[a][2] - at[b][2]) < w[2]) {
          const std::uint32_t ra = find(static_cast<std::uint32_t>(a)),
                              rb = find(static_cast<std::uint32_t>(b));
          if (ra != rb) group[std::max(ra, rb)] = std::min(ra, rb);
        }
      }
    for (std::size_t a = 0; a < pos.size(); ++a) {
      if (find(static_cast<std::uint32_t>(a)) != a) continue;
      Unit unit{z_order(at[a]), kernel, static_cast<std::uint32_t>(unit_foci_.size()), 0};
      for (std::size_t b = a; b < pos.size(); ++b) {
        if (find(static_cast<std::uint32_t>(b)) == a) {
          unit_foci_.push_back(pos[b]);
          ++unit.count;
        }
      }
      units_.push_back(unit);
    }
  }
  // Ties keep the order above (experiment, then focus), so the plan depends on the
  // positions alone.
  std::stable_sort(units_.begin(), units_.end(),
                   [](const Unit& a, const Unit& b) { return a.key < b.key; });
}

void StatWorkspace::accumulate(const std::vector<std::vector<std::uint32_t>>& positions) {
  plan_units(positions);
  float* acc = acc_.data();
  float* scratch = scratch_.data();
  for (const Unit& unit : units_) {
    const std::uint32_t* foci = unit_foci_.data() + unit.first;
    if (unit.count == 1) {
      for_rows(model_, unit.kernel, foci[0], [&](std::size_t first, const float* k, std::size_t n) {
        add_row(acc + first, k, n);
      });
      continue;
    }
    // The group's maximum in `scratch`, then added and cleared box by box.
    for (std::uint32_t a = 0; a < unit.count; ++a) {
      for_rows(model_, unit.kernel, foci[a], [&](std::size_t first, const float* k, std::size_t n) {
        max_row(scratch + first, k, n);
      });
    }
    for (std::uint32_t a = 0; a < unit.count; ++a) {
      for_rows(model_, unit.kernel, foci[a], [&](std::size_t first, const float*, std::size_t n) {
        drain_row(acc + first, scratch + first, n);
      });
    }
  }
}

std::vector<float> StatWorkspace::y_map(const std::vector<std::vector<std::uint32_t>>& positions) {
  accumulate(positions);
  const auto& s = model_.size;
  std::vector<float> out(static_cast<std::size_t>(s[0]) * s[1] * s[2]);
  std::size_t n = 0;
  for (int k = 0; k < s[2]; ++k)
    for (int j = 0; j < s[1]; ++j) {
      const float* row = acc_.data() + model_.padded_index(0, j, k);
      std::copy(row, row + s[0], out.data() + n);
      n += static_cast<std::size_t>(s[0]);
    }
  std::fill(acc_.begin(), acc_.end(), 0.0f);
  return out;
}

std::vector<float> StatWorkspace::experiment_y_map(std::size_t experiment,
                                                   const std::vector<std::uint32_t>& positions) {
  std::vector<std::vector<std::uint32_t>> only(model_.experiment_count());
  only[experiment] = positions;
  return y_map(only);
}

IterationResult StatWorkspace::summarise(const std::vector<std::vector<std::uint32_t>>& positions,
                                         const AnalyticNull& null,
                                         const ClusterThreshold& threshold) {
  accumulate(positions);
  float* acc = acc_.data();
  const std::uint8_t* mask = model_.mask.data();
  // Rows whose largest masked value lies below this cannot hold a supra-threshold voxel;
  // the exact test (the voxel's bin) is made only in the others.
  const float prefilter = threshold.reachable ? static_cast<float>(threshold.y_floor * (1 - 1e-6))
                                              : std::numeric_limits<float>::infinity();
  RowScan rows;
  found_.clear();
  found_y_.clear();
  float* copy = copy_.data();
  for (const Unit& unit : units_) {
    const std::size_t n = model_.row_width[unit.kernel];
    const auto& offsets = model_.row_offsets[unit.kernel];
    for (std::uint32_t a = 0; a < unit.count; ++a) {
      const std::uint32_t p = unit_foci_[unit.first + a];
      for (const std::int64_t offset : offsets) {
        const std::size_t first = static_cast<std::size_t>(static_cast<std::int64_t>(p) + offset);
        if (!rows.scan(acc + first, mask + first, n, prefilter, copy)) continue;
        for (std::size_t x = 0; x < n; ++x) {
          if (copy[x] > 0.0f && null.bin_of(copy[x]) >= threshold.bin) {
            found_.push_back(static_cast<std::uint32_t>(first + x));
            found_y_.push_back(copy[x]);
          }
        }
      }
    }
  }
  const float max_y = rows.largest();
  IterationResult result;
  result.max_stat = model_.stat_of(max_y);
  if (found_.empty()) return result;

  // Union-find over the supra-threshold voxels; a voxel's neighbours below it in x, y and
  // z suffice, each link being seen from its upper end.
  parent_.resize(found_.size());
  for (std::size_t n = 0; n < found_.size(); ++n) {
    parent_[n] = static_cast<std::uint32_t>(n);
    label_[found_[n]] = static_cast<std::int32_t>(n);
  }
  const auto find = [&](std::uint32_t n) {
    while (parent_[n] != n) n = parent_[n] = parent_[parent_[n]];
    return n;
  };
  const std::int64_t steps[3] = {1, model_.padded[0],
                                 static_cast<std::int64_t>(model_.padded[0]) * model_.padded[1]};
  for (std::size_t n = 0; n < found_.size(); ++n) {
    for (const std::int64_t step : steps) {
      const std::int32_t other = label_[static_cast<std::size_t>(found_[n] - step)];
      if (other < 0) continue;
      const std::uint32_t a = find(static_cast<std::uint32_t>(n)),
                          b = find(static_cast<std::uint32_t>(other));
      if (a != b) parent_[std::max(a, b)] = std::min(a, b);
    }
  }
  std::vector<std::uint64_t> size(found_.size(), 0);
  std::vector<double> mass(found_.size(), 0.0);
  for (std::size_t n = 0; n < found_.size(); ++n) {
    const std::uint32_t root = find(static_cast<std::uint32_t>(n));
    ++size[root];
    mass[root] += model_.stat_of(found_y_[n]) - threshold.stat;
    label_[found_[n]] = -1;
  }
  result.clusters.size = *std::max_element(size.begin(), size.end());
  result.clusters.mass = *std::max_element(mass.begin(), mass.end());
  return result;
}

MapClusters map_clusters(const MetaModel& model, const MetaGrid& grid, const std::vector<float>& y,
                         const AnalyticNull& null, const ClusterThreshold& threshold) {
  MapClusters out;
  const auto& s = model.size;
  out.label.assign(y.size(), 0);
  if (!threshold.reachable) return out;
  const auto supra = [&](std::size_t v) {
    return grid.mask.labels[v] != 0 && null.bin_of(y[v]) >= threshold.bin;
  };
  std::vector<std::size_t> stack;
  for (std::size_t v = 0; v < y.size(); ++v) {
    if (out.label[v] != 0 || !supra(v)) continue;
    const std::int32_t label = static_cast<std::int32_t>(out.size.size() + 1);
    std::uint64_t size = 0;
    double mass = 0;
    out.label[v] = label;
    stack.push_back(v);
    while (!stack.empty()) {
      const std::size_t u = stack.back();
      stack.pop_back();
      ++size;
      mass += model.stat_of(y[u]) - threshold.stat;
      const int i = static_cast<int>(u % s[0]), j = static_cast<int>(u / s[0] % s[1]),
                k = static_cast<int>(u / s[0] / s[1]);
      const int nb[6][3] = {{i - 1, j, k}, {i + 1, j, k}, {i, j - 1, k},
                            {i, j + 1, k}, {i, j, k - 1}, {i, j, k + 1}};
      for (const auto& n : nb) {
        if (!grid.mask.contains(n[0], n[1], n[2])) continue;
        const std::size_t w = grid.mask.offset(n[0], n[1], n[2]);
        if (out.label[w] == 0 && supra(w)) {
          out.label[w] = label;
          stack.push_back(w);
        }
      }
    }
    out.size.push_back(size);
    out.mass.push_back(mass);
  }
  return out;
}

}  // namespace foci
