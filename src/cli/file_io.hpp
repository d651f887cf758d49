// Reading a definition and replacing a file atomically.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "guestaddr/error.hpp"
#include "guestaddr/guestaddr.hpp"

namespace guestaddr::cli {

// The whole file, or standard input for "-".
Result<std::string> read_input(const std::string& path);

// Writes the definition's text to standard output.
void print(const Definition& definition);

// Writes the definition's text to a temporary file beside `path`, flushes it to disk and
// renames it over `path`: readers see the old file or the new one, never
// a torn one. On a failure (a full, read-only or failing disk) the
// temporary file is removed and the error says whether `path` is unchanged
// (every step before the rename) or already the new definition (flushing
// the folder after it). Editors call it holding path's EditLock; `assign -o` does
// not (it leaves no lock file behind), so an editor taking the lock at that
// moment may remove its temporary file, and it fails without a change.
Result<bool> write_atomically(const std::string& path, const Definition& definition);

// `assign -o PATH`: a regular file (or a new one) is replaced atomically;
// anything else that exists there (/dev/null, a FIFO, a terminal) is
// written into, as `cp` would, never renamed over.
Result<bool> write_output(const std::string& path, const Definition& definition);

// Holds an exclusive lock for writing `path`, so that concurrent editors
// take turns instead of losing each other's changes. The lock is a file
// beside `path` (path itself is replaced by each edit). Taking it removes
// the temporary files of writers that were killed before renaming them.
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
