// Work shared among the cores: every part runs once, and a failing part neither stops the
// others nor goes unreported.
#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/parallel.hpp"

namespace foci {
namespace {

TEST(PartsOnCores, EveryPartRunsOnce) {
  for (const std::size_t parts : {0u, 1u, 2u, 7u, 100u}) {
    std::vector<std::atomic<int>> runs(parts);
    for_each_part_on_cores(parts, [&](std::size_t part) { runs[part].fetch_add(1); });
    for (std::size_t part = 0; part < parts; ++part) EXPECT_EQ(runs[part].load(), 1) << part;
  }
}

TEST(PartsOnCores, TheFirstFailingPartIsReportedAfterAllHaveRun) {
  std::atomic<int> ran{0};
  try {
    for_each_part_on_cores(20, [&](std::size_t part) {
      ran.fetch_add(1);
      if (part == 5 || part == 13) throw std::runtime_error("part " + std::to_string(part));
    });
    FAIL() << "a failing part must be rethrown";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "part 5");
  }
  EXPECT_EQ(ran.load(), 20);
}

}  // namespace
}  // namespace foci
