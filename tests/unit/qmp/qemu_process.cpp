#include "qmp/qemu_process.hpp"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

namespace guestaddr::testing {
namespace {

constexpr const char* kQemu = "/usr/bin/qemu-system-x86_64";

}  // namespace

bool QemuProcess::available() { return ::access(kQemu, X_OK) == 0; }

std::optional<QemuProcess> QemuProcess::start(const std::vector<std::string>& arguments) {
    if (!available()) return std::nullopt;
    std::string dir_template = (std::filesystem::temp_directory_path() / "guestaddr-qemu-XXXXXX").string();
    std::string dir = ::mkdtemp(dir_template.data());
    std::vector<std::string> argv{kQemu, "-S", "-nodefaults", "-display", "none", "-qmp",
                                  "unix:" + dir + "/qmp.sock,server=on,wait=off"};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    pid_t pid = ::fork();
    if (pid == 0) {
        std::vector<char*> raw;
        for (std::string& a : argv) raw.push_back(a.data());
        raw.push_back(nullptr);
        ::execv(kQemu, raw.data());
        ::_exit(127);
    }
    return QemuProcess(pid, dir);
}

QemuProcess::QemuProcess(QemuProcess&& other) noexcept
    : pid_(other.pid_), dir_(std::move(other.dir_)), socket_(std::move(other.socket_)) {
    other.pid_ = -1;
}

int QemuProcess::wait() {
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

QemuProcess::~QemuProcess() {
    if (pid_ > 0) {
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }
    if (!dir_.empty()) {
        std::error_code ec;
        std::filesystem::remove_all(dir_, ec);
    }
}

}  // namespace guestaddr::testing
