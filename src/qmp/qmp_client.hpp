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
    // QEMU's own description when QEMU refuses, or Io when it does not
    // answer in time, closes the connection or answers something that is
    // not a QMP reply. After an Io failure the connection is not used again
    // (a late reply would be taken for the answer to the next command):
    // every later call fails at once.
    Json execute(const std::string& command, const Json& arguments = Json::object());
    // Waits for an event matching `name` (and `match`, if given) and returns
    // it; events that arrived while executing commands count too. The event
    // is a JSON object; `match` must not assume more of it.
    Json wait_event(const std::string& name, const std::function<bool(const Json&)>& match,
                    std::chrono::milliseconds timeout);

    void set_timeout(std::chrono::milliseconds timeout) { timeout_ = timeout; }
    // Every later wait ends by `deadline` at the latest, whatever its own
    // time limit: the time limit a caller gives a whole operation (connect,
    // commands and events), rather than each step of it.
    void set_deadline(Clock::time_point deadline) { deadline_ = deadline; }

private:
    QmpClient(int fd, std::chrono::milliseconds timeout) : fd_(fd), timeout_(timeout) {}
    // How long a wait of at most `timeout` that begins now may last.
    std::chrono::milliseconds wait_for(std::chrono::milliseconds timeout) const;
    void negotiate(Clock::time_point deadline, std::chrono::milliseconds waited, const std::string& peer);
    // The next message, a JSON object, by `deadline` (`waited` after the
    // wait began); `awaited` says what it should be, for the messages.
    Json read_message(Clock::time_point deadline, std::chrono::milliseconds waited, const std::string& awaited);
    void send(const Json& message);
    [[noreturn]] void lost(std::string message);

    int fd_;
    std::string lost_;  // why the connection is no longer used, once it is not
    std::chrono::milliseconds timeout_;
    Clock::time_point deadline_ = Clock::time_point::max();
    std::string buffer_;
    std::deque<Json> events_;
};

}  // namespace guestaddr::qmp
