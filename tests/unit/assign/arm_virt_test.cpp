// aarch64: machine types, the devices libvirt adds and the defaults it
// fills in, virtio on PCI Express or virtio-mmio, and the ARM refusals.
#include <gtest/gtest.h>

#include <fmt/format.h>

#include "support.hpp"

namespace guestaddr::testing {
namespace {

std::string arm_xml(const std::string& machine, const std::string& devices) {
    const std::string machine_attr = machine.empty() ? "" : fmt::format(" machine='{}'", machine);
    return fmt::format(
        "<domain type='qemu'><name>t</name><memory unit='MiB'>512</memory>"
        "<os><type arch='aarch64'{}>hvm</type></os><devices>{}</devices></domain>",
        machine_attr, devices);
}

Result<Definition> arm_assign(const std::string& machine, const std::string& devices) {
    auto parsed = parse(arm_xml(machine, devices));
    if (!parsed) return parsed.errors();
    return assign(std::move(*parsed), libvirt_9_0_rules());
}

Definition arm_assigned(const std::string& machine, const std::string& devices) {
    auto result = arm_assign(machine, devices);
    if (!result) throw std::runtime_error("assign failed: " + result.errors().front().to_string());
    return std::move(*result);
}

std::string address_type(const Definition& d, const std::string& who) {
    return address_type_name(device(d, who).address);
}

constexpr const char* kVirtioNic = "<interface type='user'><mac address='52:54:00:00:00:01'/><model type='virtio'/></interface>";
constexpr const char* kMmioDisk =
    "<disk type='file' device='disk'><source file='/z.img'/><target dev='vdz' bus='virtio'/><address type='virtio-mmio'/></disk>";

TEST(ArmMachine, VirtIsTheVersionedVirtAndNoMachineIsIntegratorcp) {
    EXPECT_EQ(arm_assigned("virt", "").domain().machine, "virt-7.2");
    EXPECT_EQ(arm_assigned("virt-4.0", "").domain().machine, "virt-4.0");
    EXPECT_EQ(arm_assigned("", "").domain().machine, "integratorcp");
    auto refused = arm_assign("virt-8.0", "");
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.errors().front().kind, ErrorKind::Unsupported);
}

TEST(ArmMachine, VirtGetsAPcieRootAndNothingElse) {
    Definition d = arm_assigned("virt", "");
    ASSERT_EQ(d.domain().devices.size(), 1u);
    EXPECT_EQ(device(d, "controller pci 0").model, "pcie-root");
}

TEST(ArmMachine, DefaultsAreVirtioXhciAndUsbInputs) {
    Definition d = arm_assigned("virt",
                                "<controller type='usb'/><interface type='user'><mac address='52:54:00:00:00:01'/>"
                                "</interface><input type='keyboard'/><graphics type='vnc'/>");
    EXPECT_EQ(device(d, "controller usb 0").model, "qemu-xhci");
    EXPECT_EQ(device(d, "interface 52:54:00:00:00:01").model, "virtio");
    EXPECT_EQ(device(d, "input #0").bus, "usb");
    EXPECT_EQ(device(d, "video #0").model, "virtio");
}

TEST(ArmMachine, SerialPortsArePl011AndTheFirstHasAConsole) {
    Definition d = arm_assigned("virt", "<serial type='pty'><target type='isa-serial'/></serial><serial type='pty'/>");
    for (const char* serial : {"serial #0", "serial #1"}) {
        EXPECT_EQ(device(d, serial).target_type, "system-serial");
        EXPECT_EQ(device(d, serial).extras().target_model, "pl011");
    }
    EXPECT_EQ(device(d, "console #0").target_type, "serial");
}

TEST(ArmMachine, AConsoleAloneGetsAPl011SerialPort) {
    Definition d = arm_assigned("virt", "<console type='pty'/>");
    EXPECT_EQ(device(d, "serial #0").target_type, "system-serial");
    EXPECT_EQ(device(d, "serial #0").extras().target_model, "pl011");
}

TEST(ArmPci, VirtioDevicesGetRootPortsFromSlotOne) {
    Definition d = arm_assigned("virt", kVirtioNic);
    EXPECT_EQ(pci_of(d, "controller pci 1"), "0000:00:01.0");
    EXPECT_EQ(pci_of(d, "interface 52:54:00:00:00:01"), "0000:01:00.0");
    EXPECT_EQ(device(d, "controller pci 2").model, "pcie-root-port");  // the spare one
}

TEST(ArmVirtioMmio, OneVirtioMmioDeviceMovesEveryVirtioDeviceWithoutAnAddress) {
    Definition d = arm_assigned(
        "virt", std::string(kMmioDisk) + kVirtioNic +
                    "<interface type='user'><mac address='52:54:00:00:00:02'/><model type='virtio'/>"
                    "<address type='pci'/></interface>"
                    "<interface type='user'><mac address='52:54:00:00:00:03'/><model type='e1000'/></interface>"
                    "<controller type='scsi' model='lsilogic'/>");
    EXPECT_EQ(address_type(d, "interface 52:54:00:00:00:01"), "virtio-mmio");
    EXPECT_EQ(address_type(d, "controller scsi 0"), "virtio-mmio");
    EXPECT_EQ(address_type(d, "interface 52:54:00:00:00:02"), "pci");  // asked for PCI
    EXPECT_EQ(address_type(d, "interface 52:54:00:00:00:03"), "pci");  // not virtio
}

TEST(ArmVirtioMmio, VersatileExpressHasVirtioMmioOnly) {
    Definition d = arm_assigned("vexpress-a15", kVirtioNic);
    EXPECT_EQ(address_type(d, "interface 52:54:00:00:00:01"), "virtio-mmio");
}

TEST(ArmVirtioMmio, BoardsWithoutPciLeaveVirtioDevicesUnaddressed) {
    Definition d = arm_assigned("integratorcp", kVirtioNic);
    EXPECT_FALSE(device(d, "interface 52:54:00:00:00:01").has_address());
}

TEST(ArmVirtioMmio, X86KeepsAVirtioMmioDisk) {
    Definition d = assigned("pc", kMmioDisk);
    EXPECT_EQ(address_type(d, "disk 'vdz'"), "virtio-mmio");
}

TEST(ArmRules, PcDevicesAreRefused) {
    for (const char* devices : {"<input type='mouse' bus='ps2'/>", "<panic model='isa'/>", "<iommu model='intel'/>",
                                "<video><model type='qxl'/></video>", "<input type='tablet' bus='usb'/>",
                                "<serial type='pty'><target type='isa-debug'/></serial>"}) {
        auto result = arm_assign("virt", devices);
        EXPECT_FALSE(result) << devices;
    }
}

}  // namespace
}  // namespace guestaddr::testing
