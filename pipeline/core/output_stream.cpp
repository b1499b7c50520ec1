#include "core/output_stream.hpp"

#include "core/error.hpp"

namespace foci {

AtomicOutputStream::Buffer::Buffer(TemporaryFile& file) : file_(file), bytes_(1 << 16) {
  setp(bytes_.data(), bytes_.data() + bytes_.size());
}

bool AtomicOutputStream::Buffer::drain() {
  const std::size_t size = static_cast<std::size_t>(pptr() - pbase());
  setp(bytes_.data(), bytes_.data() + bytes_.size());
  if (!failure.empty()) return false;
  try {
    file_.write(std::string_view(bytes_.data(), size));
  } catch (const Error& e) {
    failure = e.lines().back();
    return false;
  }
  return true;
}

AtomicOutputStream::Buffer::int_type AtomicOutputStream::Buffer::overflow(int_type c) {
  if (!drain()) return traits_type::eof();
  if (!traits_type::eq_int_type(c, traits_type::eof())) {
    *pptr() = traits_type::to_char_type(c);
    pbump(1);
  }
  return traits_type::not_eof(c);
}

int AtomicOutputStream::Buffer::sync() { return drain() ? 0 : -1; }

AtomicOutputStream::AtomicOutputStream(const std::string& path, bool overwrite)
    : overwrite_((check_can_write(path, overwrite), overwrite)),
      file_(path),
      buffer_(file_),
      out_(&buffer_) {}

void AtomicOutputStream::commit() {
  out_.flush();
  if (!buffer_.failure.empty()) throw output_error(buffer_.failure);
  if (!out_) file_.fail("the output stream failed");
  file_.commit(overwrite_);
}

}  // namespace foci
