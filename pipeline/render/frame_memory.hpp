#pragma once
// Memory for a figure's frame buffers, faulted in ahead of the first drawing.
//
// At its first Render, VTK makes seven frame buffers the window's size (44 MB each at
// 4800x2400) and llvmpipe zeroes each on the drawing thread: over a hundred thousand page
// faults, a quarter of a second of one core before anything is drawn. Faulting the pages in
// ahead, a chunk per system call on another thread while the scene is built, costs half as
// much and is mostly out of the way.
#include <atomic>
#include <cstddef>
#include <thread>

namespace foci {

class FrameMemory {
 public:
  /// Sets the C library to serve large blocks from its heap (not each mapped on its own), so
  /// that what release() frees is what the frame buffers get, and takes `bytes` from the heap,
  /// its pages faulted in by a thread of its own. The setting is for the whole process: for a
  /// process that draws one figure (`foci render`), not a batch's worker, which keeps large
  /// blocks mapped on their own so that they go back to the system.
  explicit FrameMemory(std::size_t bytes);
  /// Faults in what is left on this thread too, waits for the other thread, and frees the
  /// block into the heap, where the frame buffers are taken from. Later calls do nothing.
  void release();
  ~FrameMemory() { release(); }
  FrameMemory(const FrameMemory&) = delete;
  FrameMemory& operator=(const FrameMemory&) = delete;

  /// The bytes of the buffers VTK and the X server's window keep at a window's size: 32 a
  /// pixel (eight colour or depth buffers of four bytes).
  static std::size_t window_bytes(int width, int height);

  /// Whether the block's pages are all in memory (for tests; false once released).
  bool faulted_in() const;

 private:
  void fault_in_chunks();

  char* block_ = nullptr;
  std::size_t chunks_ = 0;
  std::atomic<std::size_t> next_chunk_{0};
  std::thread helper_;
};

}  // namespace foci
