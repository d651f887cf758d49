#include "qmp/qmp_client.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include <fmt/format.h>

namespace guestaddr::qmp {
namespace {

[[noreturn]] void io_failure(std::string message) { throw Failure(Error{ErrorKind::Io, "", std::move(message)}); }

int connect_unix(const std::string& path, Clock::time_point deadline) {
    sockaddr_un address{};
    address.sun_family = AF_UNIX;
    if (path.size() >= sizeof(address.sun_path)) io_failure(fmt::format("QMP socket path too long: {}", path));
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);
    // QEMU may still be creating its socket: retry until the deadline.
    while (true) {
        int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
        if (fd < 0) io_failure(fmt::format("cannot create a socket: {}", std::strerror(errno)));
        if (::connect(fd, reinterpret_cast<const sockaddr*>(&address), sizeof(address)) == 0) return fd;
        const int error = errno;
        ::close(fd);
        if (Clock::now() >= deadline)
            io_failure(fmt::format("cannot connect to QMP socket {}: {}", path, std::strerror(error)));
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
}

}  // namespace

QmpClient QmpClient::connect(const std::string& socket_path, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    QmpClient client(connect_unix(socket_path, deadline), timeout);
    client.negotiate(deadline, socket_path);
    return client;
}

QmpClient QmpClient::adopt(int fd, std::chrono::milliseconds timeout) {
    QmpClient client(fd, timeout);
    client.negotiate(Clock::now() + timeout, "QEMU");
    return client;
}

void QmpClient::negotiate(Clock::time_point deadline, const std::string& peer) {
    Json greeting = read_message(deadline);
    if (!greeting.contains("QMP")) io_failure(fmt::format("{} did not greet like QEMU's QMP", peer));
    execute("qmp_capabilities");
}

QmpClient::QmpClient(QmpClient&& other) noexcept
    : fd_(other.fd_), timeout_(other.timeout_), buffer_(std::move(other.buffer_)), events_(std::move(other.events_)) {
    other.fd_ = -1;
}

QmpClient::~QmpClient() {
    if (fd_ >= 0) ::close(fd_);
}

void QmpClient::send(const Json& message) {
    const std::string text = message.dump() + "\r\n";
    std::size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::send(fd_, text.data() + done, text.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) io_failure(fmt::format("cannot send to QEMU: {}", std::strerror(errno)));
        done += static_cast<std::size_t>(n);
    }
}

// QMP messages are JSON objects, one per line.
Json QmpClient::read_message(Clock::time_point deadline) {
    while (true) {
        if (std::size_t end = buffer_.find('\n'); end != std::string::npos) {
            std::string line = buffer_.substr(0, end);
            buffer_.erase(0, end + 1);
            if (line.find_first_not_of(" \r\t") == std::string::npos) continue;
            Json message = Json::parse(line, nullptr, false);
            if (message.is_discarded()) io_failure("QEMU sent something that is not JSON");
            return message;
        }
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) io_failure("QEMU did not answer in time");
        pollfd p{fd_, POLLIN, 0};
        int ready = ::poll(&p, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) continue;
        char chunk[65536];
        ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) io_failure("QEMU closed the QMP connection");
        buffer_.append(chunk, static_cast<std::size_t>(n));
    }
}

Json QmpClient::execute(const std::string& command, const Json& arguments) {
    Json request{{"execute", command}};
    if (!arguments.empty()) request["arguments"] = arguments;
    send(request);
    const auto deadline = Clock::now() + timeout_;
    while (true) {
        Json message = read_message(deadline);
        if (message.contains("event")) {
            events_.push_back(std::move(message));
            continue;
        }
        if (message.contains("error"))
            throw Failure(Error{ErrorKind::Placement, "",
                                fmt::format("QEMU refused {}: {}", command,
                                            message["error"].value("desc", std::string("no reason given")))});
        return message.value("return", Json::object());
    }
}

Json QmpClient::wait_event(const std::string& name, const std::function<bool(const Json&)>& match,
                           std::chrono::milliseconds timeout) {
    auto wanted = [&](const Json& e) { return e.value("event", std::string()) == name && (!match || match(e)); };
    for (auto it = events_.begin(); it != events_.end(); ++it) {
        if (!wanted(*it)) continue;
        Json event = std::move(*it);
        events_.erase(it);
        return event;
    }
    const auto deadline = Clock::now() + timeout;
    while (true) {
        Json message = read_message(deadline);
        if (wanted(message)) return message;
        if (message.contains("event")) events_.push_back(std::move(message));
    }
}

}  // namespace guestaddr::qmp
