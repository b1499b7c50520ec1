#pragma once
// X displays for VTK. Debian's VTK renders through X11 only, so on a machine without a
// display foci starts a private Xvfb. This is the one place that starts one; the tests that
// drive the `foci inspect` window use it too.
#include <memory>
#include <ostream>
#include <string>

namespace foci {

/// A private Xvfb, listening on no network port, stopped when this object goes.
class PrivateXServer {
 public:
  /// Starts Xvfb with one screen of width x height pixels and waits until it takes clients.
  /// Throws Error (usage) when Xvfb is missing or cannot start.
  PrivateXServer(int width, int height);
  ~PrivateXServer();
  PrivateXServer(const PrivateXServer&) = delete;
  PrivateXServer& operator=(const PrivateXServer&) = delete;
  /// The display name, ":N".
  const std::string& display() const { return display_; }

 private:
  int pid_ = -1;
  std::string display_;
};

/// A display for VTK: the current $DISPLAY, or a PrivateXServer put into $DISPLAY for as
/// long as this object lives. Throws Error (usage) when there is neither.
class HeadlessDisplay {
 public:
  explicit HeadlessDisplay(std::ostream* log);
  ~HeadlessDisplay();
  HeadlessDisplay(const HeadlessDisplay&) = delete;
  HeadlessDisplay& operator=(const HeadlessDisplay&) = delete;
  bool started_xvfb() const { return server_ != nullptr; }

 private:
  std::unique_ptr<PrivateXServer> server_;
};

/// Whether $DISPLAY names a display (a window can open).
bool have_display();

}  // namespace foci
