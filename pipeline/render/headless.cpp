// A display for VTK on machines without one: Debian's VTK renders through X11 only, so a
// private Xvfb is started when $DISPLAY is unset.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <string>

#include "core/error.hpp"
#include "core/hash.hpp"
#include "render/render.hpp"

namespace foci {

HeadlessDisplay::HeadlessDisplay(std::ostream* log) {
  const char* display = std::getenv("DISPLAY");
  if (display && *display) return;
  int fds[2];
  if (pipe(fds) != 0) throw usage_error("no display, and no pipe to start Xvfb");
  const pid_t pid = fork();
  if (pid == 0) {
    close(fds[0]);
    // Xvfb writes the display number it chose to this descriptor once it is ready.
    const std::string fd = std::to_string(fds[1]);
    const int null = open("/dev/null", O_WRONLY);
    if (null >= 0) {
      dup2(null, 1);
      dup2(null, 2);
    }
    execlp("Xvfb", "Xvfb", "-displayfd", fd.c_str(), "-screen", "0", "1920x1200x24", "-nolisten",
           "tcp", static_cast<char*>(nullptr));
    _exit(127);
  }
  close(fds[1]);
  if (pid < 0) {
    close(fds[0]);
    throw usage_error("no display, and Xvfb could not be started");
  }
  std::string number;
  char c;
  while (read(fds[0], &c, 1) == 1 && c != '\n') number += c;
  close(fds[0]);
  if (number.empty()) {
    int status = 0;
    waitpid(pid, &status, 0);
    throw usage_error(
        "no display ($DISPLAY is unset) and Xvfb could not start; install xvfb "
        "(apt-get install xvfb xauth), or run under xvfb-run or with X forwarding");
  }
  pid_ = pid;
  setenv("DISPLAY", (":" + number).c_str(), 1);
  if (log) *log << "foci: no display; rendering on a private Xvfb at :" << number << "\n";
}

HeadlessDisplay::~HeadlessDisplay() {
  if (pid_ <= 0) return;
  kill(pid_, SIGTERM);
  int status = 0;
  waitpid(pid_, &status, 0);
  unsetenv("DISPLAY");
}

std::string file_content_key(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw input_error("cannot read '" + path + "'");
  ContentHash hash;
  char buffer[1 << 16];
  while (in) {
    in.read(buffer, sizeof buffer);
    hash.add(std::string_view(buffer, static_cast<std::size_t>(in.gcount())));
  }
  return hash.hex();
}

std::string volume_cache_key(const std::string& path, const LabelVolume& volume) {
  ContentHash hash;
  for (const auto& row : volume.voxel_to_world.m) {
    for (const double v : row) {
      const long long fixed = std::llround(v * 1000);
      for (int b = 0; b < 8; ++b) {
        const char byte = static_cast<char>(fixed >> (8 * b));
        hash.add(std::string_view(&byte, 1));
      }
    }
  }
  return file_content_key(path) + "-" + hash.hex();
}

std::string default_cache_directory() {
  if (const char* d = std::getenv("FOCI_CACHE_DIR"); d && *d) return d;
  if (const char* d = std::getenv("XDG_CACHE_HOME"); d && *d) return std::string(d) + "/foci";
  if (const char* d = std::getenv("HOME"); d && *d) return std::string(d) + "/.cache/foci";
  return ".foci-cache";
}

}  // namespace foci
