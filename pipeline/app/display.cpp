#include "app/display.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>

#include "core/error.hpp"

namespace foci {

PrivateXServer::PrivateXServer(int width, int height, bool wait) {
  int fds[2];
  if (pipe(fds) != 0) throw usage_error("no display, and no pipe to start Xvfb");
  const std::string screen = std::to_string(width) + "x" + std::to_string(height) + "x24";
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    // The server dies with foci, however foci ends (SIGKILL, a crash), not only through the
    // destructor below. The signal survives exec; a parent that died before prctl took
    // effect is caught by the check after it.
    prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (getppid() != parent) _exit(1);
    // Its own process group: a signal to foci's group (kill -9 of a batch, Ctrl-C) reaches
    // foci, and the server then ends by the signal above, cleanly. Killed outright, it would
    // leave its display's lock file behind, and X servers starting at the same moment race
    // to take that stale lock, two of them sometimes taking one display number.
    setpgid(0, 0);
    // Xvfb writes the display number it chose to this descriptor once it takes clients.
    const std::string fd = std::to_string(fds[1]);
    const int null = open("/dev/null", O_WRONLY);
    if (null >= 0) {
      dup2(null, 1);
      dup2(null, 2);
    }
    // -noreset: an X server resets when its last client leaves, closing every connection
    // it holds, and a batch worker connecting just then found its connection closed ("bad X
    // server connection") while the other worker's had just ended.
    execlp("Xvfb", "Xvfb", "-displayfd", fd.c_str(), "-screen", "0", screen.c_str(), "-nolisten",
           "tcp", "-noreset", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  if (pid < 0) {
    close(fds[0]);
    throw usage_error("no display, and Xvfb could not be started");
  }
  pid_ = pid;
  ready_fd_ = fds[0];
  if (wait) display();
}

const std::string& PrivateXServer::display() {
  if (ready_fd_ < 0) return display_;
  std::string number;
  char c;
  while (read(ready_fd_, &c, 1) == 1 && c != '\n') number += c;
  close(ready_fd_);
  ready_fd_ = -1;
  if (number.empty()) {
    int status = 0;
    waitpid(pid_, &status, 0);
    pid_ = -1;
    throw usage_error(
        "no display ($DISPLAY is unset) and Xvfb could not start; install xvfb "
        "(apt-get install xvfb xauth), or run under xvfb-run or with X forwarding");
  }
  display_ = ":" + number;
  return display_;
}

PrivateXServer::~PrivateXServer() {
  if (ready_fd_ >= 0) close(ready_fd_);
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
}

bool have_display() {
  const char* display = std::getenv("DISPLAY");
  return display && *display;
}

HeadlessDisplay::HeadlessDisplay(std::ostream* log, Ready when) : log_(log) {
  if (have_display()) return;
  server_ = std::make_unique<PrivateXServer>(1920, 1200, false);
  if (when == Ready::now) wait();
}

void HeadlessDisplay::wait() {
  if (!server_ || waited_) return;
  waited_ = true;
  // Set here, not at the start: threads reading inputs meanwhile may read the environment.
  setenv("DISPLAY", server_->display().c_str(), 1);
  if (log_) {
    *log_ << "foci: no display; rendering on a private Xvfb at " << server_->display() << "\n";
  }
}

HeadlessDisplay::~HeadlessDisplay() {
  if (server_ && waited_) unsetenv("DISPLAY");
}

}  // namespace foci
