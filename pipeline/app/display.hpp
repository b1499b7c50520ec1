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
  /// Starts Xvfb with one screen of width x height pixels and, unless `wait` is false, waits
  /// until it takes clients. Throws Error (usage) when Xvfb is missing or cannot start.
  PrivateXServer(int width, int height, bool wait = true);
  ~PrivateXServer();
  PrivateXServer(const PrivateXServer&) = delete;
  PrivateXServer& operator=(const PrivateXServer&) = delete;
  /// The display name, ":N", once the server takes clients (waited for here if need be).
  const std::string& display();

 private:
  int pid_ = -1;
  int ready_fd_ = -1;  ///< where Xvfb writes its display number; -1 once read
  std::string display_;
};

/// A display for VTK: the current $DISPLAY, or a PrivateXServer put into $DISPLAY for as
/// long as this object lives. Throws Error (usage) when there is neither.
class HeadlessDisplay {
 public:
  /// With `when` later, a private server is started but neither waited for nor put into
  /// $DISPLAY until wait(): its start-up (0.1-0.3 s) overlaps whatever comes between, such
  /// as reading a figure's inputs.
  enum class Ready { now, later };
  explicit HeadlessDisplay(std::ostream* log, Ready when = Ready::now);
  void wait();
  ~HeadlessDisplay();
  HeadlessDisplay(const HeadlessDisplay&) = delete;
  HeadlessDisplay& operator=(const HeadlessDisplay&) = delete;
  bool started_xvfb() const { return server_ != nullptr; }

 private:
  std::unique_ptr<PrivateXServer> server_;
  std::ostream* log_ = nullptr;
  bool waited_ = false;
};

/// Whether $DISPLAY names a display (a window can open).
bool have_display();

}  // namespace foci
