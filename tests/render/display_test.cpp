// The private X server foci starts when there is no display.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "app/display.hpp"

// Last: Xlib's macros (None, Bool, Status) would rename names in the headers above.
#include <X11/Xlib.h>

namespace foci {
namespace {

// The workers of a batch share one server, each opening and closing its own connections. An
// X server resets when its last client leaves, closing every connection it holds, among them
// one being opened by the other worker just then (Xvfb without -noreset refused about one
// connection in ten here): every connection of two processes that come and go together must
// be served.
TEST(PrivateXServer, ClientsComingAndGoingTogetherAreAllServed) {
  if (std::system("command -v Xvfb >/dev/null") != 0) GTEST_SKIP() << "needs Xvfb";
  PrivateXServer server(320, 240);
  const std::string display = server.display();
  constexpr int kConnections = 300;
  std::vector<pid_t> clients;
  for (int c = 0; c < 2; ++c) {
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      int refused = 0;
      for (int n = 0; n < kConnections; ++n) {
        Display* connection = XOpenDisplay(display.c_str());
        if (!connection) {
          ++refused;
          continue;
        }
        XCloseDisplay(connection);
      }
      _exit(refused > 100 ? 100 : refused);
    }
    clients.push_back(pid);
  }
  for (const pid_t pid : clients) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 0)
        << "connections refused (at most 100 counted) of " << kConnections;
  }
}

}  // namespace
}  // namespace foci
