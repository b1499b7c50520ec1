#pragma once
// What an X server shows in a window, read back from the server (not from the program that
// drew it), for tests of what the user sees on screen.
#include <string>

namespace foci::testing {

/// Writes the window's pixels as the X server holds them to an RGB PNG at `png_path`;
/// false (and nothing written) when the display or the window cannot be read.
bool capture_x_window(const std::string& display, const std::string& window_id,
                      const std::string& png_path);

}  // namespace foci::testing
