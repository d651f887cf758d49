// A QEMU started for a test: paused, with its QMP monitor on a unix socket
// in a temporary folder; killed when the object goes.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

namespace guestaddr::testing {

class QemuProcess {
public:
    // nullopt when qemu-system-x86_64 is not installed.
    static std::optional<QemuProcess> start(const std::vector<std::string>& arguments);
    static bool available();

    QemuProcess(QemuProcess&& other) noexcept;
    QemuProcess& operator=(QemuProcess&&) = delete;
    ~QemuProcess();

    const std::string& qmp_socket() const { return socket_; }
    // Waits for QEMU to exit by itself; its exit status.
    int wait();

private:
    QemuProcess(pid_t pid, std::string dir) : pid_(pid), dir_(std::move(dir)), socket_(dir_ + "/qmp.sock") {}
    pid_t pid_;
    std::string dir_;
    std::string socket_;
};

}  // namespace guestaddr::testing
