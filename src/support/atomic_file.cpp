#include "support/atomic_file.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <filesystem>

#include <fmt/format.h>

namespace guestaddr::support {
namespace {

std::string hidden_name(const std::string& path, std::string_view suffix) {
    return fmt::format(".{}{}", std::filesystem::path(path).filename().string(), suffix);
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

// Removes the temporary file, keeping the errno of the failure.
WriteFailure abandon(const std::string& temp, WriteFailure failure, int error) {
    ::unlink(temp.c_str());
    errno = error;
    return failure;
}

}  // namespace

bool write_all(int fd, std::string_view text) {
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return false;
        done += static_cast<std::size_t>(n);
    }
    return true;
}

std::filesystem::path folder_of(const std::string& path) {
    const std::filesystem::path target(path);
    return target.has_parent_path() ? target.parent_path() : std::filesystem::path(".");
}

std::string hidden_sibling(const std::string& path, std::string_view suffix) {
    return (folder_of(path) / hidden_name(path, suffix)).string();
}

bool is_temporary_of(const std::string& name, const std::string& path) {
    const std::string prefix = hidden_name(path, kTemporaryMark);
    if (name.size() != prefix.size() + kTemporaryRandomChars || !name.starts_with(prefix)) return false;
    return std::all_of(name.end() - kTemporaryRandomChars, name.end(),
                       [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; });
}

WriteFailure replace_file(const std::string& path,
                          const std::function<void(const std::function<void(std::string_view)>&)>& produce) {
    std::string temp = hidden_sibling(path, std::string(kTemporaryMark) + std::string(kTemporaryRandomChars, 'X'));
    const int fd = ::mkstemp(temp.data());
    if (fd < 0) return WriteFailure::CreateTemporary;
    bool written = true;
    int saved_errno = 0;
    auto failed = [&] {
        written = false;
        saved_errno = errno;
    };
    produce([&](std::string_view piece) {
        if (written && !write_all(fd, piece)) failed();
    });
    if (written && ::fsync(fd) != 0) failed();
    // A file system may report a write error only now (NFS does).
    if (::close(fd) != 0 && written) failed();
    if (!written) return abandon(temp, WriteFailure::Write, saved_errno);
    if (::rename(temp.c_str(), path.c_str()) != 0) return abandon(temp, WriteFailure::Rename, errno);
    // The rename itself is durable only once the directory is flushed.
    return sync_directory(folder_of(path)) ? WriteFailure::None : WriteFailure::SyncFolder;
}

}  // namespace guestaddr::support
