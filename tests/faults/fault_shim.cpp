// An LD_PRELOAD library that makes one step of writing a file fail, as a
// failing disk would: GUESTADDR_FAULT names the step, and the call fails with
// EIO (or the errno GUESTADDR_FAULT_ERRNO gives) instead of reaching the file.
//
//   read      read(2) from a file (the definition being loaded)
//   write     write(2) to a file (not to standard output or error)
//   fsync     fsync(2) of a regular file
//   close     close(2) of a file written to (NFS reports late errors there)
//   rename    rename(2)
//   dirsync   fsync(2) of a directory (after the rename)
//   stop      the process stops itself (SIGSTOP) just before rename(2):
//             it holds the edit lock, and its temporary file exists
//
// Only files count, never standard input, output or error, so that the
// process can still say what failed. A shim rather than a kernel facility
// (device-mapper's "error" target, FUSE): it needs nothing of the kernel,
// runs the same on any machine, and fails each step on its own.
#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

namespace {

const char* fault() {
    const char* f = std::getenv("GUESTADDR_FAULT");
    return f ? f : "";
}

bool fault_is(const char* step) { return std::strcmp(fault(), step) == 0; }

int fault_errno() {
    const char* e = std::getenv("GUESTADDR_FAULT_ERRNO");
    return e ? std::atoi(e) : EIO;
}

template <class F>
F next(const char* name) {
    return reinterpret_cast<F>(dlsym(RTLD_NEXT, name));
}

bool is_file(int fd, mode_t type) {
    struct stat st {};
    return fd > STDERR_FILENO && fstat(fd, &st) == 0 && (st.st_mode & S_IFMT) == type;
}

int fail() {
    errno = fault_errno();
    return -1;
}

// The descriptors written to (for the "close" step).
bool written[4096];

}  // namespace

extern "C" {

ssize_t read(int fd, void* buffer, size_t size) {
    if (fault_is("read") && is_file(fd, S_IFREG)) return fail();
    return next<ssize_t (*)(int, void*, size_t)>("read")(fd, buffer, size);
}

ssize_t write(int fd, const void* buffer, size_t size) {
    if (is_file(fd, S_IFREG)) {
        if (fault_is("write")) return fail();
        if (fd < 4096) written[fd] = true;
    }
    return next<ssize_t (*)(int, const void*, size_t)>("write")(fd, buffer, size);
}

int fsync(int fd) {
    if (fault_is("fsync") && is_file(fd, S_IFREG)) return fail();
    if (fault_is("dirsync") && is_file(fd, S_IFDIR)) return fail();
    return next<int (*)(int)>("fsync")(fd);
}

int close(int fd) {
    const bool was_written = fd >= 0 && fd < 4096 && written[fd];
    if (fd >= 0 && fd < 4096) written[fd] = false;
    const int result = next<int (*)(int)>("close")(fd);
    if (fault_is("close") && was_written) return fail();
    return result;
}

int rename(const char* from, const char* to) {
    if (fault_is("rename")) return fail();
    if (fault_is("stop")) raise(SIGSTOP);
    return next<int (*)(const char*, const char*)>("rename")(from, to);
}

}  // extern "C"
