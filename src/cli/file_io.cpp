#include "cli/file_io.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

#include "support/atomic_file.hpp"

namespace guestaddr::cli {
namespace {

Error io_error(const std::string& path, const std::string& what) {
    return Error{ErrorKind::Io, "", fmt::format("{}: {}: {}", path, what, std::strerror(errno))};
}

// All of an open file or pipe. A regular file is read in one piece into
// text of its size: a stream's growing buffer and final copy cost more, in
// memory touched, than parsing a large definition.
bool read_all(int fd, std::string& text) {
    struct stat st {};
    const bool sized = ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode);
    text.resize(sized ? static_cast<std::size_t>(st.st_size) + 1 : 65536);
    std::size_t used = 0;
    while (true) {
        if (used == text.size()) text.resize(2 * text.size());
        const ssize_t n = ::read(fd, text.data() + used, text.size() - used);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        if (n == 0) break;
        used += static_cast<std::size_t>(n);
    }
    text.resize(used);
    return true;
}

// A failure that left `path` as it was, said so.
Error unchanged(const std::string& path, const std::string& what) {
    Error e = io_error(path, what);
    e.message += fmt::format(" ({} is unchanged)", path);
    return e;
}

// What writers killed between creating their temporary file and renaming it
// left behind. Called under the edit lock, when no writer of `path` runs.
void remove_stale_temporaries(const std::string& path) {
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator(support::folder_of(path), ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
        std::error_code ignored;  // a file that cannot be removed stays; the edit goes on
        if (support::is_temporary_of(it->path().filename().string(), path) && it->is_regular_file(ignored))
            std::filesystem::remove(it->path(), ignored);
    }
}

}  // namespace

Result<std::shared_ptr<EditLock>> EditLock::acquire(const std::string& path) {
    const std::string lock_path = support::hidden_sibling(path, ".lock");
    int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return unchanged(path, fmt::format("cannot open its edit lock {}", lock_path));
    while (::flock(fd, LOCK_EX) != 0) {
        if (errno == EINTR) continue;
        const int saved_errno = errno;
        ::close(fd);
        errno = saved_errno;
        return unchanged(path, fmt::format("cannot take its edit lock {}", lock_path));
    }
    remove_stale_temporaries(path);
    return std::shared_ptr<EditLock>(new EditLock(fd));
}

EditLock::~EditLock() { ::close(fd_); }

Result<std::string> read_input(const std::string& path) {
    std::string text;
    if (path == "-") {
        if (!read_all(STDIN_FILENO, text)) return io_error("standard input", "cannot read");
        return text;
    }
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        return Error{ErrorKind::Io, "", fmt::format("{}: is a directory, not a domain definition", path)};
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return io_error(path, "cannot open");
    const bool read = read_all(fd, text);
    const int saved_errno = errno;
    ::close(fd);
    errno = saved_errno;
    if (!read) return io_error(path, "cannot read");
    return text;
}

void print(const Definition& definition) {
    format(definition,
           [](std::string_view piece) { std::cout.write(piece.data(), static_cast<std::streamsize>(piece.size())); });
}

Result<bool> write_output(const std::string& path, const Definition& definition) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0 || S_ISREG(st.st_mode)) return write_atomically(path, definition);
    const int fd = ::open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) return io_error(path, "cannot open");
    bool written = true;
    format(definition, [&](std::string_view piece) { written = written && support::write_all(fd, piece); });
    const int saved_errno = errno;
    ::close(fd);
    errno = saved_errno;
    return written ? Result<bool>(true) : io_error(path, "cannot write the new definition");
}

Result<bool> write_atomically(const std::string& path, const Definition& definition) {
    switch (support::replace_file(path, [&](const auto& sink) { format(definition, sink); })) {
        case support::WriteFailure::None: return true;
        case support::WriteFailure::CreateTemporary: return unchanged(path, "cannot create a temporary file beside it");
        case support::WriteFailure::Write: return unchanged(path, "cannot write the new definition");
        case support::WriteFailure::Rename: return unchanged(path, "cannot replace it with the new definition");
        case support::WriteFailure::SyncFolder:
            return io_error(path, "replaced with the new definition, but flushing its folder failed (after a crash "
                                  "it may be the old file again)");
    }
    return true;
}

}  // namespace guestaddr::cli
