#include "render/frame_memory.hpp"

#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cstdint>
#include <cstdlib>
#include <system_error>
#include <vector>

#include "core/memory_pages.hpp"

namespace foci {

namespace {

constexpr std::size_t kChunkBytes = std::size_t{4} << 20;

std::size_t page_bytes() { return static_cast<std::size_t>(sysconf(_SC_PAGESIZE)); }

}  // namespace

FrameMemory::FrameMemory(std::size_t bytes) : chunks_(bytes / kChunkBytes) {
  if (chunks_ == 0) return;
#if defined(__GLIBC__)
  // Large blocks from the heap; a freed block stays there, not handed back, until drawn in.
  mallopt(M_MMAP_MAX, 0);
  mallopt(M_TRIM_THRESHOLD, 1 << 30);
#endif
  block_ = static_cast<char*>(std::malloc(chunks_ * kChunkBytes));
  if (!block_) {
    chunks_ = 0;
    return;
  }
  try {
    helper_ = std::thread([this] { fault_in_chunks(); });
  } catch (const std::system_error&) {
    // No thread to be had: release() faults it all in.
  }
}

void FrameMemory::fault_in_chunks() {
  const std::size_t page = page_bytes();
  for (std::size_t c; (c = next_chunk_.fetch_add(1)) < chunks_;) {
    char* begin = block_ + c * kChunkBytes;
    char* end = begin + kChunkBytes;
    // The whole pages inside the chunk in one call; the two it may share with its
    // neighbours by a write.
    if (map_pages_for_writing(begin, kChunkBytes)) {
      *begin = 0;
      *(end - 1) = 0;
      continue;
    }
    for (char* p = begin; p < end; p += page) *p = 0;
    *(end - 1) = 0;
  }
}

void FrameMemory::release() {
  if (!block_) return;
  fault_in_chunks();
  if (helper_.joinable()) helper_.join();
  std::free(block_);
  block_ = nullptr;
}

bool FrameMemory::faulted_in() const {
  if (!block_) return false;
  const std::size_t page = page_bytes();
  const auto from = (reinterpret_cast<std::uintptr_t>(block_) + page - 1) / page * page;
  const auto to = reinterpret_cast<std::uintptr_t>(block_ + chunks_ * kChunkBytes) / page * page;
  std::vector<unsigned char> resident((to - from) / page);
  if (mincore(reinterpret_cast<void*>(from), to - from, resident.data()) != 0) return false;
  for (unsigned char r : resident) {
    if (!(r & 1)) return false;
  }
  return true;
}

std::size_t FrameMemory::window_bytes(int width, int height) {
  return std::size_t{32} * static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
}

}  // namespace foci
