#include <gtest/gtest.h>

#include "support.hpp"
#include "views/explain.hpp"

namespace guestaddr::testing {
namespace {

views::Explanation explain_one(const std::string& machine, const std::string& devices, const std::string& query) {
    auto parsed = parse(domain_xml(machine, devices));
    EXPECT_TRUE(parsed.ok());
    auto explained = views::explain(std::move(*parsed), query);
    if (!explained) throw std::runtime_error(explained.errors().front().to_string());
    EXPECT_EQ(explained->size(), 1u);
    return explained->front();
}

std::string e1000s(int n) {
    std::string out;
    for (int i = 0; i < n; ++i)
        out += fmt::format("<interface type='user'><mac address='52:54:00:00:01:{:02x}'/><model type='e1000'/></interface>", i);
    return out;
}

TEST(Explain, TheDeviceThatFoundNoSlotIsTheOneTheBridgeWasAddedFor) {
    // pc: 40 NICs do not fit on bus 0; libvirt adds a pci-bridge for the first that finds no room.
    const views::Explanation bridge = explain_one("pc", e1000s(40), "controller pci 1");
    ASSERT_TRUE(bridge.added);
    EXPECT_EQ(bridge.added->rule, "pci-bus-for-device");
    EXPECT_EQ(bridge.needs.connection, "pci-bridge");
    const std::string& why = bridge.added->text;
    ASSERT_TRUE(why.starts_with("interface 52:54:00:00:01:")) << why;
    EXPECT_NE(why.find("found no free slot that takes a standard PCI device"), std::string::npos) << why;

    const views::Explanation nic = explain_one("pc", e1000s(40), why.substr(std::string("interface ").size(), 17));
    EXPECT_EQ(nic.origin, "chosen");
    EXPECT_EQ(nic.rule, "pci-first-free");
    ASSERT_EQ(nic.added_for_it.size(), 1u);
    EXPECT_EQ(nic.added_for_it[0].name, "controller pci 1");
    EXPECT_EQ(nic.added_for_it[0].text, why);
}

TEST(Explain, ConventionalPciOnQ35NeedsARootPortAndABridge) {
    const views::Explanation nic = explain_one("q35", e1000s(1), "52:54:00:00:01:00");
    ASSERT_EQ(nic.added_for_it.size(), 2u);
    EXPECT_EQ(nic.added_for_it[0].name, "controller pci 1");
    EXPECT_NE(nic.added_for_it[0].text.find("goes on a pcie-to-pci-bridge, which needs one more root port"), std::string::npos)
        << nic.added_for_it[0].text;
    EXPECT_EQ(nic.added_for_it[1].name, "controller pci 2");
    EXPECT_EQ(nic.needs.connection, "standard PCI device");
}

TEST(Explain, AFullVirtioSerialControllerMakesANewOne) {
    const std::string devices =
        "<controller type='virtio-serial' index='0' ports='2'/>"
        "<channel type='pty'><target type='virtio' name='a'/></channel>"
        "<channel type='pty'><target type='virtio' name='b'/></channel>";
    const views::Explanation b = explain_one("pc", devices, "channel 'b'");
    EXPECT_EQ(b.rule, "virtio-serial-first-free-port");
    EXPECT_EQ(b.address_text, "virtio-serial controller 1 bus 0 port 1");
    ASSERT_EQ(b.added_for_it.size(), 1u);
    EXPECT_EQ(b.added_for_it[0].name, "controller virtio-serial 1");
    EXPECT_EQ(b.added_for_it[0].rule, "controller-for-device");
}

TEST(Explain, APartialAddressIsCompleted) {
    const views::Explanation tablet =
        explain_one("pc", "<input type='tablet' bus='usb'><address type='usb' bus='0'/></input>", "input #0");
    EXPECT_EQ(tablet.origin, "completed");
    EXPECT_EQ(tablet.written_text, "usb bus 0");
    EXPECT_EQ(tablet.address_text, "usb bus 0 port 1");
    EXPECT_EQ(tablet.rule, "usb-first-free-port");
}

TEST(Explain, HubsAddedForOverflowSayWhy) {
    const std::string tablets = "<input type='tablet' bus='usb'/><input type='tablet' bus='usb'/><input type='tablet' bus='usb'/>";
    const views::Explanation hub = explain_one("pc", tablets, "hub #0");
    ASSERT_TRUE(hub.added);
    EXPECT_EQ(hub.added->rule, "usb-hub-for-overflow");
    EXPECT_NE(hub.added->text.find("3 USB devices for 2 ports"), std::string::npos) << hub.added->text;
}

TEST(Explain, AssignWithoutExplainingNotesNothing) {
    Definition d = assigned("q35", e1000s(1));
    EXPECT_EQ(d.domain().provenance, nullptr);
}

}  // namespace
}  // namespace guestaddr::testing
