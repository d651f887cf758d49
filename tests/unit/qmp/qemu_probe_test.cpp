#include "qmp/qemu_probe.hpp"

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

namespace guestaddr::qmp {
namespace {

namespace fs = std::filesystem;
constexpr const char* kHostQemu = "/usr/bin/qemu-system-x86_64";

// QEMU 10.0 as tests/qemu/install-qemu-10.sh unpacks it (GUESTADDR_QEMU_10
// names another), and the same QEMU without qemu-system-modules-spice.
std::string qemu_10(const char* variant = "") {
    const char* given = std::getenv("GUESTADDR_QEMU_10");
    const fs::path bin = given ? fs::path(given) : fs::path("/opt/guestaddr/qemu-10.0/bin/qemu-system-x86_64");
    if (!*variant) return bin.string();
    return (bin.parent_path().parent_path() / variant / "bin" / bin.filename()).string();
}

class CacheFolder {
public:
    CacheFolder() {
        std::string dir_template = (fs::temp_directory_path() / "guestaddr-cache-XXXXXX").string();
        path_ = ::mkdtemp(dir_template.data());
        ::setenv("XDG_CACHE_HOME", path_.c_str(), 1);
    }
    ~CacheFolder() { fs::remove_all(path_); }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

void expect_same(const machine::EmulatorCapabilities& probed, const machine::EmulatorCapabilities& builtin) {
    EXPECT_EQ(probed.target, builtin.target);
    EXPECT_EQ(probed.version, builtin.version);
    EXPECT_EQ(probed.default_machine, builtin.default_machine);
    ASSERT_EQ(probed.machines.size(), builtin.machines.size());
    for (std::size_t i = 0; i < probed.machines.size(); ++i) {
        EXPECT_EQ(probed.machines[i].name, builtin.machines[i].name);
        EXPECT_EQ(probed.machines[i].chipset, builtin.machines[i].chipset);
    }
    ASSERT_EQ(probed.aliases.size(), builtin.aliases.size());
    for (std::size_t i = 0; i < probed.aliases.size(); ++i) {
        EXPECT_EQ(probed.aliases[i].alias, builtin.aliases[i].alias);
        EXPECT_EQ(probed.aliases[i].target, builtin.aliases[i].target);
    }
    EXPECT_TRUE(std::ranges::equal(probed.device_types, builtin.device_types));
}

// The host's QEMU 7.2 probed over QMP has the built-in 7.2 table's
// capabilities (the table was generated from it), and the answers are cached.
TEST(QemuProbe, HostQemuMatchesTheBuiltinTableAndIsCached) {
    if (::access(kHostQemu, X_OK) != 0) GTEST_SKIP() << "qemu-system-x86_64 is not installed";
    CacheFolder cache;
    const ProbedQemu& probed = probe_qemu(kHostQemu);
    EXPECT_FALSE(probed.from_cache);
    expect_same(probed.capabilities, machine::builtin_capabilities("7.2", "x86_64"));
    EXPECT_EQ(&capabilities_for(kHostQemu, "i686"), &probed.capabilities);
    EXPECT_EQ(&capabilities_for("qemu-system-x86_64", "x86_64"), &probed.capabilities);  // found on PATH

    std::size_t files = 0;
    for (const auto& entry : fs::directory_iterator(cache.path() / "guestaddr" / "qemu"))
        files += entry.is_regular_file();
    EXPECT_EQ(files, 1u);
}

TEST(QemuProbe, Qemu100MatchesTheBuiltinTable) {
    if (::access(qemu_10().c_str(), X_OK) != 0) GTEST_SKIP() << "QEMU 10.0 is not installed (tests/qemu/install-qemu-10.sh)";
    CacheFolder cache;
    const machine::EmulatorCapabilities& probed = capabilities_for(qemu_10(), "x86_64");
    expect_same(probed, machine::builtin_capabilities("10.0", "x86_64"));
    EXPECT_TRUE(probed.has_device_type("qxl-vga"));
}

// Debian's QEMU 10.0 has qxl in qemu-system-modules-spice: without that
// package, QEMU does not list the device.
TEST(QemuProbe, AMissingModuleMeansMissingDeviceModels) {
    if (::access(qemu_10("nospice").c_str(), X_OK) != 0) GTEST_SKIP() << "QEMU 10.0 is not installed";
    CacheFolder cache;
    const machine::EmulatorCapabilities& probed = capabilities_for(qemu_10("nospice"), "x86_64");
    EXPECT_EQ(probed.version.major, 10);
    EXPECT_FALSE(probed.has_device_type("qxl-vga"));
    EXPECT_FALSE(probed.has_device_type("qxl"));
    EXPECT_TRUE(probed.has_device_type("VGA"));
}

TEST(QemuProbe, ArchTheBinaryDoesNotRunIsRefused) {
    if (::access(kHostQemu, X_OK) != 0) GTEST_SKIP() << "qemu-system-x86_64 is not installed";
    try {
        capabilities_for(kHostQemu, "aarch64");
        FAIL() << "an x86 QEMU was taken for an aarch64 guest";
    } catch (const Failure& f) {
        EXPECT_EQ(f.error().kind, ErrorKind::Unsupported);
        EXPECT_NE(f.error().message.find("emulates x86_64, not aarch64"), std::string::npos) << f.error().message;
    }
}

TEST(QemuProbe, ABinaryThatIsNotQemuIsAnIoError) {
    for (const char* binary : {"/nonexistent/qemu-system-x86_64", "/bin/true"}) {
        try {
            probe_qemu(binary);
            FAIL() << binary << " was taken for a QEMU";
        } catch (const Failure& f) {
            EXPECT_EQ(f.error().kind, ErrorKind::Io) << f.error().message;
            EXPECT_NE(f.error().message.find(binary), std::string::npos) << f.error().message;
        }
    }
}

}  // namespace
}  // namespace guestaddr::qmp
