// The flags that choose whose rules and which QEMU apply, shared by every
// command that addresses a definition.
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string_view>

#include "cli/commands.hpp"
#include "model/domain.hpp"
#include "qmp/qemu_probe.hpp"

namespace guestaddr::cli {
namespace {

namespace fs = std::filesystem;

bool executable(const fs::path& path) {
    std::error_code ec;
    return fs::is_regular_file(path, ec) && ::access(path.c_str(), X_OK) == 0;
}

// `name` in a folder of $PATH, as a shell finds it; empty when none has it.
fs::path on_path(std::string_view name) {
    const char* path = std::getenv("PATH");
    if (path == nullptr) return {};
    std::string_view folders(path);
    while (!folders.empty()) {
        const std::size_t colon = folders.find(':');
        const std::string_view folder = folders.substr(0, colon);
        folders = colon == std::string_view::npos ? std::string_view() : folders.substr(colon + 1);
        if (folder.empty()) continue;
        if (fs::path candidate = fs::path(folder) / name; executable(candidate)) return candidate;
    }
    return {};
}

// The QEMU binary libvirt runs a guest of libvirt arch `arch` with.
std::string qemu_binary_name(std::string_view arch) {
    if (arch.empty() || arch == "x86_64") return "qemu-system-x86_64";
    if (arch == "i686") return "qemu-system-i386";
    if (arch == "ppc64le") return "qemu-system-ppc64";
    return "qemu-system-" + std::string(arch);
}

struct HostQemu {
    std::string path;
    std::string why;
};

// The QEMU that will run the guest on this host: the definition's
// <emulator> where that is there to run, else qemu-system-ARCH on PATH
// (for i686, qemu-system-x86_64 too, which runs its guests).
std::optional<HostQemu> find_host_qemu(const Definition& definition) {
    const std::string& emulator = definition.domain().emulator;
    if (!emulator.empty() && executable(emulator)) return HostQemu{emulator, "the definition's <emulator>"};
    const std::string& arch = definition.domain().arch;
    const std::string name = qemu_binary_name(arch);
    if (fs::path found = on_path(name); !found.empty()) return HostQemu{found.string(), name + " on PATH"};
    if (arch == "i686")
        if (fs::path found = on_path("qemu-system-x86_64"); !found.empty())
            return HostQemu{found.string(), "qemu-system-x86_64 on PATH"};
    return std::nullopt;
}

// The version `libvirtd --version` prints ("libvirtd (libvirt) 9.0.0");
// empty when it prints none.
std::string ask_libvirt_version(const fs::path& libvirtd) {
    const std::string command = "'" + libvirtd.string() + "' --version 2>/dev/null";
    FILE* pipe = ::popen(command.c_str(), "r");
    if (pipe == nullptr) return {};
    std::string out;
    std::array<char, 256> chunk{};
    while (std::fgets(chunk.data(), static_cast<int>(chunk.size()), pipe) != nullptr) out += chunk.data();
    ::pclose(pipe);
    while (!out.empty() && (out.back() == '\n' || out.back() == ' ')) out.pop_back();
    const std::size_t space = out.rfind(' ');
    const std::string version = space == std::string::npos ? out : out.substr(space + 1);
    return !version.empty() && version.front() >= '0' && version.front() <= '9' ? version : std::string();
}

// What identifies one build of a program on disk: its path, size and
// modification time; empty when it cannot be looked at.
std::string identity_of(const fs::path& binary) {
    struct stat st {};
    if (::stat(binary.c_str(), &st) != 0) return {};
    return binary.string() + " " + std::to_string(st.st_size) + " " + std::to_string(st.st_mtim.tv_sec) + "." +
           std::to_string(st.st_mtim.tv_nsec);
}

// The version of the libvirtd on PATH; empty without one. Asked once per
// build of libvirtd, then kept in the cache folder: starting libvirtd (a
// shell, then a program of some twenty libraries) costs more than
// assigning a guest of thousands of devices.
std::string host_libvirt_version() {
    const fs::path libvirtd = on_path("libvirtd");
    if (libvirtd.empty()) return {};
    const std::string identity = identity_of(libvirtd);
    const fs::path file = qmp::cache_file("libvirtd", libvirtd.string());
    if (!file.empty() && !identity.empty()) {
        std::ifstream in(file);
        std::string cached_identity, version;
        if (std::getline(in, cached_identity) && cached_identity == identity && std::getline(in, version)) return version;
    }
    const std::string version = ask_libvirt_version(libvirtd);
    if (!identity.empty()) qmp::write_cache_file(file, identity + "\n" + version + "\n");
    return version;
}

// GUESTADDR_HOST=none: look at nothing on the host (the stamp, the flags,
// then the newest built-in pair decide).
bool host_lookup_wanted() {
    const char* host = std::getenv("GUESTADDR_HOST");
    return host == nullptr || std::string_view(host) != "none";
}

}  // namespace

void add_rules_flags(CLI::App& cmd, RulesFlags& flags) {
    cmd.add_option("--libvirt", flags.libvirt,
                   "whose address rules apply: 9.0 or 11.3 (default: the definition's stamp, else the host's "
                   "libvirt, else the newest)");
    cmd.add_option("--qemu", flags.qemu,
                   "the QEMU that runs the guest: 7.2 or 10.0 (default: the host's, else the stamp's, else the one "
                   "the rules' libvirt comes with)");
    cmd.add_flag("--restamp", flags.restamp,
                 "move a guest stamped with other rules to those of --libvirt, reporting every guest-visible change");
    cmd.add_flag("-v,--verbose", flags.verbose,
                 "say on standard error which rules and capabilities apply, and why (assign: and the free hotplug "
                 "capacity)");
}

Result<RulesChoice> choose_rules(Definition& definition, const RulesFlags& flags) {
    AssignOptions options;
    options.libvirt = flags.libvirt;
    options.qemu = flags.qemu;
    options.restamp = flags.restamp;
    std::vector<std::string> host;
    if (!host_lookup_wanted()) {
        host.push_back("host: not looked at (GUESTADDR_HOST=none)");
    } else {
        options.host_looked_at = true;
        // Only what the choice still needs: no QEMU is asked when --qemu
        // names one, no libvirtd when the stamp or --libvirt decides.
        if (flags.qemu.empty()) {
            if (std::optional<HostQemu> qemu = find_host_qemu(definition)) {
                options.host_qemu = qemu->path;
                host.push_back("host: QEMU " + qemu->path + " (" + qemu->why + ")");
            } else {
                host.push_back("host: no QEMU found (no <emulator> to run, no " +
                               qemu_binary_name(definition.domain().arch) + " on PATH)");
            }
        }
        if (flags.libvirt.empty() && !definition.domain().stamp) {
            options.host_libvirt = host_libvirt_version();
            host.push_back(options.host_libvirt.empty() ? std::string("host: no libvirtd on PATH")
                                                        : "host: libvirt " + options.host_libvirt + " (libvirtd --version)");
        }
    }
    auto chosen = guestaddr::choose_rules(definition, options);
    if (chosen && flags.verbose) {
        for (const std::string& line : host) std::cerr << "guestaddr: " << line << '\n';
        for (const std::string& reason : chosen->reasons) std::cerr << "guestaddr: " << reason << '\n';
    }
    return chosen;
}

}  // namespace guestaddr::cli
