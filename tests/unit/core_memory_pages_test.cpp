// Fresh pages mapped ahead of their first writes: the whole pages inside a range come in, what
// they hold stays, and a range holding no whole page is left alone.
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <vector>

#include "core/memory_pages.hpp"

namespace foci {
namespace {

struct FreshPages {
  explicit FreshPages(std::size_t count)
      : page(static_cast<std::size_t>(sysconf(_SC_PAGESIZE))), bytes(count * page) {
    void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    base = p == MAP_FAILED ? nullptr : static_cast<char*>(p);
  }
  ~FreshPages() {
    if (base) munmap(base, bytes);
  }
  /// Whether each page is in memory.
  std::vector<bool> resident() const {
    std::vector<unsigned char> in(bytes / page);
    std::vector<bool> out;
    if (mincore(base, bytes, in.data()) != 0) return out;
    for (unsigned char r : in) out.push_back(r & 1);
    return out;
  }
  std::size_t page, bytes;
  char* base = nullptr;
};

TEST(MemoryPages, MapsTheWholePagesInsideTheRangeAndKeepsWhatTheyHold) {
  FreshPages pages(6);
  ASSERT_NE(pages.base, nullptr);
  pages.base[3 * pages.page + 7] = 42;  // page 3 is in memory from here on, holding 42
  ASSERT_EQ(pages.resident(), (std::vector<bool>{false, false, false, true, false, false}));
  // From inside page 0 to inside page 5: pages 1 to 4 are whole in it.
  if (!map_pages_for_writing(pages.base + 100, 5 * pages.page)) {
    GTEST_SKIP() << "this kernel cannot map pages ahead (MADV_POPULATE_WRITE, Linux 5.14)";
  }
  EXPECT_EQ(pages.resident(), (std::vector<bool>{false, true, true, true, true, false}));
  EXPECT_EQ(pages.base[3 * pages.page + 7], 42);
  EXPECT_EQ(pages.base[2 * pages.page], 0);
}

TEST(MemoryPages, ARangeWithNoWholePageIsLeftAlone) {
  FreshPages pages(2);
  ASSERT_NE(pages.base, nullptr);
  EXPECT_FALSE(map_pages_for_writing(pages.base + 100, pages.page));
  EXPECT_FALSE(map_pages_for_writing(pages.base, 0));
  EXPECT_EQ(pages.resident(), (std::vector<bool>{false, false}));
}

}  // namespace
}  // namespace foci
