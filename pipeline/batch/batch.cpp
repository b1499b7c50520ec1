#include "batch/batch.hpp"

#include <fcntl.h>
#include <malloc.h>
#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <sstream>

#include "app/cache.hpp"
#include "app/display.hpp"
#include "app/figure_inputs.hpp"
#include "app/figure_overlays.hpp"
#include "app/web_figure.hpp"
#include "batch/batch_plan.hpp"
#include "batch/figure_spec.hpp"
#include "core/error.hpp"
#include "core/folder_lock.hpp"
#include "core/json_file.hpp"
#include "core/output_file.hpp"
#include "render/render.hpp"
#include "web/page.hpp"

#ifndef FOCI_VERSION
#define FOCI_VERSION "unknown"
#endif

namespace foci {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

using Clock = std::chrono::steady_clock;

std::string clock_text(double seconds) {
  const int s = static_cast<int>(seconds + 0.5);
  char out[16];
  std::snprintf(out, sizeof out, "%02d:%02d", s / 60, s % 60);
  return out;
}

/// Progress: a bar rewritten in place on a terminal, one line per figure otherwise.
class Progress {
 public:
  Progress(std::ostream& log, std::size_t total, bool quiet)
      : log_(log),
        total_(total),
        quiet_(quiet),
        terminal_(isatty(STDERR_FILENO)),
        start_(Clock::now()) {}
  void done(const std::string& what) {
    ++done_;
    if (quiet_) return;
    const double elapsed = std::chrono::duration<double>(Clock::now() - start_).count();
    const double left = done_ ? elapsed / done_ * (total_ - done_) : 0;
    if (terminal_) {
      const int width = 30,
                filled = static_cast<int>(width * done_ / std::max<std::size_t>(1, total_));
      log_ << "\r[" << std::string(filled, '#') << std::string(width - filled, '.') << "] " << done_
           << "/" << total_ << " figures, " << clock_text(elapsed) << " elapsed, ~"
           << clock_text(left) << " left " << (done_ == total_ ? "\n" : "") << std::flush;
    } else {
      log_ << "foci: [" << done_ << "/" << total_ << "] " << what << " (" << clock_text(elapsed)
           << " elapsed, ~" << clock_text(left) << " left)\n";
    }
  }

 private:
  std::ostream& log_;
  std::size_t total_, done_ = 0;
  bool quiet_, terminal_;
  Clock::time_point start_;
};

/// The figure of a spec entry; its overlays point into `maps`, which must outlive it.
Figure figure_for(const FigureSpec& spec, const FigureInputs& inputs, std::vector<OverlayMap>& maps,
                  std::vector<std::string>& warnings) {
  Figure figure = empty_figure(spec.options, spec.title);
  maps = load_overlays(spec.options.overlay, spec.panels);
  warnings = add_panels(figure, inputs, spec.panels, spec.options.scene,
                        scene_overlays(maps, spec.options.overlay));
  return figure;
}

/// What became of one figure: written (perhaps with warnings, such as a panel whose filter
/// matches nothing), or not, with the error.
struct ItemResult {
  bool written = false;
  std::vector<std::string> warnings;
  std::string error;
  double seconds = 0;
};

json to_json(const ItemResult& r) {
  return {
      {"written", r.written}, {"warnings", r.warnings}, {"error", r.error}, {"seconds", r.seconds}};
}

ItemResult item_result_of(const json& j) {
  ItemResult r;
  r.written = j.at("written").get<bool>();
  r.warnings = j.at("warnings").get<std::vector<std::string>>();
  r.error = j.at("error").get<std::string>();
  r.seconds = j.at("seconds").get<double>();
  return r;
}

ItemResult render_item(const PlannedFigure& item, const SpecFile& spec, const FigureInputs& inputs,
                       std::ostream& log, bool verbose) {
  const auto start = Clock::now();
  ItemResult result;
  try {
    std::vector<OverlayMap> maps;
    const FigureSpec& figure_spec = spec.figures[item.figure];
    const Figure figure = figure_for(figure_spec, inputs, maps, result.warnings);
    const RenderSettings settings = render_settings(inputs, verbose ? &log : nullptr, verbose);
    for (const auto& output : item.outputs) {
      if (fs::path(output).extension() == ".html") {
        write_web_page(figure, inputs, figure_spec.options.scene, settings, read_web_assets(),
                       output, true);
      } else {
        render_figure(figure, settings, output);
      }
    }
    result.written = true;
  } catch (const std::exception& e) {
    result.error = std::string("not rendered: ") + e.what();
  }
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

/// Every figure any manifest in `out` records, name -> input hash; and the figures of this
/// run's own manifest, which it keeps and adds to. A damaged manifest only means its figures
/// do not count as up to date.
std::map<std::string, std::string> read_recorded_hashes(const fs::path& out,
                                                        const std::string& own_manifest,
                                                        json& own_figures) {
  std::map<std::string, std::string> recorded;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(out, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("manifest", 0) != 0 || entry.path().extension() != ".json") continue;
    try {
      const json m = read_json_file(entry.path().string());
      if (!m.contains("figures") || !m["figures"].is_object()) continue;
      for (const auto& [figure, record] : m["figures"].items()) {
        if (record.is_object()) recorded[figure] = record.value("input_hash", "");
      }
      if (name == own_manifest) own_figures = m["figures"];
    } catch (const std::exception&) {
    }
  }
  return recorded;
}

/// Runs render(i) for every job in worker processes, job lists as dealt; calls finish(i,
/// result) in this process as each result arrives, and returns the jobs whose worker ended
/// before reporting them. Each worker reports one JSON line per figure on its pipe and dies
/// with this process.
std::vector<std::size_t> run_in_workers(
    const std::vector<std::vector<std::size_t>>& assigned,
    const std::function<ItemResult(std::size_t)>& render,
    const std::function<void(std::size_t, const ItemResult&)>& finish) {
  const pid_t parent = getpid();
  std::vector<pid_t> pids;
  std::vector<int> pipes;
  for (const auto& jobs : assigned) {
    int fds[2];
    if (pipe(fds) != 0) throw Error(ExitCode::internal, "cannot create a pipe for a worker");
    const pid_t pid = fork();
    if (pid == 0) {
      close(fds[0]);
      // A worker must not outlive the run that started it.
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != parent) _exit(1);
      for (const std::size_t i : jobs) {
        const std::string line = json{{"index", i}, {"result", to_json(render(i))}}.dump() + "\n";
        if (write(fds[1], line.data(), line.size()) < 0) break;
      }
      close(fds[1]);
      _exit(0);
    }
    close(fds[1]);
    if (pid < 0) throw Error(ExitCode::internal, "cannot start a worker process");
    pids.push_back(pid);
    pipes.push_back(fds[0]);
  }
  std::set<std::size_t> unreported;
  for (const auto& jobs : assigned) unreported.insert(jobs.begin(), jobs.end());
  std::vector<std::string> buffers(pipes.size());
  std::size_t open = pipes.size();
  while (open > 0) {
    std::vector<pollfd> polls;
    std::vector<std::size_t> which;
    for (std::size_t w = 0; w < pipes.size(); ++w) {
      if (pipes[w] < 0) continue;
      polls.push_back({pipes[w], POLLIN, 0});
      which.push_back(w);
    }
    if (poll(polls.data(), polls.size(), -1) < 0) continue;
    for (std::size_t k = 0; k < polls.size(); ++k) {
      if (!(polls[k].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const std::size_t w = which[k];
      char chunk[4096];
      const ssize_t n = read(pipes[w], chunk, sizeof chunk);
      if (n <= 0) {
        close(pipes[w]);
        pipes[w] = -1;
        --open;
        continue;
      }
      buffers[w].append(chunk, static_cast<std::size_t>(n));
      std::size_t end;
      while ((end = buffers[w].find('\n')) != std::string::npos) {
        const json report = json::parse(buffers[w].substr(0, end));
        buffers[w].erase(0, end + 1);
        const std::size_t i = report.at("index").get<std::size_t>();
        unreported.erase(i);
        finish(i, item_result_of(report.at("result")));
      }
    }
  }
  for (const pid_t pid : pids) {
    int status = 0;
    waitpid(pid, &status, 0);
  }
  return {unreported.begin(), unreported.end()};
}

}  // namespace

BatchOutcome run_batch(const BatchRequest& request, std::ostream& log) {
  if (request.shard_count < 1 || request.shard_index < 0 ||
      request.shard_index >= request.shard_count) {
    throw usage_error("--shard must be I/N with 0 <= I < N");
  }
  if (request.jobs < 1) throw usage_error("--jobs must be at least 1");
  // A batch draws figure after figure in one process. glibc raises its threshold for mapping
  // a block on its own to the size of each large block freed (up to 32 MB), so the next
  // figure's frame buffers, pixels and PNG come from the heap instead, which keeps what they
  // leave: a MECT batch's worker grew by tens of MB a figure. A fixed threshold keeps large
  // blocks mapped on their own and handed back to the system when freed.
  mallopt(M_MMAP_THRESHOLD, 256 * 1024);
  std::vector<SpecFile> specs;
  for (const auto& path : request.specs) specs.push_back(read_spec_file(path));

  const fs::path out(request.out);
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec || !fs::is_directory(out, ec)) {
    throw output_error("cannot create output folder '" + request.out + "'");
  }
  const std::string own_manifest = manifest_name(request.shard_index, request.shard_count);
  // One run at a time per folder, or two runs' figures end up credited to each other in one
  // manifest. The shards of one run are the exception (a Slurm array writes one folder from
  // many tasks): they share the folder's lock, so no whole run can start beside them, and
  // each holds its manifest's own lock, so one shard cannot run twice at once.
  const bool sharded = request.shard_count > 1;
  const FolderLock folder_lock(request.out, kFolderLockName,
                               sharded ? FolderLock::Mode::shared : FolderLock::Mode::exclusive);
  std::unique_ptr<FolderLock> shard_lock;
  if (sharded) {
    shard_lock = std::make_unique<FolderLock>(
        request.out, "." + fs::path(own_manifest).stem().string() + ".lock",
        FolderLock::Mode::exclusive);
  }
  json manifest = {{"foci_batch", 1}, {"figures", json::object()}};
  const auto recorded = read_recorded_hashes(out, own_manifest, manifest["figures"]);

  std::map<std::string, std::string> content_keys;
  const auto content_key = [&](const std::string& path) {
    auto it = content_keys.find(path);
    if (it == content_keys.end()) {
      std::string key;
      try {
        key = file_content_key(path);
      } catch (const Error&) {
        key = "missing";
      }
      it = content_keys.emplace(path, key).first;
    }
    return it->second;
  };
  PlanOptions plan_options;
  plan_options.out = request.out;
  plan_options.shard_index = request.shard_index;
  plan_options.shard_count = request.shard_count;
  plan_options.resume = request.resume;
  plan_options.force = request.force;
  plan_options.version = FOCI_VERSION;
  plan_options.page_assets = web_asset_paths();
  const BatchPlan plan = plan_batch(
      specs, plan_options, recorded,
      [](const std::string& path) {
        std::error_code e;
        return fs::exists(path, e);
      },
      content_key);
  BatchOutcome outcome;
  outcome.skipped = plan.up_to_date;
  outcome.failures = plan.failures;

  // Inputs are read and mapped once per spec, and every mesh is built, before any worker
  // starts: workers inherit them and find the meshes in the cache.
  std::map<std::size_t, std::unique_ptr<FigureInputs>> inputs;
  std::vector<PlannedFigure> ready;
  for (const auto& item : plan.to_draw) {
    if (!inputs.count(item.spec)) {
      try {
        inputs[item.spec] = load_figure_inputs(specs[item.spec].findings, specs[item.spec].atlases);
      } catch (const Error& e) {
        inputs[item.spec] = nullptr;
        outcome.failures.push_back(item.name + ": cannot read the spec's inputs: " + e.what());
        continue;
      }
    }
    if (!inputs[item.spec]) {
      outcome.failures.push_back(item.name + ": the spec's inputs could not be read");
      continue;
    }
    std::vector<std::string> warnings;
    std::vector<OverlayMap> maps;
    try {
      const Figure figure =
          figure_for(specs[item.spec].figures[item.figure], *inputs[item.spec], maps, warnings);
      prepare_meshes(figure, render_settings(*inputs[item.spec], &log, false));
    } catch (const Error& e) {
      outcome.failures.push_back(item.name + ": " + e.what());
      continue;
    }
    ready.push_back(item);
  }
  // The findings are mapped and every mesh is in the cache: the figures are drawn from the
  // meshes and the atlases' tables, so the atlases' and the brain's voxels are freed before
  // any worker is forked (a mesh that leaves the cache meanwhile reads its volume again),
  // and the memory freed, here and while the meshes were built, is handed back to the
  // system: a forked worker holds whatever this process holds.
  for (auto& entry : inputs) {
    if (!entry.second) continue;
    entry.second->release_atlas_voxels();
    entry.second->release_brain_voxels();
  }
  malloc_trim(0);

  manifest["software"] = {{"foci", FOCI_VERSION}, {"renderer", renderer_version()}};
  const std::string manifest_path = (out / own_manifest).string();
  // The manifest is rewritten as each figure finishes, so a run that is killed still
  // records what it drew and --resume redraws only the rest.
  const auto record = [&](const PlannedFigure& item, double seconds) {
    json inputs_json = json::array();
    for (const auto& path : specs[item.spec].findings) {
      inputs_json.push_back({{"path", path}, {"content_hash", content_key(path)}});
    }
    manifest["figures"][item.name] = {{"output", item.output},
                                      {"outputs", item.outputs},
                                      {"spec", specs[item.spec].path},
                                      {"input_hash", item.input_hash},
                                      {"inputs", inputs_json},
                                      {"atlases", specs[item.spec].atlases},
                                      {"seconds", std::round(seconds * 100) / 100}};
    write_file_atomically(manifest_path, manifest.dump(2) + "\n", true);
  };

  Progress progress(log, ready.size(), request.quiet);
  std::unique_ptr<HeadlessDisplay> display;
  if (!ready.empty()) display = std::make_unique<HeadlessDisplay>(request.verbose ? &log : nullptr);
  const auto finish = [&](std::size_t i, const ItemResult& result) {
    const PlannedFigure& item = ready[i];
    if (result.written) {
      outcome.written.insert(outcome.written.end(), item.outputs.begin(), item.outputs.end());
      record(item, result.seconds);
    } else {
      outcome.failures.push_back(item.name + ": " + result.error);
    }
    for (const auto& w : result.warnings) outcome.warnings.push_back(item.name + ": " + w);
    progress.done(item.output);
  };
  const auto render = [&](std::size_t i, std::ostream& to, bool verbose) {
    return render_item(ready[i], specs[ready[i].spec], *inputs[ready[i].spec], to, verbose);
  };

  const int workers = std::min<int>(request.jobs, static_cast<int>(ready.size()));
  if (workers <= 1) {
    for (std::size_t i = 0; i < ready.size(); ++i) finish(i, render(i, log, request.verbose));
  } else {
    std::vector<double> costs;
    for (const auto& item : ready)
      costs.push_back(figure_cost(specs[item.spec].figures[item.figure]));
    const auto lost = run_in_workers(
        deal_largest_first(costs, workers),
        [&](std::size_t i) {
          std::ostringstream quiet;
          return render(i, quiet, false);
        },
        finish);
    for (const std::size_t i : lost) {
      outcome.failures.push_back(ready[i].name + ": its worker ended before rendering it");
    }
  }
  write_file_atomically(manifest_path, manifest.dump(2) + "\n", true);
  return outcome;
}

}  // namespace foci
