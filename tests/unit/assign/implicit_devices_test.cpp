#include <gtest/gtest.h>

#include "support.hpp"

namespace guestaddr::testing {
namespace {

TEST(Canonicalise, AliasesBecomeVersionedMachineTypes) {
    EXPECT_EQ(assigned("pc", "").domain().machine, "pc-i440fx-7.2");
    EXPECT_EQ(assigned("q35", "").domain().machine, "pc-q35-7.2");
    EXPECT_EQ(assigned("pc-q35-4.2", "").domain().machine, "pc-q35-4.2");
}

TEST(Canonicalise, MachineTypesQemuDoesNotHaveAreRefused) {
    for (const char* machine : {"pc-1.2", "pc-q35-8.1", "pc-q35-2.3", "virt"}) {
        auto errors = assign_errors(machine, "");
        ASSERT_EQ(errors.size(), 1u) << machine;
        EXPECT_EQ(errors[0].kind, ErrorKind::Unsupported);
    }
}

TEST(ImplicitDevices, PcGetsPciRootUsbBalloonAndPs2) {
    Definition d = assigned("pc", "");
    EXPECT_EQ(device(d, "controller pci 0").model, "pci-root");
    EXPECT_EQ(device(d, "controller usb 0").model, "piix3-uhci");
    EXPECT_EQ(device(d, "memballoon #0").model, "virtio");
    EXPECT_EQ(device(d, "input #0").type, "mouse");
    EXPECT_EQ(device(d, "input #1").type, "keyboard");
    EXPECT_THROW(device(d, "controller sata 0"), std::runtime_error);
}

TEST(ImplicitDevices, Q35GetsPcieRootSataAndXhci) {
    Definition d = assigned("q35", "");
    EXPECT_EQ(device(d, "controller pci 0").model, "pcie-root");
    EXPECT_EQ(device(d, "controller usb 0").model, "qemu-xhci");
    EXPECT_NO_THROW(device(d, "controller sata 0"));
}

TEST(ImplicitDevices, UsbControllerWithoutModelIsPiix3EvenOnQ35) {
    Definition d = assigned("q35", "<controller type='usb' index='0'/>");
    EXPECT_EQ(device(d, "controller usb 0").model, "piix3-uhci");
}

TEST(ImplicitDevices, GraphicsWithoutVideoGetsAPrimaryCirrus) {
    Definition d = assigned("q35", "<graphics type='vnc'/>");
    EXPECT_EQ(device(d, "video #0").model, "cirrus");
    EXPECT_EQ(pci_of(d, "video #0"), "0000:00:01.0");
}

TEST(ImplicitDevices, FirstIsaSerialGetsAConsole) {
    Definition d = assigned("pc", "<serial type='pty'/>");
    EXPECT_EQ(device(d, "serial #0").target_type, "isa-serial");
    EXPECT_EQ(device(d, "serial #0").target_port, 0u);
    EXPECT_EQ(device(d, "console #0").target_type, "serial");
}

TEST(ImplicitDevices, CryptoIsDroppedAsLibvirt90Does) {
    Definition d = assigned("q35", "<crypto model='virtio' type='qemu'><backend model='builtin'/></crypto>");
    EXPECT_EQ(format(d).find("<crypto"), std::string::npos);
}

}  // namespace
}  // namespace guestaddr::testing
