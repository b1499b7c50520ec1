#include "meta/analysis.hpp"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>
#include <sstream>

#include "atlas/nifti_io.hpp"
#include "core/error.hpp"
#include "core/hash.hpp"
#include "core/json_file.hpp"
#include "core/output_file.hpp"
#include "core/text.hpp"
#include "atlas/nifti_io.hpp"

#ifndef FOCI_VERSION
#define FOCI_VERSION "unknown"
#endif

namespace foci {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::vector<std::uint64_t> shard_iterations(std::uint64_t iterations, int index, int count) {
  std::vector<std::uint64_t> out;
  for (std::uint64_t i = static_cast<std::uint64_t>(index); i < iterations;
       i += static_cast<std::uint64_t>(count)) {
    out.push_back(i);
  }
  return out;
}

MetaAnalysis analyse(const std::vector<FindingInput>& inputs, const MetaGrid& grid,
                     const MetaOptions& options) {
  MetaAnalysis a;
  ExperimentOptions experiment_options = options.experiments;
  experiment_options.require_sample_size = options.method == MetaMethod::ale;
  a.experiments = build_experiments(inputs, grid, experiment_options);
  a.model = make_meta_model(options.method, a.experiments, grid, options.radius_mm);
  a.null = analytic_null(a.model);
  a.threshold = cluster_threshold(a.model, a.null, options.cluster_p);
  StatWorkspace workspace(a.model);
  a.y = workspace.y_map(a.model.foci);
  const std::size_t n = a.y.size();
  a.stat.assign(n, 0.0f);
  a.p.assign(n, 1.0f);
  a.z.assign(n, 0.0f);
  // p and z depend on a voxel's bin alone: each is computed once per bin of the null, and
  // once for the values past its end (which all get its smallest p).
  const std::size_t bins = a.null.tail.size();
  std::vector<float> p_of_bin(bins + 1), z_of_bin(bins + 1);
  for (std::size_t b = 0; b <= bins; ++b) {
    const double p = std::max(b < bins ? a.null.tail[b] : 0.0, a.null.smallest);
    p_of_bin[b] = static_cast<float>(p);
    z_of_bin[b] = static_cast<float>(p_to_z(p));
  }
  for (std::size_t v = 0; v < n; ++v) {
    if (grid.mask.labels[v] == 0) continue;
    a.stat[v] = static_cast<float>(a.model.stat_of(a.y[v]));
    const std::size_t b = std::min(a.null.bin_of(a.y[v]), bins);
    a.p[v] = p_of_bin[b];
    a.z[v] = z_of_bin[b];
  }
  return a;
}

MetaNull run_null(const MetaAnalysis& analysis, const MetaOptions& options, int jobs,
                  std::ostream* progress) {
  MetaNull null;
  null.seed = options.seed;
  null.total = options.iterations;
  null.iterations = shard_iterations(options.iterations, options.shard_index, options.shard_count);
  MonteCarloRequest request;
  request.seed = options.seed;
  request.iterations = null.iterations;
  request.jobs = jobs;
  request.progress = progress;
  null.results = run_monte_carlo(analysis.model, analysis.null, analysis.threshold, request);
  return null;
}

namespace {

std::string voxel_rule_name(VoxelRule r) { return r == VoxelRule::nearest ? "nearest" : "floor"; }
std::string group_by_name(GroupBy g) { return g == GroupBy::contrast ? "contrast" : "study"; }
std::string fwe_by_name(FweBy f) { return f == FweBy::size ? "size" : "mass"; }

json options_json(const MetaOptions& o, const std::vector<std::string>& hashes,
                  const std::string& mask_hash) {
  json inputs = json::array();
  for (std::size_t n = 0; n < o.inputs.size(); ++n) {
    inputs.push_back({{"path", o.inputs[n]}, {"content_hash", n < hashes.size() ? hashes[n] : ""}});
  }
  json j = {
      {"method", to_string(o.method)},
      {"inputs", inputs},
      {"filters", o.filters},
      {"mask", o.mask.empty() ? json{{"atlas", "ch2bet"}}
                              : json{{"path", o.mask}, {"content_hash", mask_hash}}},
      {"voxel_rule", voxel_rule_name(o.experiments.voxel_rule)},
      {"group_by", group_by_name(o.experiments.group_by)},
      {"sample_size", o.experiments.default_sample_size ? json(*o.experiments.default_sample_size)
                                                        : json(nullptr)},
      {"tal_transform", to_string(o.experiments.transform)},
      {"iterations", o.iterations},
      {"cluster_p", o.cluster_p},
      {"fwe_p", o.fwe_p},
      {"fwe_by", fwe_by_name(o.fwe_by)},
      {"seed", o.seed},
      {"atlases", o.atlases}};
  if (o.method == MetaMethod::mkda) j["radius_mm"] = o.radius_mm;
  return j;
}

std::string stat_name(MetaMethod m) { return m == MetaMethod::ale ? "ALE" : "MKDA density"; }

std::string number(double v, int digits = 6) {
  char text[64];
  std::snprintf(text, sizeof text, "%.*g", digits, v);
  return text;
}

std::string percent(double share) {
  char text[32];
  std::snprintf(text, sizeof text, "%.1f%%", 100 * share);
  return text;
}

/// "name 54.1%; other 20.3%": shares of a count map, largest first, from 0.1%.
std::string shares_text(const std::map<std::string, double>& weights) {
  double total = 0;
  for (const auto& [name, w] : weights) total += w;
  std::vector<std::pair<std::string, double>> sorted(weights.begin(), weights.end());
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.second > b.second; });
  std::string out;
  for (const auto& [name, w] : sorted) {
    // Shares that would print as 0.0% are left out.
    if (total <= 0 || w / total < 0.0005) continue;
    out += (out.empty() ? "" : "; ") + name + " " + percent(w / total);
  }
  return out;
}

double share_at_least(const std::vector<double>& sorted_null, double value) {
  // Iterations whose maximum reaches the value, over all iterations; at least one, since
  // an estimate from n iterations cannot go below 1/n.
  const auto first = std::lower_bound(sorted_null.begin(), sorted_null.end(), value);
  const auto count = static_cast<double>(sorted_null.end() - first);
  return std::max(count, 1.0) / static_cast<double>(sorted_null.size());
}

struct ClusterRow {
  std::int32_t map_label = 0;  ///< label in MapClusters
  std::uint64_t size = 0;
  double mass = 0;
  double p_size = 1, p_mass = 1;
  bool survives = false;
  std::size_t peak = 0;  ///< voxel offset
  Vec3 centre;
};

void write_text(const fs::path& out, const std::string& name, const std::string& text) {
  write_file_atomically((out / name).string(), text, true);
}

std::string methods_paragraph(const MetaAnalysis& a, const MetaGrid& grid, const MetaOptions& o) {
  std::ostringstream s;
  const auto& ex = a.experiments;
  double participants = 0;
  double fwhm_lo = 1e9, fwhm_hi = 0;
  for (const auto& e : ex.experiments) {
    if (!e.sample_size) continue;
    participants += *e.sample_size;
    fwhm_lo = std::min(fwhm_lo, ale_fwhm_mm(*e.sample_size));
    fwhm_hi = std::max(fwhm_hi, ale_fwhm_mm(*e.sample_size));
  }
  const std::string grid_text =
      o.mask.empty() ? "the MNI 2 mm grid (91 x 109 x 91 voxels) masked by the Colin27 brain "
                       "(ch2bet, resampled by nearest neighbour; " +
                           std::to_string(grid.mask_voxels) + " voxels)"
                     : "the grid of the mask '" + o.mask + "' (" +
                           std::to_string(grid.mask_voxels) + " voxels)";
  if (o.method == MetaMethod::ale) {
    s << "An activation likelihood estimation (ALE) meta-analysis (Turkeltaub et al. 2002, 2012; "
         "Eickhoff et al. 2009, 2012) was performed with foci " FOCI_VERSION " on "
      << ex.experiments.size() << " experiments (" << ex.focus_count() << " foci, "
      << number(participants) << " participants in total), each the foci of one "
      << (o.experiments.group_by == GroupBy::contrast ? "study and contrast" : "study")
      << ". Each focus was modelled as a three-dimensional Gaussian whose FWHM followed the "
         "experiment's sample size (Eickhoff et al. 2009; "
      << number(fwhm_lo, 4) << " to " << number(fwhm_hi, 4) << " mm here), sampled on " << grid_text
      << " out to four standard deviations; an experiment's modelled activation (MA) map was "
         "the voxel-wise maximum of its foci's kernels (Turkeltaub et al. 2012), and the ALE "
         "map the union 1 - prod(1 - MA). ALE values were converted to p values with the "
         "analytic null distribution of Eickhoff et al. (2012): each experiment's MA values over "
         "all mask voxels, binned (1e-5 on the scale -ln(1 - MA), where the union is a sum), "
         "were combined assuming spatial independence.";
  } else {
    s << "A multilevel kernel density analysis (MKDA; Wager et al. 2007) was performed with "
         "foci " FOCI_VERSION " on "
      << ex.experiments.size() << " experiments (" << ex.focus_count()
      << " foci), each the foci of one "
      << (o.experiments.group_by == GroupBy::contrast ? "study and contrast" : "study")
      << ". Each experiment's indicator map marked the voxels within " << number(o.radius_mm)
      << " mm of any of its foci, on " << grid_text
      << "; the density statistic was the number of experiments marking a voxel (uniform "
         "weights). Density values were converted to p values with the exact null "
         "distribution of that count when every experiment's map is placed independently.";
  }
  s << " Talairach coordinates were converted to MNI with the "
    << to_string(o.experiments.transform) << " transform (Lancaster et al. 2007); each focus "
    << "was assigned to the "
    << (o.experiments.voxel_rule == VoxelRule::nearest ? "voxel whose centre is nearest"
                                                       : "voxel of its truncated index")
    << ".";
  if (o.iterations > 0) {
    s << " Family-wise error was controlled with a Monte Carlo procedure of " << o.iterations
      << " iterations (seed " << o.seed
      << "), each moving every focus to a mask voxel drawn at random and recording the maximum "
         "statistic and the size and mass of the largest cluster; clusters were formed of "
         "face-connected voxels with uncorrected p <= "
      << number(o.cluster_p) << " (" << stat_name(o.method) << " >= " << number(a.threshold.stat)
      << ") and kept when their FWE p by cluster " << fwe_by_name(o.fwe_by) << " was below "
      << number(o.fwe_p) << ".";
  }
  return s.str();
}

}  // namespace

std::string null_json(const MetaNull& null, const MetaOptions& options) {
  // Keys in the documented order: seed, iterations, (shard), then the arrays.
  nlohmann::ordered_json j = {{"seed", null.seed}, {"iterations", null.total}};
  if (options.shard_count > 1) {
    j["shard"] = {{"index", options.shard_index}, {"count", options.shard_count}};
    j["iteration_indices"] = null.iterations;
  }
  nlohmann::ordered_json stat = nlohmann::ordered_json::array(),
                         size = nlohmann::ordered_json::array(),
                         mass = nlohmann::ordered_json::array();
  for (const auto& r : null.results) {
    stat.push_back(r.max_stat);
    size.push_back(r.clusters.size);
    mass.push_back(r.clusters.mass);
  }
  j["max_stat"] = stat;
  j["max_cluster_size"] = size;
  j["max_cluster_mass"] = mass;
  return j.dump(1) + "\n";
}

MetaNull read_null_json(const std::string& path, int& shard_index, int& shard_count) {
  const json j = read_json_file(path);
  MetaNull null;
  try {
    null.seed = j.at("seed").get<std::uint64_t>();
    null.total = j.at("iterations").get<std::uint64_t>();
    shard_index = 0;
    shard_count = 1;
    if (j.contains("shard")) {
      shard_index = j["shard"].at("index").get<int>();
      shard_count = j["shard"].at("count").get<int>();
      null.iterations = j.at("iteration_indices").get<std::vector<std::uint64_t>>();
    } else {
      null.iterations = shard_iterations(null.total, 0, 1);
    }
    const auto stat = j.at("max_stat").get<std::vector<double>>();
    const auto size = j.at("max_cluster_size").get<std::vector<std::uint64_t>>();
    const auto mass = j.at("max_cluster_mass").get<std::vector<double>>();
    if (stat.size() != null.iterations.size() || size.size() != stat.size() ||
        mass.size() != stat.size()) {
      throw input_error(path + ": the arrays and iteration_indices differ in length");
    }
    for (std::size_t n = 0; n < stat.size(); ++n)
      null.results.push_back({stat[n], {size[n], mass[n]}});
  } catch (const json::exception& e) {
    throw input_error(path + ": not a foci null.json (" + e.what() + ")");
  }
  return null;
}

std::vector<std::string> meta_output_names(const MetaOptions& o) {
  std::vector<std::string> names{"stat.nii.gz", "p.nii.gz", "z.nii.gz"};
  if (o.iterations > 0 && o.shard_count == 1) {
    for (const char* n : {"logp_voxel_fwe.nii.gz", "logp_cluster_size_fwe.nii.gz",
                          "logp_cluster_mass_fwe.nii.gz", "clusters.nii.gz", "clusters.tsv"}) {
      names.push_back(n);
    }
  }
  if (o.iterations > 0) names.push_back("null.json");
  if (o.shard_count == 1) names.push_back("report.md");
  names.push_back("manifest.json");
  return names;
}

void write_meta_outputs(const MetaAnalysis& a, const MetaGrid& grid,
                        const std::vector<Atlas>& atlases, const MetaOptions& o,
                        const std::optional<MetaNull>& null,
                        const std::vector<std::string>& content_hashes,
                        const std::string& mask_hash, const std::string& out_dir) {
  const fs::path out(out_dir);
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec || !fs::is_directory(out, ec))
    throw output_error("cannot create output folder '" + out_dir + "'");
  const auto& size = grid.size();
  const Affine& affine = grid.mask.voxel_to_world;
  write_float_volume(a.stat, size, affine, (out / "stat.nii.gz").string());
  write_float_volume(a.p, size, affine, (out / "p.nii.gz").string());
  write_float_volume(a.z, size, affine, (out / "z.nii.gz").string());

  const bool full = o.iterations > 0 && o.shard_count == 1 && null.has_value();
  std::vector<ClusterRow> rows;
  std::string cluster_summary;
  if (full) {
    const std::size_t n = a.y.size();
    std::vector<double> max_stat, max_size, max_mass;
    for (const auto& r : null->results) {
      max_stat.push_back(r.max_stat);
      max_size.push_back(static_cast<double>(r.clusters.size));
      max_mass.push_back(r.clusters.mass);
    }
    std::sort(max_stat.begin(), max_stat.end());
    std::sort(max_size.begin(), max_size.end());
    std::sort(max_mass.begin(), max_mass.end());

    std::vector<float> logp_voxel(n, 0.0f), logp_size(n, 0.0f), logp_mass(n, 0.0f);
    for (std::size_t v = 0; v < n; ++v) {
      if (grid.mask.labels[v] == 0) continue;
      logp_voxel[v] = static_cast<float>(-std::log10(share_at_least(max_stat, a.stat[v])));
    }
    const MapClusters clusters = map_clusters(a.model, grid, a.y, a.null, a.threshold);
    rows.resize(clusters.size.size());
    std::vector<double> weight_sum(rows.size(), 0.0);
    std::vector<Vec3> weighted(rows.size());
    for (std::size_t c = 0; c < rows.size(); ++c) {
      rows[c].map_label = static_cast<std::int32_t>(c + 1);
      rows[c].size = clusters.size[c];
      rows[c].mass = clusters.mass[c];
      rows[c].p_size = share_at_least(max_size, static_cast<double>(clusters.size[c]));
      rows[c].p_mass = share_at_least(max_mass, clusters.mass[c]);
      rows[c].survives = (o.fwe_by == FweBy::size ? rows[c].p_size : rows[c].p_mass) < o.fwe_p;
    }
    const auto& s = grid.size();
    std::vector<char> has_peak(rows.size(), 0);
    for (std::size_t v = 0; v < n; ++v) {
      const std::int32_t l = clusters.label[v];
      if (l == 0) continue;
      ClusterRow& r = rows[static_cast<std::size_t>(l - 1)];
      // The peak is the cluster's largest value, the first in storage order on a tie.
      if (!has_peak[static_cast<std::size_t>(l - 1)] || a.y[v] > a.y[r.peak]) r.peak = v;
      has_peak[static_cast<std::size_t>(l - 1)] = 1;
      logp_size[v] = static_cast<float>(-std::log10(r.p_size));
      logp_mass[v] = static_cast<float>(-std::log10(r.p_mass));
      const Vec3 c =
          grid.mask.voxel_centre(static_cast<int>(v % s[0]), static_cast<int>(v / s[0] % s[1]),
                                 static_cast<int>(v / s[0] / s[1]));
      const double w = a.stat[v];
      weighted[static_cast<std::size_t>(l - 1)] =
          weighted[static_cast<std::size_t>(l - 1)] + Vec3{c.x * w, c.y * w, c.z * w};
      weight_sum[static_cast<std::size_t>(l - 1)] += w;
    }
    for (std::size_t c = 0; c < rows.size(); ++c) {
      const double w = weight_sum[c] > 0 ? weight_sum[c] : 1;
      rows[c].centre = {weighted[c].x / w, weighted[c].y / w, weighted[c].z / w};
    }
    // Largest first by the measure clusters are judged by, so the survivors come first.
    std::stable_sort(rows.begin(), rows.end(), [&](const ClusterRow& x, const ClusterRow& y) {
      const double mx = o.fwe_by == FweBy::size ? static_cast<double>(x.size) : x.mass;
      const double my = o.fwe_by == FweBy::size ? static_cast<double>(y.size) : y.mass;
      if (mx != my) return mx > my;
      return a.y[x.peak] > a.y[y.peak];
    });
    std::vector<std::int32_t> renumber(rows.size() + 1, 0);
    std::int32_t kept = 0;
    for (const auto& r : rows)
      if (r.survives) renumber[static_cast<std::size_t>(r.map_label)] = ++kept;
    LabelVolume labels;
    labels.size = size;
    set_voxel_to_world(labels, affine);
    labels.labels.assign(n, 0);
    for (std::size_t v = 0; v < n; ++v) {
      if (clusters.label[v] != 0)
        labels.labels[v] = renumber[static_cast<std::size_t>(clusters.label[v])];
    }

    // Each experiment's share of a cluster: its part of the cluster's summed y (the scale on
    // which experiments add up).
    std::vector<std::map<std::string, double>> experiment_share(rows.size());
    std::vector<std::size_t> row_of(rows.size() + 1, 0);
    for (std::size_t c = 0; c < rows.size(); ++c)
      row_of[static_cast<std::size_t>(rows[c].map_label)] = c;
    StatWorkspace workspace(a.model);
    for (std::size_t e = 0; e < a.model.experiment_count(); ++e) {
      if (rows.empty()) break;
      const auto ye = workspace.experiment_y_map(e, a.model.foci[e]);
      for (std::size_t v = 0; v < n; ++v) {
        if (clusters.label[v] == 0 || ye[v] == 0) continue;
        experiment_share[row_of[static_cast<std::size_t>(clusters.label[v])]]
                        [a.experiments.experiments[e].id] += ye[v];
      }
    }

    std::ostringstream tsv;
    tsv << "cluster\tsurvives\tvoxels\tmm3\tpeak_x\tpeak_y\tpeak_z\tpeak_stat\tpeak_zscore\tcentre_"
           "x"
           "\tcentre_y\tcentre_z\tp_fwe_size\tp_fwe_mass";
    for (const auto& atlas : atlases)
      tsv << '\t' << atlas.name() << "_peak\t" << atlas.name() << "_shares";
    tsv << "\texperiments\n";
    for (std::size_t c = 0; c < rows.size(); ++c) {
      const ClusterRow& r = rows[c];
      const int pi = static_cast<int>(r.peak % s[0]), pj = static_cast<int>(r.peak / s[0] % s[1]),
                pk = static_cast<int>(r.peak / s[0] / s[1]);
      const Vec3 peak = grid.mask.voxel_centre(pi, pj, pk);
      tsv << (c + 1) << '\t' << (r.survives ? "yes" : "no") << '\t' << r.size << '\t'
          << format_mm(static_cast<double>(r.size) * grid.mask.voxel_volume_mm3()) << '\t'
          << format_mm(peak.x) << '\t' << format_mm(peak.y) << '\t' << format_mm(peak.z) << '\t'
          << number(a.stat[r.peak]) << '\t' << number(a.z[r.peak], 4) << '\t'
          << format_mm(r.centre.x) << '\t' << format_mm(r.centre.y) << '\t' << format_mm(r.centre.z)
          << '\t' << number(r.p_size, 4) << '\t' << number(r.p_mass, 4);
      for (const auto& atlas : atlases) {
        const auto hit = atlas.lookup(peak);
        std::map<std::string, double> counts;
        for (std::size_t v = 0; v < n; ++v) {
          if (clusters.label[v] != r.map_label) continue;
          const Vec3 centre =
              grid.mask.voxel_centre(static_cast<int>(v % s[0]), static_cast<int>(v / s[0] % s[1]),
                                     static_cast<int>(v / s[0] / s[1]));
          const std::string name = atlas.label_name(atlas.lookup(centre).label);
          counts[name.empty() ? "(none)" : name] += 1;
        }
        const std::string peak_name = atlas.label_name(hit.label);
        tsv << '\t' << tsv_cell(peak_name.empty() ? "(none)" : peak_name) << '\t'
            << tsv_cell(shares_text(counts));
      }
      tsv << '\t' << tsv_cell(shares_text(experiment_share[c])) << '\n';
    }
    std::size_t surviving = 0;
    for (const auto& r : rows) surviving += r.survives;
    cluster_summary = std::to_string(rows.size()) + " clusters at the cluster-forming threshold, " +
                      std::to_string(surviving) + " surviving FWE p < " + number(o.fwe_p) +
                      " by cluster " + fwe_by_name(o.fwe_by) + ".";
    write_float_volume(logp_voxel, size, affine, (out / "logp_voxel_fwe.nii.gz").string());
    write_float_volume(logp_size, size, affine, (out / "logp_cluster_size_fwe.nii.gz").string());
    write_float_volume(logp_mass, size, affine, (out / "logp_cluster_mass_fwe.nii.gz").string());
    write_label_volume(labels, (out / "clusters.nii.gz").string());
    write_text(out, "clusters.tsv", tsv.str());
  }
  if (o.iterations > 0 && null) write_text(out, "null.json", null_json(*null, o));

  const auto outside_mask = a.experiments.outside_mask();
  if (o.shard_count == 1) {
    std::ostringstream md;
    md << "# " << (o.method == MetaMethod::ale ? "ALE" : "MKDA") << " meta-analysis\n\n";
    md << "## Methods\n\n" << methods_paragraph(a, grid, o) << "\n\n";
    md << "## Experiments\n\n| experiment | N | N from | foci | outside the mask "
          "|\n|---|---|---|---|---|\n";
    for (const auto& e : a.experiments.experiments) {
      std::size_t outside = 0;
      for (const auto& f : e.foci) outside += !f.in_mask;
      md << "| " << e.id << " | " << (e.sample_size ? number(*e.sample_size) : "-") << " | "
         << (e.sample_size_source.empty() ? "-" : e.sample_size_source) << " | " << e.foci.size()
         << " | " << outside << " |\n";
    }
    md << "\n## Foci outside the mask (kept: their kernels reach mask voxels)\n\n";
    if (outside_mask.empty()) md << "None.\n";
    for (const auto* f : outside_mask) {
      md << "- " << f->place << " (" << f->experiment << "): MNI " << format_mm(f->mni.x) << ", "
         << format_mm(f->mni.y) << ", " << format_mm(f->mni.z) << "\n";
    }
    md << "\n## Foci outside the grid (left out)\n\n";
    if (a.experiments.outside_grid.empty()) md << "None.\n";
    for (const auto& f : a.experiments.outside_grid) {
      md << "- " << f.place << " (" << f.experiment << "): MNI " << format_mm(f.mni.x) << ", "
         << format_mm(f.mni.y) << ", " << format_mm(f.mni.z) << "\n";
    }
    float max_stat = 0;
    for (const float v : a.stat) max_stat = std::max(max_stat, v);
    md << "\n## Results\n\nMaximum " << stat_name(o.method) << ": " << number(max_stat)
       << ". Findings without a reported coordinate left out: "
       << a.experiments.findings_without_coordinate << ".";
    if (o.iterations > 0) {
      md << " Cluster-forming threshold: p <= " << number(o.cluster_p) << " ("
         << stat_name(o.method) << " >= " << number(a.threshold.stat)
         << (a.threshold.reachable ? "" : "; no value of the null reaches it") << "). "
         << cluster_summary;
    }
    md << "\n";
    write_text(out, "report.md", md.str());
  }

  json manifest = {{"foci_meta", 1}, {"options", options_json(o, content_hashes, mask_hash)}};
  if (o.shard_count > 1) {
    manifest["shard"] = {{"index", o.shard_index}, {"count", o.shard_count}};
  }
  json grid_json = {
      {"size", size}, {"voxel_to_world", json::array()}, {"mask_voxels", grid.mask_voxels}};
  for (const auto& row : affine.m) grid_json["voxel_to_world"].push_back(row);
  manifest["grid"] = grid_json;
  manifest["experiments"] = a.experiments.experiments.size();
  manifest["foci"] = a.experiments.focus_count();
  manifest["foci_outside_mask"] = outside_mask.size();
  manifest["foci_outside_grid"] = a.experiments.outside_grid.size();
  manifest["outputs"] = meta_output_names(o);
  manifest["software"] = {{"foci", FOCI_VERSION}};
  write_text(out, "manifest.json", manifest.dump(2) + "\n");
}

MetaOptions read_meta_manifest(const std::string& path, std::vector<std::string>& hashes,
                               std::string& mask_hash) {
  const json m = read_json_file(path);
  MetaOptions o;
  try {
    const json& j = m.at("options");
    o.method = j.at("method") == "ale" ? MetaMethod::ale : MetaMethod::mkda;
    hashes.clear();
    for (const auto& input : j.at("inputs")) {
      o.inputs.push_back(input.at("path").get<std::string>());
      hashes.push_back(input.at("content_hash").get<std::string>());
    }
    o.filters = j.at("filters").get<std::vector<std::string>>();
    if (j.at("mask").contains("path")) {
      o.mask = j["mask"]["path"].get<std::string>();
      mask_hash = j["mask"].at("content_hash").get<std::string>();
    }
    o.experiments.voxel_rule =
        j.at("voxel_rule") == "floor" ? VoxelRule::floor : VoxelRule::nearest;
    o.experiments.group_by = j.at("group_by") == "study" ? GroupBy::study : GroupBy::contrast;
    if (!j.at("sample_size").is_null())
      o.experiments.default_sample_size = j["sample_size"].get<double>();
    const auto transform = parse_talairach_transform(j.at("tal_transform").get<std::string>());
    if (!transform) throw input_error(path + ": unknown tal_transform");
    o.experiments.transform = *transform;
    o.iterations = j.at("iterations").get<std::uint64_t>();
    o.cluster_p = j.at("cluster_p").get<double>();
    o.fwe_p = j.at("fwe_p").get<double>();
    o.fwe_by = j.at("fwe_by") == "mass" ? FweBy::mass : FweBy::size;
    o.seed = j.at("seed").get<std::uint64_t>();
    o.atlases = j.at("atlases").get<std::vector<std::string>>();
    if (j.contains("radius_mm")) o.radius_mm = j["radius_mm"].get<double>();
    if (m.contains("shard")) {
      o.shard_index = m["shard"].at("index").get<int>();
      o.shard_count = m["shard"].at("count").get<int>();
    }
  } catch (const json::exception& e) {
    throw input_error(path + ": not a foci meta manifest (" + e.what() + ")");
  }
  return o;
}

std::string file_hash(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw input_error("cannot read '" + path + "'");
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return content_hash(bytes.str());
}

}  // namespace foci
