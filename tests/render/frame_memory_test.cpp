// FrameMemory: the memory of a window's buffers is in memory before they are made, so the
// first drawing does not stop to fault each page in.
#include "render/frame_memory.hpp"

#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <thread>
#include <vector>

namespace foci {
namespace {

constexpr std::size_t kBlock = std::size_t{64} << 20;

/// Whether every whole page of [p, p + bytes) is in memory.
bool resident(const void* p, std::size_t bytes) {
  const auto page = static_cast<std::uintptr_t>(sysconf(_SC_PAGESIZE));
  const auto from = (reinterpret_cast<std::uintptr_t>(p) + page - 1) / page * page;
  const auto to = (reinterpret_cast<std::uintptr_t>(p) + bytes) / page * page;
  std::vector<unsigned char> pages((to - from) / page);
  if (mincore(reinterpret_cast<void*>(from), to - from, pages.data()) != 0) return false;
  for (unsigned char r : pages) {
    if (!(r & 1)) return false;
  }
  return true;
}

TEST(FrameMemory, FaultsItsBlockInOnAThreadOfItsOwn) {
  FrameMemory memory(kBlock);
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!memory.faulted_in() && std::chrono::steady_clock::now() < give_up) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  EXPECT_TRUE(memory.faulted_in());
}

TEST(FrameMemory, AFrameBufferTakenAfterReleaseIsAlreadyInMemory) {
  FrameMemory memory(kBlock);
  memory.release();
  EXPECT_FALSE(memory.faulted_in()) << "released";
  // A window-size buffer, as VTK and llvmpipe take one: from the faulted-in block, not
  // fresh pages mapped for it.
  void* buffer = std::malloc(kBlock / 2);
  ASSERT_NE(buffer, nullptr);
  EXPECT_TRUE(resident(buffer, kBlock / 2));
  std::free(buffer);
}

}  // namespace
}  // namespace foci
