#include <gtest/gtest.h>

#include "support.hpp"

namespace guestaddr::testing {
namespace {

const std::string kVirtioNic = "<interface type='user'><mac address='52:54:00:00:00:01'/><model type='virtio'/></interface>";
const std::string kE1000 = "<interface type='user'><mac address='52:54:00:00:00:02'/><model type='e1000'/></interface>";

std::string virtio_disk(const std::string& name) {
    return "<disk type='file' device='disk'><source file='/x/" + name + "'/><target dev='" + name +
           "' bus='virtio'/></disk>";
}

TEST(PciAssignerPc, ChipsetUsbAtSlotOneVideoAtTwoThenFirstFit) {
    Definition d = assigned("pc", "<video><model type='vga'/></video>" + kVirtioNic);
    EXPECT_EQ(pci_of(d, "controller usb 0"), "0000:00:01.2");
    EXPECT_EQ(pci_of(d, "video #0"), "0000:00:02.0");
    EXPECT_EQ(pci_of(d, "interface 52:54:00:00:00:01"), "0000:00:03.0");
    EXPECT_EQ(pci_of(d, "memballoon #0"), "0000:00:04.0");
}

TEST(PciAssignerPc, VideoMovesWhenSlotTwoIsTaken) {
    Definition d = assigned("pc",
                            "<interface type='user'><mac address='52:54:00:00:00:01'/><model type='virtio'/>"
                            "<address type='pci' domain='0' bus='0' slot='2' function='0'/></interface>"
                            "<video><model type='vga'/></video>");
    EXPECT_EQ(pci_of(d, "video #0"), "0000:00:03.0");
}

TEST(PciAssignerPc, SpareSlotForcesABridgeWhenBusZeroWouldFill) {
    std::string disks;
    for (char c = 'a'; c <= 'z'; ++c) disks += virtio_disk(std::string("vd") + c);
    disks += virtio_disk("vdaa") + virtio_disk("vdab") + virtio_disk("vdac");
    // 29 disks and the balloon fill slots 2..31, leaving no spare slot: a
    // bridge is added (and, as a controller, placed first).
    Definition d = assigned("pc", disks);
    EXPECT_EQ(device(d, "controller pci 1").model, "pci-bridge");
    EXPECT_EQ(pci_of(d, "controller pci 1"), "0000:00:02.0");
    EXPECT_EQ(device(d, "controller pci 1").extras().ctarget.chassis_nr, 1u);
}

TEST(PciAssignerQ35, EveryPcieEndpointGetsARootPortPackedEightPerSlot) {
    std::string nics;
    for (int i = 0; i < 9; ++i)
        nics += "<interface type='user'><mac address='52:54:00:00:01:0" + std::to_string(i) +
                "'/><model type='virtio'/></interface>";
    Definition d = assigned("q35", nics);
    EXPECT_EQ(pci_of(d, "controller pci 1"), "0000:00:01.0");
    EXPECT_EQ(device(d, "controller pci 1").pci()->multifunction, Multifunction::On);
    EXPECT_EQ(pci_of(d, "controller pci 8"), "0000:00:01.7");
    EXPECT_EQ(pci_of(d, "controller pci 9"), "0000:00:02.0");
    EXPECT_EQ(device(d, "controller pci 9").extras().ctarget.port, 0x10u);
    EXPECT_EQ(device(d, "controller pci 9").extras().ctarget.chassis, 9u);
    EXPECT_EQ(pci_of(d, "interface 52:54:00:00:01:00"), "0000:01:00.0");
}

TEST(PciAssignerQ35, FreshTopologyGetsOneSpareRootPort) {
    Definition d = assigned("q35", kVirtioNic);
    // nic, usb (qemu-xhci), balloon, and one empty port for hotplug
    EXPECT_EQ(device(d, "controller pci 4").model, "pcie-root-port");
    EXPECT_THROW(device(d, "controller pci 5"), std::runtime_error);
}

TEST(PciAssignerQ35, DeclaredPortsMeanNoSparePort) {
    Definition d = assigned("q35", "<controller type='pci' index='1' model='pcie-root-port'/>" + kVirtioNic);
    EXPECT_EQ(pci_of(d, "interface 52:54:00:00:00:01"), "0000:01:00.0");
    EXPECT_THROW(device(d, "controller pci 4"), std::runtime_error);
}

TEST(PciAssignerQ35, ConventionalPciGoesBehindAPcieToPciBridge) {
    Definition d = assigned("q35", kE1000);
    EXPECT_EQ(device(d, "controller pci 2").model, "pcie-to-pci-bridge");
    EXPECT_EQ(pci_of(d, "controller pci 2"), "0000:01:00.0");
    EXPECT_EQ(pci_of(d, "interface 52:54:00:00:00:02"), "0000:02:01.0");
}

TEST(PciAssignerQ35, SataSitsAtSlot1fFunctionTwo) {
    Definition d = assigned("q35", "");
    EXPECT_EQ(pci_of(d, "controller sata 0"), "0000:00:1f.2");
}

TEST(PciAssigner, ExplicitAddressesAreKept) {
    Definition d = assigned("q35",
                            "<controller type='pci' index='1' model='pcie-root-port'>"
                            "<address type='pci' domain='0' bus='0' slot='9' function='0'/></controller>" +
                                std::string("<interface type='user'><mac address='52:54:00:00:00:01'/><model type='virtio'/>"
                                            "<address type='pci' domain='0x0000' bus='0x01' slot='0x00' function='0x0'/></interface>"));
    EXPECT_EQ(pci_of(d, "controller pci 1"), "0000:00:09.0");
    EXPECT_EQ(pci_of(d, "interface 52:54:00:00:00:01"), "0000:01:00.0");
}

TEST(PciAssigner, FunctionZeroBecomesMultifunctionWhenItsSlotIsShared) {
    Definition d = assigned("pc",
                            "<interface type='user'><mac address='52:54:00:00:00:01'/><model type='virtio'/>"
                            "<address type='pci' domain='0' bus='0' slot='5' function='0'/></interface>"
                            "<interface type='user'><mac address='52:54:00:00:00:02'/><model type='virtio'/>"
                            "<address type='pci' domain='0' bus='0' slot='5' function='1'/></interface>");
    EXPECT_EQ(device(d, "interface 52:54:00:00:00:01").pci()->multifunction, Multifunction::On);
}

TEST(PciAssigner, DoubleUseNamesTheDevice) {
    auto errors = assign_errors("pc",
                                "<interface type='user'><mac address='52:54:00:00:00:01'/>"
                                "<address type='pci' domain='0' bus='0' slot='5' function='0'/></interface>"
                                "<interface type='user'><mac address='52:54:00:00:00:02'/>"
                                "<address type='pci' domain='0' bus='0' slot='5' function='0'/></interface>");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].kind, ErrorKind::AddressConflict);
    EXPECT_EQ(errors[0].device, "interface 52:54:00:00:00:02");
}

TEST(PciAssigner, PcieRootPortCannotBePlacedOnPc) {
    auto errors = assign_errors("pc", "<controller type='pci' index='1' model='pcie-root-port'/>");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].device, "controller pci 1");
    EXPECT_NE(errors[0].message.find("pcie-root-port"), std::string::npos);
}

TEST(PciAssigner, DomainOtherThanZeroIsRefused) {
    auto errors = assign_errors("pc",
                                "<interface type='user'><mac address='52:54:00:00:00:01'/>"
                                "<address type='pci' domain='1' bus='0' slot='5' function='0'/></interface>");
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].kind, ErrorKind::InvalidAddress);
}

TEST(PciAssigner, ExplicitBusWithoutControllerAddsBridgesUpToIt) {
    Definition d = assigned("pc",
                            "<interface type='user'><mac address='52:54:00:00:00:01'/><model type='e1000'/>"
                            "<address type='pci' domain='0' bus='2' slot='1' function='0'/></interface>");
    EXPECT_EQ(device(d, "controller pci 1").model, "pci-bridge");
    EXPECT_EQ(device(d, "controller pci 2").model, "pci-bridge");
    EXPECT_EQ(pci_of(d, "controller pci 2").substr(0, 7), "0000:00");
}

}  // namespace
}  // namespace guestaddr::testing
