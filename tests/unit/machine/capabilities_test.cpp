#include "machine/capabilities.hpp"

#include <gtest/gtest.h>

#include "guestaddr/error.hpp"

namespace guestaddr::machine {
namespace {

std::string refusal(auto&& call) {
    try {
        call();
    } catch (const Failure& f) {
        EXPECT_EQ(f.error().kind, ErrorKind::Unsupported);
        return f.error().message;
    }
    ADD_FAILURE() << "not refused";
    return "";
}

TEST(Capabilities, Qemu72PinsAliasesAndTheDefaultAsLibvirt9Did) {
    const EmulatorCapabilities& caps = builtin_capabilities("7.2", "x86_64");
    EXPECT_EQ(caps.version, (QemuVersion{7, 2, 22}));
    EXPECT_EQ(resolve_machine(caps, "x86_64", "pc").canonical, "pc-i440fx-7.2");
    EXPECT_EQ(resolve_machine(caps, "x86_64", "q35").canonical, "pc-q35-7.2");
    EXPECT_EQ(resolve_machine(caps, "x86_64", "").canonical, "pc-i440fx-7.2");
    EXPECT_EQ(resolve_machine(caps, "x86_64", "pc-q35-2.10").chipset, Chipset::Q35);
    EXPECT_EQ(resolve_machine(caps, "x86_64", "isapc").chipset, Chipset::Isapc);
    EXPECT_EQ(refusal([&] { resolve_machine(caps, "x86_64", "pc-q35-8.1"); }),
              "the emulator for x86_64 does not support machine type 'pc-q35-8.1'");
}

TEST(Capabilities, Qemu100KnowsItsOwnMachineTypesAndKeepsOldOnes) {
    const EmulatorCapabilities& caps = builtin_capabilities("10.0", "x86_64");
    EXPECT_EQ(caps.version.major, 10);
    EXPECT_EQ(resolve_machine(caps, "x86_64", "q35").canonical, "pc-q35-10.0");
    EXPECT_EQ(resolve_machine(caps, "x86_64", "pc").canonical, "pc-i440fx-10.0");
    EXPECT_EQ(resolve_machine(caps, "x86_64", "pc-q35-8.1").chipset, Chipset::Q35);
    EXPECT_EQ(resolve_machine(caps, "x86_64", "pc-q35-7.2").chipset, Chipset::Q35);
    EXPECT_EQ(resolve_machine(caps, "x86_64", "pc-i440fx-7.2").chipset, Chipset::I440fx);
}

TEST(Capabilities, EveryArchOfEveryBuiltinVersion) {
    for (std::string_view version : builtin_qemu_versions()) {
        const std::string suffix = "-" + std::string(version);
        EXPECT_EQ(resolve_machine(builtin_capabilities(version, "aarch64"), "aarch64", "virt").canonical, "virt" + suffix);
        EXPECT_EQ(resolve_machine(builtin_capabilities(version, "ppc64le"), "ppc64le", "").canonical, "pseries" + suffix);
        EXPECT_EQ(resolve_machine(builtin_capabilities(version, "s390x"), "s390x", "").canonical,
                  "s390-ccw-virtio" + suffix);
        EXPECT_EQ(&builtin_capabilities(version, "i686"), &builtin_capabilities(version, "x86_64"));
        EXPECT_EQ(&builtin_capabilities(version, ""), &builtin_capabilities(version, "x86_64"));
    }
}

TEST(Capabilities, MachineNamesGetGuestaddrsChipsets) {
    const EmulatorCapabilities& arm = builtin_capabilities("7.2", "aarch64");
    EXPECT_EQ(arm.default_machine, "");  // QEMU names none: libvirt's rule decides
    EXPECT_EQ(resolve_machine(arm, "aarch64", "").canonical, "integratorcp");
    EXPECT_EQ(resolve_machine(arm, "aarch64", "vexpress-a15").chipset, Chipset::ArmVexpress);
    EXPECT_EQ(resolve_machine(arm, "aarch64", "versatilepb").chipset, Chipset::ArmVersatilePb);
    EXPECT_EQ(resolve_machine(arm, "aarch64", "raspi3b").chipset, Chipset::ArmBoard);
    EXPECT_EQ(resolve_machine(arm, "aarch64", "", "virt").canonical, "virt-7.2");
    // PowerPC boards other than pseries are not addressed by guestaddr.
    EXPECT_EQ(refusal([] { resolve_machine(builtin_capabilities("7.2", "ppc64"), "ppc64", "powernv"); }),
              "the emulator for ppc64 does not support machine type 'powernv'");
}

TEST(Capabilities, DeviceModelsAreQemusOwnList) {
    const EmulatorCapabilities& caps = builtin_capabilities("10.0", "x86_64");
    EXPECT_TRUE(caps.has_device_type("virtio-net-pci"));
    EXPECT_TRUE(caps.has_device_type("pcie-root-port"));
    EXPECT_FALSE(caps.has_device_type("virtio-net"));  // abstract-free: a model, not a base
    EXPECT_FALSE(caps.has_device_type("no-such-device"));
    EXPECT_FALSE(builtin_capabilities("7.2", "s390x").has_device_type("piix3-ide"));
}

TEST(Capabilities, UnknownVersionsAndArchesAreRefused) {
    EXPECT_EQ(refusal([] { builtin_capabilities("9.1", "x86_64"); }),
              "QEMU 9.1 is not built into guestaddr (it knows 7.2, 10.0); give the path of its binary instead");
    EXPECT_EQ(refusal([] { builtin_capabilities("7.2", "mips64"); }),
              "architecture 'mips64' is not supported (guestaddr knows x86_64, i686, s390x, aarch64, armv7l, ppc64, "
              "ppc64le, riscv64)");
    EXPECT_EQ(refusal([] { builtin_capabilities("10.0", "mips64"); }),
              "architecture 'mips64' is not supported (guestaddr knows x86_64, i686, s390x, aarch64, armv7l, ppc64, "
              "ppc64le, riscv64)");
}

// Both tables were generated from every emulator guestaddr knows.
TEST(Capabilities, EveryArchInBothTables) {
    for (const char* version : {"7.2", "10.0"})
        for (const char* arch : {"x86_64", "i686", "aarch64", "armv7l", "ppc64", "ppc64le", "riscv64", "s390x"})
            EXPECT_NO_THROW(builtin_capabilities(version, arch)) << version << " " << arch;
    EXPECT_TRUE(builtin_capabilities("10.0", "riscv64").has_device_type("virtio-net-pci"));
    EXPECT_TRUE(builtin_capabilities("10.0", "armv7l").has_device_type("pcie-root-port"));
}

TEST(Capabilities, VersionOrPath) {
    EXPECT_TRUE(is_qemu_version("7.2"));
    EXPECT_TRUE(is_qemu_version("10.0"));
    EXPECT_FALSE(is_qemu_version("/usr/bin/qemu-system-x86_64"));
    EXPECT_FALSE(is_qemu_version("qemu-system-x86_64"));
    EXPECT_FALSE(is_qemu_version("7."));
    EXPECT_FALSE(is_qemu_version("7.2.0"));
}

}  // namespace
}  // namespace guestaddr::machine
