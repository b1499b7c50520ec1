#include "batch/batch.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <memory>
#include <sstream>

#include "app/cache.hpp"
#include "app/display.hpp"
#include "app/figure_inputs.hpp"
#include "batch/figure_spec.hpp"
#include "core/error.hpp"
#include "core/hash.hpp"
#include "core/output_file.hpp"
#include "render/render.hpp"

#ifndef FOCI_VERSION
#define FOCI_VERSION "unknown"
#endif

namespace foci {

namespace fs = std::filesystem;
using json = nlohmann::json;

namespace {

struct Item {
  std::size_t spec = 0, figure = 0;
  std::string name, output, input_hash;
};

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

Figure figure_for(const FigureSpec& spec, const FigureInputs& inputs,
                  std::vector<std::string>& warnings) {
  Figure figure = empty_figure(spec.options, spec.title);
  warnings = add_panels(figure, inputs, spec.panels, spec.options.scene);
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

ItemResult render_item(const Item& item, const SpecFile& spec, const FigureInputs& inputs,
                       std::ostream& log, bool verbose) {
  const auto start = Clock::now();
  ItemResult result;
  try {
    const Figure figure = figure_for(spec.figures[item.figure], inputs, result.warnings);
    render_figure(figure, render_settings(inputs, verbose ? &log : nullptr, verbose), item.output);
    result.written = true;
  } catch (const std::exception& e) {
    result.error = std::string("not rendered: ") + e.what();
  }
  result.seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return result;
}

}  // namespace

BatchOutcome run_batch(const BatchRequest& request, std::ostream& log) {
  if (request.shard_count < 1 || request.shard_index < 0 ||
      request.shard_index >= request.shard_count) {
    throw usage_error("--shard must be I/N with 0 <= I < N");
  }
  if (request.jobs < 1) throw usage_error("--jobs must be at least 1");
  std::vector<SpecFile> specs;
  for (const auto& path : request.specs) specs.push_back(read_spec_file(path));

  BatchOutcome outcome;
  const fs::path out(request.out);
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec || !fs::is_directory(out, ec)) {
    throw output_error("cannot create output folder '" + request.out + "'");
  }
  // Shards run at the same time write a manifest each, so none overwrites another's record;
  // a run reads them all to know what is up to date.
  const std::string manifest_name =
      request.shard_count == 1 ? "manifest.json"
                               : "manifest.shard-" + std::to_string(request.shard_index) + "-of-" +
                                     std::to_string(request.shard_count) + ".json";
  json manifest = {{"foci_batch", 1}, {"figures", json::object()}};
  json known = json::object();  // every figure any manifest in DIR records
  for (const auto& entry : fs::directory_iterator(out, ec)) {
    const std::string name = entry.path().filename().string();
    if (name.rfind("manifest", 0) != 0 || entry.path().extension() != ".json") continue;
    try {
      std::ifstream in(entry.path());
      const json m = json::parse(in);
      if (!m.contains("figures") || !m["figures"].is_object()) continue;
      for (const auto& [figure, record] : m["figures"].items()) known[figure] = record;
      if (name == manifest_name) manifest["figures"] = m["figures"];
    } catch (const json::exception&) {
      // a damaged manifest only means its figures do not count as up to date
    }
  }

  // Every figure of every spec, in spec order; this shard keeps every shard_count-th.
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
  std::vector<Item> items;
  std::size_t index = 0;
  for (std::size_t s = 0; s < specs.size(); ++s) {
    for (std::size_t f = 0; f < specs[s].figures.size(); ++f, ++index) {
      if (static_cast<int>(index % request.shard_count) != request.shard_index) continue;
      const auto& figure = specs[s].figures[f];
      Item item{s, f, figure.name, (out / (figure.name + ".png")).string(), ""};
      std::string inputs = figure.canonical + "|" + FOCI_VERSION;
      for (const auto& path : specs[s].findings) inputs += "|" + path + ":" + content_key(path);
      for (const auto& atlas : specs[s].atlases) inputs += "|" + atlas;
      item.input_hash = content_hash(inputs);
      if (figure.error) {
        outcome.failures.push_back(figure.name + ": " + *figure.error);
        continue;
      }
      const bool exists = fs::exists(item.output, ec);
      const auto& recorded = known.value(figure.name, json::object());
      if (request.resume && exists && recorded.value("input_hash", "") == item.input_hash) {
        outcome.skipped.push_back(item.output);
        continue;
      }
      if (exists && !request.force && !request.resume) {
        outcome.failures.push_back(figure.name + ": '" + item.output +
                                   "' exists; use --force to overwrite or --resume to keep it");
        continue;
      }
      items.push_back(std::move(item));
    }
  }

  // Inputs are read and mapped once per spec, and every mesh is built, before any worker
  // starts: workers inherit them and find the meshes in the cache.
  std::map<std::size_t, std::unique_ptr<FigureInputs>> inputs;
  std::vector<Item> ready;
  for (auto& item : items) {
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
    const Figure figure =
        figure_for(specs[item.spec].figures[item.figure], *inputs[item.spec], warnings);
    prepare_meshes(figure, render_settings(*inputs[item.spec], nullptr, false));
    ready.push_back(item);
  }

  const auto record = [&](const Item& item, double seconds) {
    json inputs_json = json::array();
    for (const auto& path : specs[item.spec].findings) {
      inputs_json.push_back({{"path", path}, {"content_hash", content_key(path)}});
    }
    manifest["figures"][item.name] = {{"output", item.output},
                                      {"spec", specs[item.spec].path},
                                      {"input_hash", item.input_hash},
                                      {"inputs", inputs_json},
                                      {"atlases", specs[item.spec].atlases},
                                      {"seconds", std::round(seconds * 100) / 100}};
  };

  Progress progress(log, ready.size(), request.quiet);
  std::unique_ptr<HeadlessDisplay> display;
  if (!ready.empty()) display = std::make_unique<HeadlessDisplay>(request.verbose ? &log : nullptr);
  const int workers = std::min<int>(request.jobs, static_cast<int>(ready.size()));
  const auto finish = [&](const Item& item, const ItemResult& result) {
    if (result.written) {
      outcome.written.push_back(item.output);
      record(item, result.seconds);
    } else {
      outcome.failures.push_back(item.name + ": " + result.error);
    }
    for (const auto& w : result.warnings) outcome.warnings.push_back(item.name + ": " + w);
    progress.done(item.output);
  };

  if (workers <= 1) {
    for (const auto& item : ready) {
      finish(item, render_item(item, specs[item.spec], *inputs[item.spec], log, request.verbose));
    }
  } else {
    // Figures are dealt to workers largest first, each to the least loaded worker (cost:
    // pixels times views), so one large figure does not leave a worker idle. Each worker
    // reports one JSON line per figure on its pipe: {"index": I, "result": {...}}.
    std::vector<std::vector<std::size_t>> assigned(workers);
    {
      std::vector<std::pair<double, std::size_t>> costs;
      for (std::size_t i = 0; i < ready.size(); ++i) {
        const auto& f = specs[ready[i].spec].figures[ready[i].figure];
        std::size_t views = 0;
        for (const auto& p : f.panels) views += p.views.size();
        costs.emplace_back(static_cast<double>(f.options.width) * f.options.height * (1 + views),
                           i);
      }
      std::stable_sort(costs.begin(), costs.end(),
                       [](const auto& a, const auto& b) { return a.first > b.first; });
      std::vector<double> load(workers, 0);
      for (const auto& [cost, i] : costs) {
        const auto w =
            static_cast<std::size_t>(std::min_element(load.begin(), load.end()) - load.begin());
        load[w] += cost;
        assigned[w].push_back(i);
      }
    }
    std::vector<pid_t> pids;
    std::vector<int> pipes;
    for (int w = 0; w < workers; ++w) {
      int fds[2];
      if (pipe(fds) != 0) throw Error(ExitCode::internal, "cannot create a pipe for a worker");
      const pid_t pid = fork();
      if (pid == 0) {
        close(fds[0]);
        for (const std::size_t i : assigned[w]) {
          std::ostringstream quiet;
          const ItemResult result =
              render_item(ready[i], specs[ready[i].spec], *inputs[ready[i].spec], quiet, false);
          const std::string line = json{{"index", i}, {"result", to_json(result)}}.dump() + "\n";
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
    std::vector<bool> reported(ready.size(), false);
    std::vector<std::string> buffers(workers);
    std::size_t open = workers;
    while (open > 0) {
      std::vector<pollfd> polls;
      for (int w = 0; w < workers; ++w) {
        if (pipes[w] >= 0) polls.push_back({pipes[w], POLLIN, 0});
      }
      if (poll(polls.data(), polls.size(), -1) < 0) continue;
      for (int w = 0; w < workers; ++w) {
        if (pipes[w] < 0) continue;
        char chunk[4096];
        pollfd probe{pipes[w], POLLIN, 0};
        if (poll(&probe, 1, 0) <= 0) continue;
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
          const std::string line = buffers[w].substr(0, end);
          buffers[w].erase(0, end + 1);
          const json report = json::parse(line);
          const std::size_t i = report.at("index").get<std::size_t>();
          reported.at(i) = true;
          finish(ready[i], item_result_of(report.at("result")));
        }
      }
    }
    for (const pid_t pid : pids) {
      int status = 0;
      waitpid(pid, &status, 0);
    }
    for (std::size_t i = 0; i < ready.size(); ++i) {
      if (!reported[i]) {
        outcome.failures.push_back(ready[i].name + ": its worker ended before rendering it");
      }
    }
  }

  manifest["software"] = {{"foci", FOCI_VERSION}, {"renderer", renderer_version()}};
  write_file_atomically((out / manifest_name).string(), manifest.dump(2) + "\n", true);
  return outcome;
}

}  // namespace foci
