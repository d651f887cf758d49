// Reading a definition and replacing a file atomically.
#pragma once

#include <memory>
#include <string>

#include "guestaddr/error.hpp"

namespace guestaddr::cli {

// The whole file, or standard input for "-".
Result<std::string> read_input(const std::string& path);

// Writes `text` to a temporary file beside `path`, flushes it to disk and
// renames it over `path`: readers see the old file or the new one, never
// a torn one.
Result<bool> write_atomically(const std::string& path, const std::string& text);

// Holds an exclusive lock for editing `path` in place, so that concurrent
// editors take turns instead of losing each other's changes. The lock is a
// file beside `path` (path itself is replaced by each edit).
class EditLock {
public:
    static Result<std::shared_ptr<EditLock>> acquire(const std::string& path);
    ~EditLock();
    EditLock(const EditLock&) = delete;
    EditLock& operator=(const EditLock&) = delete;

private:
    explicit EditLock(int fd) : fd_(fd) {}
    int fd_;
};

}  // namespace guestaddr::cli
