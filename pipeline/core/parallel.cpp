#include "core/parallel.hpp"

#include <algorithm>
#include <atomic>
#include <exception>
#include <system_error>
#include <thread>
#include <vector>

namespace foci {

void for_each_part_on_cores(std::size_t parts, const std::function<void(std::size_t)>& work) {
  std::vector<std::exception_ptr> failures(parts);
  std::atomic<std::size_t> next{0};
  const auto claim_parts = [&] {
    for (std::size_t part; (part = next.fetch_add(1)) < parts;) {
      try {
        work(part);
      } catch (...) {
        failures[part] = std::current_exception();
      }
    }
  };
  const std::size_t threads =
      std::min<std::size_t>(std::max(1u, std::thread::hardware_concurrency()), parts);
  std::vector<std::thread> helpers;
  try {
    while (helpers.size() + 1 < threads) helpers.emplace_back(claim_parts);
  } catch (const std::system_error&) {
    // No more threads to be had: the ones started and this one do it all.
  }
  claim_parts();
  for (auto& helper : helpers) helper.join();
  for (const auto& failure : failures) {
    if (failure) std::rethrow_exception(failure);
  }
}

}  // namespace foci
