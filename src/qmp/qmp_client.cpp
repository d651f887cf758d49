#include "qmp/qmp_client.hpp"

#include <poll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <string_view>
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

// Longer than any reply guestaddr asks for: past it a peer that never ends
// its line is not QEMU.
constexpr std::size_t kMaxMessageBytes = std::size_t{16} << 20;

// What a peer sent, for a message: at most 80 characters, control
// characters and other bytes outside printable ASCII as \xNN.
std::string excerpt(std::string_view text) {
    constexpr std::size_t kShown = 80;
    std::string out;
    for (unsigned char c : text.substr(0, kShown)) {
        if (c >= 0x20 && c < 0x7f) out += static_cast<char>(c);
        else out += fmt::format("\\x{:02x}", c);
    }
    if (text.size() > kShown) out += "...";
    return out;
}

// QEMU's "desc" of an error reply, or the reply itself when it has none.
std::string reason(const Json& error) {
    if (error.is_object())
        if (auto desc = error.find("desc"); desc != error.end() && desc->is_string()) return desc->get<std::string>();
    return fmt::format("no reason given ({})", excerpt(error.dump()));
}

std::string seconds(std::chrono::milliseconds duration) { return fmt::format("{:g}", duration.count() / 1000.0); }

}  // namespace

QmpClient QmpClient::connect(const std::string& socket_path, std::chrono::milliseconds timeout) {
    const auto deadline = Clock::now() + timeout;
    QmpClient client(connect_unix(socket_path, deadline), timeout);
    client.negotiate(deadline, timeout, socket_path);
    return client;
}

QmpClient QmpClient::adopt(int fd, std::chrono::milliseconds timeout) {
    QmpClient client(fd, timeout);
    client.negotiate(Clock::now() + timeout, timeout, "QEMU");
    return client;
}

void QmpClient::negotiate(Clock::time_point deadline, std::chrono::milliseconds waited, const std::string& peer) {
    Json greeting = read_message(deadline, waited, "greeting");
    if (!greeting.contains("QMP")) lost(fmt::format("{} did not greet like QEMU's QMP", peer));
    execute("qmp_capabilities");
}

QmpClient::QmpClient(QmpClient&& other) noexcept
    : fd_(other.fd_), lost_(std::move(other.lost_)), timeout_(other.timeout_), deadline_(other.deadline_),
      buffer_(std::move(other.buffer_)), events_(std::move(other.events_)) {
    other.fd_ = -1;
}

QmpClient::~QmpClient() {
    if (fd_ >= 0) ::close(fd_);
}

std::chrono::milliseconds QmpClient::wait_for(std::chrono::milliseconds timeout) const {
    if (deadline_ == Clock::time_point::max()) return timeout;
    return std::clamp(std::chrono::duration_cast<std::chrono::milliseconds>(deadline_ - Clock::now()),
                      std::chrono::milliseconds(0), timeout);
}

void QmpClient::lost(std::string message) {
    lost_ = message;
    io_failure(std::move(message));
}

void QmpClient::send(const Json& message) {
    if (!lost_.empty()) io_failure(fmt::format("not sent, the QMP connection is unusable: {}", lost_));
    const std::string text = message.dump() + "\r\n";
    std::size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::send(fd_, text.data() + done, text.size() - done, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) lost(fmt::format("cannot send to QEMU: {}", std::strerror(errno)));
        done += static_cast<std::size_t>(n);
    }
}

// QMP messages are JSON objects, one per line.
Json QmpClient::read_message(Clock::time_point deadline, std::chrono::milliseconds waited, const std::string& awaited) {
    std::size_t scanned = 0;  // the bytes of buffer_ known to hold no end of line
    while (true) {
        if (std::size_t end = buffer_.find('\n', scanned); end != std::string::npos) {
            std::string line = buffer_.substr(0, end);
            buffer_.erase(0, end + 1);
            scanned = 0;
            if (line.find_first_not_of(" \r\t") == std::string::npos) continue;
            Json message = Json::parse(line, nullptr, false);
            if (message.is_discarded())
                lost(fmt::format("QEMU sent something that is not JSON, waiting for the {}: {}", awaited, excerpt(line)));
            if (!message.is_object())
                lost(fmt::format("QEMU sent a QMP message that is not a JSON object, waiting for the {}: {}", awaited,
                                 excerpt(line)));
            return message;
        }
        scanned = buffer_.size();
        if (buffer_.size() > kMaxMessageBytes)
            lost(fmt::format("QEMU sent more than {} MiB without ending the message, waiting for the {}",
                             kMaxMessageBytes >> 20, awaited));
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now());
        if (left.count() <= 0) lost(fmt::format("QEMU did not answer in time: no {} within {} s", awaited, seconds(waited)));
        pollfd p{fd_, POLLIN, 0};
        int ready = ::poll(&p, 1, static_cast<int>(left.count()));
        if (ready < 0 && errno == EINTR) continue;
        if (ready <= 0) continue;
        char chunk[65536];
        ssize_t n = ::recv(fd_, chunk, sizeof(chunk), 0);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) lost(fmt::format("cannot read from QEMU, waiting for the {}: {}", awaited, std::strerror(errno)));
        if (n == 0) lost(fmt::format("QEMU closed the QMP connection, waiting for the {}", awaited));
        buffer_.append(chunk, static_cast<std::size_t>(n));
    }
}

Json QmpClient::execute(const std::string& command, const Json& arguments) {
    Json request{{"execute", command}};
    if (!arguments.empty()) request["arguments"] = arguments;
    send(request);
    const auto waited = wait_for(timeout_);
    const auto deadline = Clock::now() + waited;
    const std::string awaited = fmt::format("answer to {}", command);
    while (true) {
        Json message = read_message(deadline, waited, awaited);
        if (message.contains("event")) {
            events_.push_back(std::move(message));
            continue;
        }
        if (auto error = message.find("error"); error != message.end())
            throw Failure(Error{ErrorKind::Placement, "", fmt::format("QEMU refused {}: {}", command, reason(*error))});
        if (auto result = message.find("return"); result != message.end()) return *result;
        lost(fmt::format("QEMU answered {} with neither a result nor an error: {}", command, excerpt(message.dump())));
    }
}

Json QmpClient::wait_event(const std::string& name, const std::function<bool(const Json&)>& match,
                           std::chrono::milliseconds timeout) {
    auto wanted = [&](const Json& e) { return e.value("event", Json()) == name && (!match || match(e)); };
    for (auto it = events_.begin(); it != events_.end(); ++it) {
        if (!wanted(*it)) continue;
        Json event = std::move(*it);
        events_.erase(it);
        return event;
    }
    if (!lost_.empty()) io_failure(fmt::format("the QMP connection is unusable: {}", lost_));
    const auto waited = wait_for(timeout);
    const auto deadline = Clock::now() + waited;
    const std::string awaited = fmt::format("{} event", name);
    while (true) {
        Json message = read_message(deadline, waited, awaited);
        if (wanted(message)) return message;
        if (message.contains("event")) events_.push_back(std::move(message));
    }
}

}  // namespace guestaddr::qmp
