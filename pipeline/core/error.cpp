#include "core/error.hpp"

namespace foci {

Error::Error(ExitCode code, std::string message) : code_(code) {
  lines_.push_back(std::move(message));
}

Error& Error::with_context(std::string line) {
  lines_.insert(lines_.begin(), std::move(line));
  return *this;
}

const char* Error::what() const noexcept {
  joined_.clear();
  for (const auto& line : lines_) {
    if (!joined_.empty()) joined_ += ": ";
    joined_ += line;
  }
  return joined_.c_str();
}

Error input_error(std::string message) { return Error(ExitCode::input, std::move(message)); }
Error usage_error(std::string message) { return Error(ExitCode::usage, std::move(message)); }
Error output_error(std::string message) { return Error(ExitCode::output, std::move(message)); }

}  // namespace foci
