#include "cli/file_io.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>

#include <fmt/format.h>

namespace guestaddr::cli {
namespace {

Error io_error(const std::string& path, const std::string& what) {
    return Error{ErrorKind::Io, "", fmt::format("{}: {}: {}", path, what, std::strerror(errno))};
}

bool write_all(int fd, const std::string& text) {
    std::size_t done = 0;
    while (done < text.size()) {
        ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

std::filesystem::path directory_of(const std::string& path) {
    const std::filesystem::path target(path);
    return target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
}

// ".NAME<suffix>" in the folder of `path`: the temporary file and the lock
// live beside the definition, on the same file system, out of sight.
std::string hidden_sibling(const std::string& path, std::string_view suffix) {
    return (directory_of(path) / fmt::format(".{}{}", std::filesystem::path(path).filename().string(), suffix)).string();
}

}  // namespace

Result<std::shared_ptr<EditLock>> EditLock::acquire(const std::string& path) {
    const std::string lock_path = hidden_sibling(path, ".lock");
    int fd = ::open(lock_path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return io_error(lock_path, "cannot open the lock file");
    while (::flock(fd, LOCK_EX) != 0) {
        if (errno == EINTR) continue;
        ::close(fd);
        return io_error(lock_path, "cannot lock");
    }
    return std::shared_ptr<EditLock>(new EditLock(fd));
}

EditLock::~EditLock() { ::close(fd_); }

Result<std::string> read_input(const std::string& path) {
    if (path == "-") {
        std::ostringstream buffer;
        buffer << std::cin.rdbuf();
        return buffer.str();
    }
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
        return Error{ErrorKind::Io, "", fmt::format("{}: is a directory, not a domain definition", path)};
    std::ifstream in(path, std::ios::binary);
    if (!in) return io_error(path, "cannot open");
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad()) return io_error(path, "cannot read");
    return std::move(text).str();
}

Result<bool> write_atomically(const std::string& path, const std::string& text) {
    std::string temp = hidden_sibling(path, ".XXXXXX");
    int fd = ::mkstemp(temp.data());
    if (fd < 0) return io_error(path, "cannot create a temporary file beside it");
    const bool written = write_all(fd, text) && ::fsync(fd) == 0;
    const int saved_errno = errno;
    ::close(fd);
    if (!written) {
        ::unlink(temp.c_str());
        errno = saved_errno;
        return io_error(path, "cannot write");
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        ::unlink(temp.c_str());
        return io_error(path, "cannot replace");
    }
    // The rename itself is durable only once the directory is flushed.
    if (int dfd = ::open(directory_of(path).c_str(), O_RDONLY | O_DIRECTORY); dfd >= 0) {
        ::fsync(dfd);
        ::close(dfd);
    }
    return true;
}

}  // namespace guestaddr::cli
