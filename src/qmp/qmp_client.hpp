// A QMP (QEMU Machine Protocol) client over a unix socket: commands with
// replies, and the events that arrive in between, each with a time limit.
#pragma once

#include <chrono>
#include <deque>
#include <functional>
#include <string>

#include <nlohmann/json.hpp>

#include "guestaddr/error.hpp"

namespace guestaddr::qmp {

using Json = nlohmann::ordered_json;  // the same type as the QEMU command line builds
using Clock = std::chrono::steady_clock;

class QmpClient {
public:
    // Connects, reads the greeting and negotiates capabilities. Throws
    // Failure (Io) when QEMU is not there or does not answer in time.
    static QmpClient connect(const std::string& socket_path, std::chrono::milliseconds timeout);
    // The same over a connected stream socket (e.g. one end of a socketpair
    // whose other end is a QEMU's `-qmp stdio`); the client closes it.
    static QmpClient adopt(int fd, std::chrono::milliseconds timeout);

    QmpClient(QmpClient&& other) noexcept;
    QmpClient& operator=(QmpClient&&) = delete;
    ~QmpClient();

    // Runs a command and returns its "return" value. Throws Failure with
    // QEMU's own description when QEMU refuses, or Io on a time-out.
    Json execute(const std::string& command, const Json& arguments = Json::object());
    // Waits for an event matching `name` (and `match`, if given) and returns
    // it; events that arrived while executing commands count too.
    Json wait_event(const std::string& name, const std::function<bool(const Json&)>& match,
                    std::chrono::milliseconds timeout);

    void set_timeout(std::chrono::milliseconds timeout) { timeout_ = timeout; }

private:
    QmpClient(int fd, std::chrono::milliseconds timeout) : fd_(fd), timeout_(timeout) {}
    void negotiate(Clock::time_point deadline, const std::string& peer);
    Json read_message(Clock::time_point deadline);
    void send(const Json& message);

    int fd_;
    std::chrono::milliseconds timeout_;
    std::string buffer_;
    std::deque<Json> events_;
};

}  // namespace guestaddr::qmp
