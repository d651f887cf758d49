#include "qmp/qemu_probe.hpp"

#include <stdlib.h>
#include <unistd.h>

#include <filesystem>

#include <gtest/gtest.h>

namespace guestaddr::qmp {
namespace {

namespace fs = std::filesystem;
constexpr const char* kHostQemu = "/usr/bin/qemu-system-x86_64";

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
    std::string dir_template = (fs::temp_directory_path() / "guestaddr-cache-XXXXXX").string();
    const fs::path cache = ::mkdtemp(dir_template.data());
    ::setenv("XDG_CACHE_HOME", cache.c_str(), 1);

    const ProbedQemu& probed = probe_qemu(kHostQemu);
    EXPECT_FALSE(probed.from_cache);
    expect_same(probed.capabilities, machine::builtin_capabilities("7.2", "x86_64"));
    EXPECT_EQ(&capabilities_for(kHostQemu, "i686"), &probed.capabilities);
    EXPECT_EQ(&capabilities_for("qemu-system-x86_64", "x86_64"), &probed.capabilities);  // found on PATH

    std::size_t files = 0;
    for (const auto& entry : fs::directory_iterator(cache / "guestaddr" / "qemu")) files += entry.is_regular_file();
    EXPECT_EQ(files, 1u);
    fs::remove_all(cache);
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
