#include "render/png_encoder.hpp"

#include <zlib.h>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <cstdint>
#include <exception>
#include <memory>
#include <system_error>
#include <thread>
#include <vector>

#include "core/error.hpp"

namespace foci {

namespace {

// zlib level 4 with the "up" filter: on a 4800x2400 six-view figure 5% smaller than libpng's
// level 4 with its per-row filter choice, in 0.4 s on one thread where libpng took 1.0 s
// (levels 1-3 were at most 0.1 s quicker and up to 17% larger).
constexpr int kDeflateLevel = 4;
constexpr std::size_t kStripBytes = std::size_t{1} << 20;  // filtered bytes per strip, about
constexpr std::size_t kWindowBytes = 32768;                // deflate's window: the dictionary
constexpr std::size_t kIdatBytes = std::size_t{1} << 20;   // the most data in one IDAT chunk
constexpr unsigned char kUpFilter = 2;

void put32(std::string& out, std::uint32_t value) {
  out.push_back(static_cast<char>(value >> 24));
  out.push_back(static_cast<char>((value >> 16) & 255));
  out.push_back(static_cast<char>((value >> 8) & 255));
  out.push_back(static_cast<char>(value & 255));
}

void put_chunk(std::string& out, const char* type, const unsigned char* data, std::size_t size) {
  put32(out, static_cast<std::uint32_t>(size));
  const std::size_t type_at = out.size();
  out.append(type, 4);
  if (size > 0) out.append(reinterpret_cast<const char*>(data), size);
  const auto* crc_from = reinterpret_cast<const Bytef*>(out.data() + type_at);
  put32(out, static_cast<std::uint32_t>(crc32_z(0, crc_from, size + 4)));
}

/// Rows [first, last) filtered by "up", each led by its filter byte.
void filter_rows(const PngPixels& pixels, int first, int last, unsigned char* out) {
  const std::size_t row_bytes = static_cast<std::size_t>(pixels.width) * pixels.channels;
  for (int y = first; y < last; ++y) {
    const unsigned char* row = pixels.first_row + pixels.row_stride * y;
    *out++ = kUpFilter;
    if (y == 0) {  // the row above the first is zeros
      std::copy(row, row + row_bytes, out);
    } else {
      const unsigned char* above = row - pixels.row_stride;
      for (std::size_t x = 0; x < row_bytes; ++x) {
        out[x] = static_cast<unsigned char>(row[x] - above[x]);
      }
    }
    out += row_bytes;
  }
}

struct Strip {
  int first_row = 0;
  int last_row = 0;
  std::string deflated;
  uLong adler = 1;
  std::size_t filtered_bytes = 0;
};

/// One thread's buffers, reused from strip to strip: fresh memory for every strip cost more in
/// page faults than the filtering.
struct StripScratch {
  std::unique_ptr<unsigned char[]> filtered, deflated;
  std::size_t filtered_size = 0, deflated_size = 0;
  void reserve(std::size_t filtered_bytes, std::size_t deflated_bytes) {
    if (filtered_bytes > filtered_size) {
      filtered.reset(new unsigned char[filtered_bytes]);
      filtered_size = filtered_bytes;
    }
    if (deflated_bytes > deflated_size) {
      deflated.reset(new unsigned char[deflated_bytes]);
      deflated_size = deflated_bytes;
    }
  }
};

/// Deflates one strip as raw deflate data that continues the strips before it: the last
/// 32 KiB of their filtered bytes are its dictionary, and it ends on a byte boundary (a sync
/// flush) unless it is the last.
void deflate_strip(const PngPixels& pixels, Strip& strip, bool last, StripScratch& scratch) {
  const std::size_t row_bytes = static_cast<std::size_t>(pixels.width) * pixels.channels + 1;
  const int dictionary_rows =
      std::min(strip.first_row, static_cast<int>((kWindowBytes + row_bytes - 1) / row_bytes));
  const int filter_from = strip.first_row - dictionary_rows;
  const std::size_t filtered_size =
      row_bytes * static_cast<std::size_t>(strip.last_row - filter_from);
  const std::size_t dictionary_end = row_bytes * static_cast<std::size_t>(dictionary_rows);
  const std::size_t dictionary_size = std::min(dictionary_end, kWindowBytes);
  strip.filtered_bytes = filtered_size - dictionary_end;

  z_stream stream{};
  if (deflateInit2(&stream, kDeflateLevel, Z_DEFLATED, -15, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw Error(ExitCode::internal, "PNG encoding: zlib could not start");
  }
  struct EndStream {
    z_stream& stream;
    ~EndStream() { deflateEnd(&stream); }
  } end_stream{stream};
  scratch.reserve(filtered_size, deflateBound(&stream, strip.filtered_bytes) + 16);
  unsigned char* filtered = scratch.filtered.get();
  filter_rows(pixels, filter_from, strip.last_row, filtered);
  if (dictionary_size > 0 &&
      deflateSetDictionary(&stream, filtered + dictionary_end - dictionary_size,
                           static_cast<uInt>(dictionary_size)) != Z_OK) {
    throw Error(ExitCode::internal, "PNG encoding: zlib refused a strip's dictionary");
  }
  const unsigned char* input = filtered + dictionary_end;
  strip.adler = adler32_z(adler32_z(0, nullptr, 0), input, strip.filtered_bytes);
  stream.next_in = const_cast<unsigned char*>(input);
  stream.avail_in = static_cast<uInt>(strip.filtered_bytes);
  stream.next_out = scratch.deflated.get();
  stream.avail_out = static_cast<uInt>(scratch.deflated_size);
  const int result = deflate(&stream, last ? Z_FINISH : Z_SYNC_FLUSH);
  if (result != (last ? Z_STREAM_END : Z_OK) || stream.avail_in != 0) {
    throw Error(ExitCode::internal, "PNG encoding: zlib could not compress a strip");
  }
  strip.deflated.assign(reinterpret_cast<const char*>(scratch.deflated.get()), stream.total_out);
}

/// The zlib stream's two header bytes for deflate with a 32 KiB window at kDeflateLevel.
std::string zlib_header() {
  const unsigned compression = 0x78;  // deflate, 32 KiB window
  const unsigned level_bits = kDeflateLevel < 2 ? 0 : kDeflateLevel < 6 ? 1 : kDeflateLevel == 6 ? 2 : 3;
  unsigned flags = level_bits << 6;
  flags += 31 - (compression * 256 + flags) % 31;
  return {static_cast<char>(compression), static_cast<char>(flags)};
}

}  // namespace

std::string png_bytes(const PngPixels& pixels, int dpi, unsigned threads) {
  if (pixels.width < 1 || pixels.height < 1 || (pixels.channels != 3 && pixels.channels != 4)) {
    throw Error(ExitCode::internal, "PNG encoding: needs RGB or RGBA pixels, at least 1x1");
  }
  const std::size_t row_bytes = static_cast<std::size_t>(pixels.width) * pixels.channels + 1;
  const int rows_per_strip = static_cast<int>(std::max<std::size_t>(1, kStripBytes / row_bytes));
  std::vector<Strip> strips;
  for (int y = 0; y < pixels.height; y += rows_per_strip) {
    Strip strip;
    strip.first_row = y;
    strip.last_row = std::min(pixels.height, y + rows_per_strip);
    strips.push_back(std::move(strip));
  }

  if (threads == 0) threads = std::max(1u, std::thread::hardware_concurrency());
  threads = std::min<unsigned>(threads, static_cast<unsigned>(strips.size()));
  std::atomic<std::size_t> next_strip{0};
  std::vector<std::exception_ptr> failures(threads);
  const auto work = [&](unsigned thread) {
    try {
      StripScratch scratch;
      for (std::size_t s = next_strip++; s < strips.size(); s = next_strip++) {
        deflate_strip(pixels, strips[s], s + 1 == strips.size(), scratch);
      }
    } catch (...) {
      failures[thread] = std::current_exception();
      next_strip = strips.size();
    }
  };
  std::vector<std::thread> helpers;
  try {
    for (unsigned t = 1; t < threads; ++t) helpers.emplace_back(work, t);
  } catch (const std::system_error&) {
    // No more threads to be had (a process limit): the ones started and this one do it all.
  }
  work(0);
  for (auto& helper : helpers) helper.join();
  for (const auto& failure : failures) {
    if (failure) std::rethrow_exception(failure);
  }

  std::string stream = zlib_header();
  uLong adler = adler32_z(0, nullptr, 0);
  for (const Strip& strip : strips) {
    stream += strip.deflated;
    adler = adler32_combine(adler, strip.adler, static_cast<z_off_t>(strip.filtered_bytes));
  }
  put32(stream, static_cast<std::uint32_t>(adler));

  std::string png("\x89PNG\r\n\x1a\n", 8);
  std::string header;
  put32(header, static_cast<std::uint32_t>(pixels.width));
  put32(header, static_cast<std::uint32_t>(pixels.height));
  header += {8, static_cast<char>(pixels.channels == 4 ? 6 : 2), 0, 0, 0};  // 8-bit, RGB(A)
  put_chunk(png, "IHDR", reinterpret_cast<const unsigned char*>(header.data()), header.size());
  std::string resolution;
  const auto per_metre = static_cast<std::uint32_t>(std::lround(dpi / 0.0254));
  put32(resolution, per_metre);
  put32(resolution, per_metre);
  resolution.push_back(1);  // unit: metre
  put_chunk(png, "pHYs", reinterpret_cast<const unsigned char*>(resolution.data()),
            resolution.size());
  for (std::size_t at = 0; at < stream.size(); at += kIdatBytes) {
    put_chunk(png, "IDAT", reinterpret_cast<const unsigned char*>(stream.data()) + at,
              std::min(kIdatBytes, stream.size() - at));
  }
  put_chunk(png, "IEND", nullptr, 0);
  return png;
}

}  // namespace foci
