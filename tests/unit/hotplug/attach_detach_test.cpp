#include "guestaddr/hotplug.hpp"

#include <gtest/gtest.h>

#include <fmt/format.h>

#include "support.hpp"

namespace guestaddr::testing {
namespace {

const char* kNic = "<interface type='user'><mac address='52:54:00:aa:00:01'/><model type='virtio'/></interface>";

Definition reparsed(const Definition& d) { return std::move(*parse(format(d))); }

// The same guest with ACPI, as a guest that takes PCI hotplug has.
Definition with_acpi(const Definition& d) {
    std::string text = format(d);
    text.insert(text.find("<devices>"), "<features><acpi/></features>");
    return std::move(*parse(text));
}

TEST(Attach, ColdTakesTheSparePortAndMovesNothing) {
    Definition before = reparsed(
        assigned("q35", "<interface type='user'><mac address='52:54:00:00:00:01'/><model type='virtio'/></interface>"));
    const std::string nic_before = pci_of(before, "interface 52:54:00:00:00:01");
    auto attached = attach(reparsed(before), kNic, Plug::Cold);
    ASSERT_TRUE(attached.ok()) << attached.errors().front().to_string();
    EXPECT_EQ(pci_of(attached->definition, "interface 52:54:00:00:00:01"), nic_before);
    EXPECT_EQ(pci_of(attached->definition, "interface 52:54:00:aa:00:01"), "0000:04:00.0");  // the spare port
}

TEST(Attach, ColdAddsARootPortWhenNoneIsFree) {
    Definition before = reparsed(assigned("q35", kNic));
    auto attached = attach(reparsed(before), "<interface type='user'><mac address='52:54:00:aa:00:02'/></interface>",
                           Plug::Cold);
    ASSERT_TRUE(attached.ok());
    auto third = attach(std::move(attached->definition),
                        "<interface type='user'><mac address='52:54:00:aa:00:03'/><model type='virtio'/></interface>",
                        Plug::Cold);
    ASSERT_TRUE(third.ok()) << third.errors().front().to_string();
    EXPECT_EQ(device(third->definition, "controller pci 5").model, "pcie-root-port");
}

TEST(Attach, LiveNeedsAnExistingHotpluggablePlace) {
    Definition full = with_acpi(assigned("q35", "<controller type='pci' index='1' model='pcie-root-port'/>" + std::string(kNic)));
    auto attached = attach(std::move(full), "<interface type='user'><mac address='52:54:00:aa:00:09'/><model type='virtio'/></interface>",
                           Plug::Live);
    ASSERT_FALSE(attached.ok());
    EXPECT_EQ(attached.errors().front().kind, ErrorKind::Exhausted);
}

TEST(Attach, LiveSkipsPortsWithHotplugOff) {
    Definition d = with_acpi(assigned("q35",
                                     "<controller type='pci' index='1' model='pcie-root-port'><target hotplug='off'/></controller>"
                                     "<controller type='pci' index='2' model='pcie-root-port'/>"
                                     "<controller type='pci' index='3' model='pcie-root-port'/>"
                                     "<controller type='pci' index='4' model='pcie-root-port'/>"));
    auto attached = attach(std::move(d), kNic, Plug::Live);
    ASSERT_TRUE(attached.ok()) << attached.errors().front().to_string();
    EXPECT_NE(pci_of(attached->definition, "interface 52:54:00:aa:00:01").substr(0, 7), "0000:01");
}

// QEMU signals PCI hotplug to a PC guest through ACPI; without it the
// guest never sees the device (q35: it drops every PCI device instead).
TEST(Attach, LivePciHotplugIntoAGuestWithoutAcpiIsRefusedWithTheReason) {
    for (const char* machine : {"q35", "pc"}) {
        // Free hot-pluggable places: root ports on q35, pci-root's own slots on pc.
        std::string ports;
        for (int i = 1; i <= 4 && std::string(machine) == "q35"; ++i)
            ports += fmt::format("<controller type='pci' index='{}' model='pcie-root-port'/>", i);
        auto refused = attach(reparsed(assigned(machine, ports)), kNic, Plug::Live);
        ASSERT_FALSE(refused.ok()) << machine;
        EXPECT_EQ(refused.errors().front().kind, ErrorKind::Unsupported);
        EXPECT_EQ(refused.errors().front().device, "interface 52:54:00:aa:00:01");
        EXPECT_NE(refused.errors().front().message.find("without ACPI"), std::string::npos);
        EXPECT_TRUE(attach(with_acpi(assigned(machine, ports)), kNic, Plug::Live).ok()) << machine;
        EXPECT_TRUE(attach(reparsed(assigned(machine, ports)), kNic, Plug::Cold).ok()) << machine;
    }
}

TEST(Attach, LiveNonPciDeviceNeedsNoAcpi) {
    auto attached = attach(reparsed(assigned("q35", "")), "<input type='tablet' bus='usb'/>", Plug::Live);
    EXPECT_TRUE(attached.ok()) << attached.errors().front().to_string();
}

TEST(Detach, LiveUnplugOfAPciDeviceOfAGuestWithoutAcpiIsRefused) {
    Definition d = reparsed(assigned("q35", kNic));
    const std::size_t nic = *find_device(d, kNic);
    ASSERT_TRUE(live_plug_refusal(d, nic).has_value());
    EXPECT_EQ(live_plug_refusal(d, nic)->device, "interface 52:54:00:aa:00:01");
    EXPECT_FALSE(live_plug_refusal(with_acpi(d), nic).has_value());
}

TEST(Attach, TakenAddressIsRefusedNamingTheNewDevice) {
    Definition d = reparsed(assigned("pc", "<interface type='user'><mac address='52:54:00:00:00:01'/>"
                                           "<address type='pci' domain='0' bus='0' slot='5' function='0'/></interface>"));
    auto attached = attach(std::move(d),
                           "<interface type='user'><mac address='52:54:00:aa:00:07'/>"
                           "<address type='pci' domain='0' bus='0' slot='5' function='0'/></interface>",
                           Plug::Cold);
    ASSERT_FALSE(attached.ok());
    EXPECT_EQ(attached.errors().front().device, "interface 52:54:00:aa:00:07");
}

TEST(Attach, MalformedDeviceXmlIsRefused) {
    Definition d = reparsed(assigned("pc", ""));
    for (const char* bad : {"", "<interface", "<domain/>", "<disk/><disk/>"}) {
        auto attached = attach(reparsed(d), bad, Plug::Cold);
        EXPECT_FALSE(attached.ok()) << bad;
    }
}

TEST(Detach, FindsInterfacesByMacWhateverTheCase) {
    Definition d = reparsed(assigned("q35", kNic));
    auto index = find_device(d, "<interface><mac address='52:54:00:AA:00:01'/></interface>");
    ASSERT_TRUE(index.ok());
    auto detached = detach(std::move(d), *index);
    ASSERT_TRUE(detached.ok());
    EXPECT_EQ(format(*detached).find("52:54:00:aa:00:01"), std::string::npos);
}

TEST(Detach, FindsDisksByTarget) {
    Definition d = reparsed(assigned("q35", "<disk type='file'><source file='/var/lib/b.img'/><target dev='vdb' bus='virtio'/></disk>"));
    auto index = find_device(d, "<disk><target dev='vdb'/></disk>");
    ASSERT_TRUE(index.ok());
    EXPECT_EQ(d.domain().describe(*index), "disk 'vdb'");
}

TEST(Detach, UnknownDeviceIsAnError) {
    Definition d = reparsed(assigned("q35", ""));
    EXPECT_FALSE(find_device(d, "<disk><target dev='vdz'/></disk>").ok());
}

TEST(Detach, AControllerADeviceStillSitsOnComesBackAsLibvirtDoes) {
    Definition d = reparsed(assigned("q35", kNic));
    const std::string before = format(d);
    auto index = find_device(d, "<controller type='pci' index='1'/>");
    ASSERT_TRUE(index.ok());
    auto detached = detach(std::move(d), *index);
    ASSERT_TRUE(detached.ok());
    EXPECT_EQ(pci_of(*detached, "controller pci 1"), "0000:00:01.0");
    EXPECT_EQ(device(*detached, "controller pci 1").extras().ctarget.port, 8u);
}

TEST(Detach, APs2InputComesBack) {
    Definition d = reparsed(assigned("pc", ""));
    auto index = find_device(d, "<input type='mouse' bus='ps2'/>");
    ASSERT_TRUE(index.ok());
    auto detached = detach(std::move(d), *index);
    ASSERT_TRUE(detached.ok());
    EXPECT_NE(format(*detached).find("<input type='mouse' bus='ps2'/>"), std::string::npos);
}

TEST(Detach, DevicesWithoutIdentityAreFoundByContent) {
    Definition d = reparsed(assigned("q35", "<rng model='virtio'><backend model='random'>/dev/urandom</backend></rng>"
                                            "<rng model='virtio'><backend model='random'>/dev/random</backend></rng>"));
    auto index = find_device(d, "<rng model='virtio'><backend model='random'>/dev/random</backend></rng>");
    ASSERT_TRUE(index.ok());
    EXPECT_EQ(d.domain().describe(*index), "rng #1");
}

TEST(Attach, KindsLibvirtCannotAttachAreRefused) {
    for (const char* device : {"<video><model type='vga'/></video>", "<panic model='isa'/>", "<hub type='usb'/>"}) {
        auto attached = attach(reparsed(assigned("pc", "")), device, Plug::Cold);
        EXPECT_FALSE(attached.ok()) << device;
    }
}

TEST(Attach, AFirstSerialGetsAMirroringConsole) {
    auto attached = attach(reparsed(assigned("pc", "")), "<serial type='pty'><target type='usb-serial'/></serial>", Plug::Cold);
    ASSERT_TRUE(attached.ok());
    EXPECT_EQ(device(attached->definition, "console #0").address, device(attached->definition, "serial #0").address);
}

TEST(Detach, AttachThenDetachGivesBackTheDefinition) {
    Definition d = reparsed(assigned("q35", "<disk type='file'><source file='/var/lib/a.img'/><target dev='vda' bus='virtio'/></disk>"));
    const std::string before = format(d);
    auto attached = attach(reparsed(d), kNic, Plug::Cold);
    ASSERT_TRUE(attached.ok());
    auto index = find_device(attached->definition, kNic);
    ASSERT_TRUE(index.ok());
    auto detached = detach(std::move(attached->definition), *index);
    ASSERT_TRUE(detached.ok());
    EXPECT_EQ(format(*detached), before);
}

}  // namespace
}  // namespace guestaddr::testing
