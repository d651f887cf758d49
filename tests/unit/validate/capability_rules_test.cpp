#include "validate/capability_rules.hpp"

#include <gtest/gtest.h>

#include "machine/capabilities.hpp"
#include "support.hpp"

namespace guestaddr::validation {
namespace {

using machine::EmulatorCapabilities;

// QEMU 10.0's x86 capabilities less some device types and SPICE, as a host
// without qemu-system-modules-spice has them.
class Without {
public:
    Without(std::initializer_list<std::string_view> missing, bool spice) {
        const EmulatorCapabilities& full = machine::builtin_capabilities("10.0", "x86_64");
        for (std::string_view t : full.device_types)
            if (std::ranges::find(missing, t) == missing.end()) types_.push_back(t);
        caps_ = full;
        caps_.device_types = types_;
        caps_.spice = spice;
    }
    std::vector<Error> errors(const std::string& devices) const {
        Definition definition = testing::assigned("q35", devices);  // addressed on the full QEMU
        const machine::MachineProfile profile = machine::resolve_machine(caps_, "x86_64", "q35");
        std::vector<Error> out;
        check_emulator_capabilities(definition.domain(), profile, out);
        return out;
    }

private:
    std::vector<std::string_view> types_;
    EmulatorCapabilities caps_;
};

TEST(CapabilityRules, AVideoModelQemuLacksIsRefusedInLibvirtsWords) {
    const Without no_qxl({"qxl", "qxl-vga"}, false);
    auto errors = no_qxl.errors("<graphics type='vnc'/><video><model type='qxl'/></video>");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].kind, ErrorKind::Unsupported);
    EXPECT_EQ(errors[0].to_string(), "video #0: domain configuration does not support video model 'qxl'");
    EXPECT_TRUE(no_qxl.errors("<graphics type='vnc'/><video><model type='vga'/></video>").empty());
}

TEST(CapabilityRules, SpiceNeedsItsModule) {
    auto errors = Without({}, false).errors("<graphics type='spice'/><video><model type='vga'/></video>");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].to_string(), "graphics #0: spice graphics are not supported with this QEMU");
    EXPECT_TRUE(Without({}, true).errors("<graphics type='spice'/>").empty());
}

TEST(CapabilityRules, RngAndOtherVideoModelsFollowTheirQemuTypes) {
    auto errors = Without({"virtio-rng-pci", "virtio-rng-device", "virtio-gpu-pci", "virtio-gpu-device"}, true)
                      .errors("<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>"
                              "<video><model type='virtio'/></video>");
    ASSERT_EQ(errors.size(), 2u);
    EXPECT_EQ(errors[0].message, "domain configuration does not support rng model 'virtio'");  // libvirt's device order
    EXPECT_EQ(errors[1].message, "domain configuration does not support video model 'virtio'");
}

TEST(CapabilityRules, TheBuiltinQemusHaveEverythingTheCorpusUses) {
    for (std::string_view version : machine::builtin_qemu_versions()) {
        const EmulatorCapabilities& caps = machine::builtin_capabilities(version, "x86_64");
        EXPECT_TRUE(caps.spice) << version;
        EXPECT_TRUE(caps.has_device_type("qxl-vga")) << version;
    }
}

}  // namespace
}  // namespace guestaddr::validation
