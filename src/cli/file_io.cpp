#include "cli/file_io.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <iostream>

#include <fmt/format.h>

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

std::filesystem::path directory_of(const std::string& path) {
    const std::filesystem::path target(path);
    return target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
}

// Flushes a directory's entries to disk. A file system that cannot flush
// a directory (EINVAL) keeps its entries by other means.
bool sync_directory(const std::filesystem::path& directory) {
    const int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return false;
    const bool synced = ::fsync(fd) == 0 || errno == EINVAL;
    const int saved_errno = errno;
    ::close(fd);
    errno = saved_errno;
    return synced;
}

// ".NAME<suffix>" in the folder of `path`: the temporary file and the lock
// live beside the definition, on the same file system, out of sight.
std::string hidden_name(const std::string& path, std::string_view suffix) {
    return fmt::format(".{}{}", std::filesystem::path(path).filename().string(), suffix);
}

std::string hidden_sibling(const std::string& path, std::string_view suffix) {
    return (directory_of(path) / hidden_name(path, suffix)).string();
}

// The temporary files of writers of `path`: ".NAME.guestaddr-XXXXXX".
constexpr std::string_view kTemporaryMark = ".guestaddr-";
constexpr std::size_t kTemporaryRandomChars = 6;  // mkstemp's XXXXXX

bool is_temporary_of(const std::string& name, const std::string& path) {
    const std::string prefix = hidden_name(path, kTemporaryMark);
    if (name.size() != prefix.size() + kTemporaryRandomChars || !name.starts_with(prefix)) return false;
    return std::all_of(name.end() - kTemporaryRandomChars, name.end(),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
}

// What writers killed between creating their temporary file and renaming it
// left behind. Called under the edit lock, when no writer of `path` runs.
void remove_stale_temporaries(const std::string& path) {
    std::error_code ec;
    for (auto it = std::filesystem::directory_iterator(directory_of(path), ec);
         !ec && it != std::filesystem::directory_iterator(); it.increment(ec)) {
        std::error_code ignored;  // a file that cannot be removed stays; the edit goes on
        if (is_temporary_of(it->path().filename().string(), path) && it->is_regular_file(ignored))
            std::filesystem::remove(it->path(), ignored);
    }
}

}  // namespace

bool write_all(int fd, std::string_view text) {
    std::size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

Result<std::shared_ptr<EditLock>> EditLock::acquire(const std::string& path) {
    const std::string lock_path = hidden_sibling(path, ".lock");
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

Result<bool> write_atomically(const std::string& path, const Definition& definition) {
    std::string temp = hidden_sibling(path, std::string(kTemporaryMark) + std::string(kTemporaryRandomChars, 'X'));
    int fd = ::mkstemp(temp.data());
    if (fd < 0) return unchanged(path, "cannot create a temporary file beside it");
    bool written = true;
    int saved_errno = 0;
    auto failed = [&] {
        written = false;
        saved_errno = errno;
    };
    format(definition, [&](std::string_view piece) {
        if (written && !write_all(fd, piece)) failed();
    });
    if (written && ::fsync(fd) != 0) failed();
    // A file system may report a write error only now (NFS does).
    if (::close(fd) != 0 && written) failed();
    if (!written) {
        ::unlink(temp.c_str());
        errno = saved_errno;
        return unchanged(path, "cannot write the new definition");
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        saved_errno = errno;
        ::unlink(temp.c_str());
        errno = saved_errno;
        return unchanged(path, "cannot replace it with the new definition");
    }
    // The rename itself is durable only once the directory is flushed.
    if (!sync_directory(directory_of(path)))
        return io_error(path, "replaced with the new definition, but flushing its folder failed (after a crash it "
                              "may be the old file again)");
    return true;
}

}  // namespace guestaddr::cli
