#include "meta/montecarlo.hpp"

#include <poll.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>

#include "core/error.hpp"

namespace foci {

namespace {

std::uint64_t splitmix64(std::uint64_t& state) {
  std::uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

// GCC and Clang's 128-bit integer, for Lemire's multiply (__extension__: not ISO C++).
__extension__ typedef unsigned __int128 Wide;

std::uint64_t rotl(std::uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

using Clock = std::chrono::steady_clock;

std::string clock_text(double seconds) {
  const int s = static_cast<int>(seconds + 0.5);
  char out[32];
  std::snprintf(out, sizeof out, "%02d:%02d", s / 60, s % 60);
  return out;
}

/// A bar rewritten in place, at most five times a second, only on a terminal.
class Progress {
 public:
  Progress(std::ostream* log, std::size_t total)
      : log_(log && isatty(STDERR_FILENO) ? log : nullptr), total_(total), start_(Clock::now()) {}
  void advance(std::size_t done) {
    if (!log_) return;
    const auto now = Clock::now();
    if (done < total_ && now - last_ < std::chrono::milliseconds(200)) return;
    last_ = now;
    const double elapsed = std::chrono::duration<double>(now - start_).count();
    const double left = done ? elapsed / done * (total_ - done) : 0;
    const int width = 30;
    const int filled = static_cast<int>(width * done / std::max<std::size_t>(1, total_));
    *log_ << "\r[" << std::string(filled, '#') << std::string(width - filled, '.') << "] " << done
          << "/" << total_ << " iterations, " << clock_text(elapsed) << " elapsed, ~"
          << clock_text(left) << " left " << (done == total_ ? "\n" : "") << std::flush;
  }

 private:
  std::ostream* log_;
  std::size_t total_;
  Clock::time_point start_, last_{};
};

/// What a worker sends per iteration: where it goes in the results, and the result.
struct Record {
  std::uint64_t slot;
  double max_stat;
  std::uint64_t size;
  double mass;
};

}  // namespace

IterationRandom::IterationRandom(std::uint64_t seed, std::uint64_t iteration) {
  // Two rounds of SplitMix64 mix the seed and the iteration so that neighbouring seeds and
  // iterations give unrelated streams.
  std::uint64_t state = seed;
  state = splitmix64(state) ^ (iteration * 0xD1B54A32D192ED03ULL);
  for (auto& s : s_) s = splitmix64(state);
}

std::uint64_t IterationRandom::next() {
  const std::uint64_t result = rotl(s_[1] * 5, 7) * 9;
  const std::uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = rotl(s_[3], 45);
  return result;
}

std::uint64_t IterationRandom::below(std::uint64_t n) {
  Wide m = static_cast<Wide>(next()) * n;
  std::uint64_t low = static_cast<std::uint64_t>(m);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      m = static_cast<Wide>(next()) * n;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

std::vector<std::vector<std::uint32_t>> random_positions(const MetaModel& model, std::uint64_t seed,
                                                         std::uint64_t iteration) {
  IterationRandom random(seed, iteration);
  std::vector<std::vector<std::uint32_t>> positions(model.experiment_count());
  const std::uint64_t n = model.mask_voxels.size();
  for (std::size_t e = 0; e < model.experiment_count(); ++e) {
    positions[e].resize(model.foci[e].size());
    for (auto& p : positions[e]) p = model.mask_voxels[random.below(n)];
  }
  return positions;
}

std::vector<IterationResult> run_monte_carlo(const MetaModel& model, const AnalyticNull& null,
                                             const ClusterThreshold& threshold,
                                             const MonteCarloRequest& request) {
  const std::size_t total = request.iterations.size();
  std::vector<IterationResult> results(total);
  Progress progress(request.progress, total);
  const int workers = static_cast<int>(std::min<std::size_t>(std::max(1, request.jobs), total));
  if (workers <= 1) {
    StatWorkspace workspace(model);
    for (std::size_t n = 0; n < total; ++n) {
      results[n] = workspace.summarise(random_positions(model, request.seed, request.iterations[n]),
                                       null, threshold);
      progress.advance(n + 1);
    }
    return results;
  }

  // Workers take every workers-th iteration, so each finishes at about the same time, and
  // send one fixed-size record per iteration down a pipe.
  const pid_t parent = getpid();
  std::vector<pid_t> pids;
  std::vector<int> pipes;
  for (int w = 0; w < workers; ++w) {
    int fds[2];
    if (pipe(fds) != 0) throw Error(ExitCode::internal, "cannot create a pipe for a worker");
    const pid_t pid = fork();
    if (pid == 0) {
      close(fds[0]);
      prctl(PR_SET_PDEATHSIG, SIGKILL);
      if (getppid() != parent) _exit(1);
      StatWorkspace workspace(model);
      for (std::size_t n = static_cast<std::size_t>(w); n < total;
           n += static_cast<std::size_t>(workers)) {
        const IterationResult r = workspace.summarise(
            random_positions(model, request.seed, request.iterations[n]), null, threshold);
        const Record record{n, r.max_stat, r.clusters.size, r.clusters.mass};
        if (write(fds[1], &record, sizeof record) != static_cast<ssize_t>(sizeof record)) _exit(1);
      }
      close(fds[1]);
      _exit(0);
    }
    close(fds[1]);
    if (pid < 0) throw Error(ExitCode::internal, "cannot start a worker process");
    pids.push_back(pid);
    pipes.push_back(fds[0]);
  }
  std::vector<std::string> buffers(pipes.size());
  std::size_t received = 0, open = pipes.size();
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
      while (buffers[w].size() >= sizeof(Record)) {
        Record record;
        std::memcpy(&record, buffers[w].data(), sizeof record);
        buffers[w].erase(0, sizeof record);
        if (record.slot >= total) continue;
        results[record.slot] = {record.max_stat, {record.size, record.mass}};
        ++received;
      }
      progress.advance(received);
    }
  }
  bool failed = false;
  for (const pid_t pid : pids) {
    int status = 0;
    waitpid(pid, &status, 0);
    failed = failed || !WIFEXITED(status) || WEXITSTATUS(status) != 0;
  }
  if (failed || received != total) {
    throw Error(ExitCode::internal, "a Monte Carlo worker ended before finishing its iterations (" +
                                        std::to_string(received) + " of " + std::to_string(total) +
                                        " reported)");
  }
  return results;
}

}  // namespace foci
