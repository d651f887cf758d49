#include "qmp/qemu_probe.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <memory>
#include <optional>
#include <sstream>
#include <thread>
#include <vector>

#include <fmt/format.h>

#include "qmp/qmp_client.hpp"
#include "support/atomic_file.hpp"

namespace guestaddr::qmp {
namespace fs = std::filesystem;
namespace {

// Bumped whenever the cached report's shape changes: older files are then probed again.
constexpr int kCacheFormat = 1;
constexpr auto kProbeTimeout = std::chrono::seconds(30);

[[noreturn]] void io_failure(std::string message) { throw Failure(Error{ErrorKind::Io, "", std::move(message)}); }
[[noreturn]] void unsupported(std::string message) {
    throw Failure(Error{ErrorKind::Unsupported, "", std::move(message)});
}

// What identifies one build of QEMU on disk, as libvirt's capability cache
// checks it: the binary, and the folder its modules are loaded from.
struct BinaryKey {
    std::string path;
    std::uintmax_t size = 0;
    std::int64_t mtime_ns = 0;
    std::int64_t modules_mtime_ns = 0;

    Json to_json() const {
        return Json{{"binary", path}, {"size", size}, {"mtime_ns", mtime_ns}, {"modules_mtime_ns", modules_mtime_ns}};
    }
};

std::int64_t mtime_ns(const fs::path& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return 0;
    return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

// QEMU loads modules from $QEMU_MODULE_DIR, else from the folder it was
// built for: BIN/../lib/MULTIARCH/qemu for a packaged QEMU.
fs::path module_folder(const fs::path& binary) {
    if (const char* dir = std::getenv("QEMU_MODULE_DIR"); dir && *dir) return dir;
    return binary.parent_path().parent_path() / "lib" / GUESTADDR_MULTIARCH / "qemu";
}

BinaryKey key_of(const fs::path& binary) {
    std::error_code ec;
    BinaryKey key{binary.string(), fs::file_size(binary, ec), mtime_ns(binary), mtime_ns(module_folder(binary))};
    if (ec) io_failure(fmt::format("cannot read QEMU binary {}: {}", binary.string(), ec.message()));
    return key;
}

fs::path resolve_binary(const std::string& spec) {
    fs::path path = spec;
    if (spec.find('/') == std::string::npos) {
        const char* search = std::getenv("PATH");
        std::stringstream dirs(search ? search : "");
        for (std::string dir; std::getline(dirs, dir, ':');) {
            fs::path candidate = fs::path(dir.empty() ? "." : dir) / spec;
            if (::access(candidate.c_str(), X_OK) == 0) {
                path = candidate;
                break;
            }
        }
    }
    std::error_code ec;
    fs::path resolved = fs::canonical(path, ec);
    if (ec || ::access(resolved.c_str(), X_OK) != 0)
        io_failure(fmt::format("QEMU binary {} cannot be run: {}", spec, ec ? ec.message() : std::strerror(errno)));
    return resolved;
}

// A started QEMU, killed and reaped on every way out.
class QemuChild {
public:
    explicit QemuChild(const fs::path& binary) {
        int sockets[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sockets) != 0)
            io_failure(fmt::format("cannot create a socket pair: {}", std::strerror(errno)));
        pid_ = ::fork();
        if (pid_ < 0) io_failure(fmt::format("cannot start {}: {}", binary.string(), std::strerror(errno)));
        if (pid_ == 0) exec_qemu(binary, sockets[1]);
        ::close(sockets[1]);
        qmp_fd_ = sockets[0];
    }
    QemuChild(const QemuChild&) = delete;
    QemuChild& operator=(const QemuChild&) = delete;
    ~QemuChild() {
        if (qmp_fd_ >= 0) ::close(qmp_fd_);
        if (pid_ <= 0) return;
        ::kill(pid_, SIGKILL);
        ::waitpid(pid_, nullptr, 0);
    }

    // The QMP connection; the client then owns the socket.
    int release_qmp() { return std::exchange(qmp_fd_, -1); }

    // Waits for QEMU to exit after `quit`; kills it if it does not.
    void wait_exit() {
        for (int i = 0; i < 500; ++i) {
            if (::waitpid(pid_, nullptr, WNOHANG) == pid_) {
                pid_ = -1;
                return;
            }
            std::this_thread::sleep_for(std::chrono::milliseconds(10));
        }
    }

private:
    // libvirt's probe: no machine, no default devices, no user config, QMP
    // on standard input and output (QEMU's errors stay on standard error).
    [[noreturn]] static void exec_qemu(const fs::path& binary, int qmp) {
        ::dup2(qmp, STDIN_FILENO);
        ::dup2(qmp, STDOUT_FILENO);
        std::string path = binary.string();
        const char* argv[] = {path.c_str(), "-S",          "-no-user-config", "-nodefaults", "-nographic",
                              "-machine",   "none",        "-qmp",            "stdio",       nullptr};
        ::execv(path.c_str(), const_cast<char* const*>(argv));
        ::_exit(127);
    }

    pid_t pid_ = -1;
    int qmp_fd_ = -1;
};

bool has_option(QmpClient& qmp, const char* option) {
    try {
        qmp.execute("query-command-line-options", Json{{"option", option}});
        return true;
    } catch (const Failure&) {
        return false;  // QEMU refuses to describe an option it does not have
    }
}

// The report as kept in the cache: QEMU's answers, sorted, and nothing else.
Json ask_qemu(const fs::path& binary) {
    QemuChild child(binary);
    QmpClient qmp = [&] {
        try {
            return QmpClient::adopt(child.release_qmp(), kProbeTimeout);
        } catch (const Failure& f) {
            io_failure(fmt::format("QEMU binary {} did not answer QMP: {}", binary.string(), f.error().message));
        }
    }();
    const Json version = qmp.execute("query-version");
    std::vector<Json> machines;
    for (const Json& m : qmp.execute("query-machines"))
        machines.push_back(Json{{"name", m.value("name", "")},
                                {"alias", m.value("alias", "")},
                                {"is-default", m.value("is-default", false)}});
    std::ranges::sort(machines, {}, [](const Json& m) { return m["name"].get<std::string>(); });
    std::vector<std::string> devices;
    for (const Json& t : qmp.execute("qom-list-types", Json{{"implements", "device"}, {"abstract", false}}))
        devices.push_back(t.value("name", ""));
    std::ranges::sort(devices);
    // Listing the device types loads QEMU's modules, the SPICE one (which
    // adds the -spice option) among them: ask in this order, as libvirt does.
    const bool spice = has_option(qmp, "spice");
    Json report{{"spice", spice},
                {"target", qmp.execute("query-target").value("arch", "")},
                {"version", Json::array({version["qemu"].value("major", 0), version["qemu"].value("minor", 0),
                                         version["qemu"].value("micro", 0)})},
                {"package", version.value("package", "")},
                {"machines", std::move(machines)},
                {"devices", std::move(devices)}};
    try {
        qmp.execute("quit");
    } catch (const Failure&) {
        // QEMU may close the connection before it replies to quit.
    }
    child.wait_exit();
    return report;
}

fs::path cache_file(const BinaryKey& key) {
    fs::path file = qmp::cache_file("qemu", key.path);
    return file.empty() ? file : file.concat(".json");
}

std::optional<Json> read_cache(const fs::path& file, const BinaryKey& key) {
    if (file.empty()) return std::nullopt;
    std::ifstream in(file);
    if (!in) return std::nullopt;
    Json cached = Json::parse(in, nullptr, false);
    if (cached.is_discarded() || cached.value("format", 0) != kCacheFormat || cached.value("key", Json()) != key.to_json())
        return std::nullopt;
    return cached["report"];
}

void write_cache(const fs::path& file, const BinaryKey& key, const Json& report) {
    write_cache_file(file, Json{{"format", kCacheFormat}, {"key", key.to_json()}, {"report", report}}.dump() + "\n");
}

// A probed QEMU's report and the capabilities viewing it; never moved.
struct Probed {
    Json report;
    std::vector<machine::QemuMachine> machines;
    std::vector<std::string_view> devices;
    std::optional<machine::EmulatorCapabilities> capabilities;
    std::optional<ProbedQemu> result;
};

std::string_view text(const Json& value) { return value.get_ref<const std::string&>(); }

// Builds the capabilities from a report; false when the report lacks what
// they need (a cache file edited or cut short).
bool build(Probed& probed, const fs::path& binary, bool from_cache) {
    const Json& r = probed.report;
    try {
        for (const Json& m : r.at("machines"))
            probed.machines.push_back(
                machine::QemuMachine{text(m.at("name")), text(m.at("alias")), m.at("is-default").get<bool>()});
        for (const Json& d : r.at("devices")) probed.devices.push_back(text(d));
        const machine::QemuVersion version{r.at("version").at(0).get<int>(), r.at("version").at(1).get<int>(),
                                           r.at("version").at(2).get<int>()};
        const machine::QemuReport report{text(r.at("target")), version,        text(r.at("package")),
                                         probed.machines,       probed.devices, r.at("spice").get<bool>()};
        probed.capabilities = machine::EmulatorCapabilities::from_report(report);
    } catch (const Json::exception&) {
        return false;
    }
    probed.result.emplace(ProbedQemu{binary, from_cache, *probed.capabilities});
    return true;
}

std::unique_ptr<Probed> load_or_ask(const fs::path& binary) {
    const BinaryKey key = key_of(binary);
    const fs::path file = cache_file(key);
    if (std::optional<Json> cached = read_cache(file, key)) {
        auto entry = std::make_unique<Probed>();
        entry->report = std::move(*cached);
        if (build(*entry, binary, true)) return entry;
    }
    auto entry = std::make_unique<Probed>();
    entry->report = ask_qemu(binary);
    if (!build(*entry, binary, false)) io_failure(fmt::format("QEMU binary {} answered QMP unlike QEMU", binary.string()));
    write_cache(file, key, entry->report);
    return entry;
}

}  // namespace

fs::path cache_folder() {
    if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg == '/') return fs::path(xdg) / "guestaddr";
    if (const char* home = std::getenv("HOME"); home && *home) return fs::path(home) / ".cache" / "guestaddr";
    return {};
}

fs::path cache_file(std::string_view kind, const std::string& binary) {
    const fs::path folder = cache_folder();
    if (folder.empty()) return {};
    // FNV-1a: a file name that is the same in every build and every run.
    std::uint64_t hash = 1469598103934665603ULL;
    for (unsigned char c : binary) hash = (hash ^ c) * 1099511628211ULL;
    return folder / kind / fmt::format("{:016x}", hash);
}

// The text goes to a temporary file of its own (mkstemp: unique even
// between processes of other PID namespaces that share the cache folder, as
// parallel test runs do), is flushed to disk, and is renamed over the cache
// file, so a reader sees the old file or the new one, whole, and concurrent
// writers each rename a complete file. A cache that cannot be written only
// costs the next run a question to the program, so failing to write it is
// not an error.
void write_cache_file(const fs::path& file, std::string_view text) {
    if (file.empty()) return;
    std::error_code ec;
    fs::create_directories(file.parent_path(), ec);
    if (ec) return;
    support::replace_file(file.string(), [&](const auto& sink) { sink(text); });  // a cache not written is asked again
}

const ProbedQemu& probe_qemu(const std::string& spec) {
    // check-abi fills in its two definitions on two threads.
    static std::mutex lock;
    const std::scoped_lock hold(lock);
    static std::map<std::string, std::unique_ptr<Probed>> probed;
    const fs::path binary = resolve_binary(spec);
    if (auto it = probed.find(binary.string()); it != probed.end()) return *it->second->result;

    return *probed.emplace(binary.string(), load_or_ask(binary)).first->second->result;
}

const machine::EmulatorCapabilities& capabilities_for(std::string_view spec, std::string_view arch) {
    if (machine::is_qemu_version(spec)) return machine::builtin_capabilities(spec, arch);
    const ProbedQemu& qemu = probe_qemu(std::string(spec));
    const std::string_view guest = arch.empty() ? machine::kDefaultArch : arch;
    if (!qemu.capabilities.runs_arch(guest))
        unsupported(fmt::format("QEMU binary {} emulates {}, not {}", qemu.binary.string(), qemu.capabilities.target,
                                guest));
    return qemu.capabilities;
}

}  // namespace guestaddr::qmp
