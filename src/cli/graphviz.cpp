#include "cli/graphviz.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include <fmt/format.h>

#include "cli/file_io.hpp"
#include "support/atomic_file.hpp"

extern char** environ;

namespace guestaddr::cli {
namespace {

Error failure(std::string message) { return Error{ErrorKind::Io, "", std::move(message)}; }

std::string read_all(int fd) {
    std::string out;
    char buffer[65536];
    while (true) {
        const ssize_t n = ::read(fd, buffer, sizeof buffer);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return out;
        out.append(buffer, static_cast<std::size_t>(n));
    }
}

// Closes the descriptors it holds, whatever way the function leaves.
struct Fds {
    int input = -1, read_end = -1, write_end = -1;
    ~Fds() {
        for (int fd : {input, read_end, write_end})
            if (fd >= 0) ::close(fd);
    }
};

}  // namespace

Result<std::string> draw_svg(const std::string& dot_text) {
    // The graph goes in through a memory file, so that dot can take all of
    // it before writing anything: no pipe can fill up in either direction.
    Fds fds;
    fds.input = ::memfd_create("guestaddr-tree.dot", MFD_CLOEXEC);
    if (fds.input < 0 || !support::write_all(fds.input, dot_text) || ::lseek(fds.input, 0, SEEK_SET) != 0)
        return failure(fmt::format("cannot hand the graph to Graphviz: {}", std::strerror(errno)));
    int out[2];
    if (::pipe2(out, O_CLOEXEC) != 0) return failure(fmt::format("cannot start Graphviz: {}", std::strerror(errno)));
    fds.read_end = out[0];
    fds.write_end = out[1];
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds.input, STDIN_FILENO);
    posix_spawn_file_actions_adddup2(&actions, fds.write_end, STDOUT_FILENO);
    char dot[] = "dot";
    char svg[] = "-Tsvg";
    char* argv[] = {dot, svg, nullptr};
    pid_t pid = 0;
    const int spawned = ::posix_spawnp(&pid, dot, &actions, nullptr, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    if (spawned != 0)
        return failure(fmt::format("--format svg needs Graphviz's dot program (Debian: apt-get install graphviz): {}",
                                   std::strerror(spawned)));
    ::close(fds.write_end);
    fds.write_end = -1;
    std::string svg_text = read_all(fds.read_end);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {}
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        return failure("Graphviz's dot program failed to draw the tree (its message is above)");
    return svg_text;
}

}  // namespace guestaddr::cli
