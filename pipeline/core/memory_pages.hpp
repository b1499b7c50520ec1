#pragma once
// Fresh memory brought in before its first writes: each page of a new block otherwise costs
// a page fault at its first write, in which the kernel maps and zeroes it.
#include <cstddef>

namespace foci {

/// Has the kernel map the whole pages inside [begin, begin + bytes) for writing, in one call;
/// their contents are left as they are. False where it cannot (a kernel before 5.14) or the
/// range holds no whole page: the pages then come in at their first writes, as usual.
bool map_pages_for_writing(void* begin, std::size_t bytes);

}  // namespace foci
