// The query API (guestaddr/devices.hpp): what a program sees of a definition
// without the internal headers.
#include "guestaddr/devices.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

#include "guestaddr/hotplug.hpp"
#include "views/explain.hpp"

namespace guestaddr {
namespace {

const char* kGuest = R"(<domain type='kvm'><name>q</name><memory>1048576</memory>
<os><type arch='x86_64' machine='q35'>hvm</type></os><devices>
<disk type='file' device='disk'><source file='/a.qcow2'/><target dev='vda' bus='virtio'/></disk>
<disk type='file' device='cdrom'><target dev='sdb' bus='sata'/><address type='drive' controller='0' bus='0' target='0' unit='1'/></disk>
<interface type='network'><mac address='52:54:00:12:34:56'/><source network='default'/><model type='virtio'/>
  <alias name='ua-net0'/><address type='pci' domain='0x0000' bus='0x00' slot='0x07' function='0x0'/></interface>
<channel type='unix'><target type='virtio' name='org.qemu.guest_agent.0'/></channel>
<input type='tablet' bus='usb'/>
<graphics type='vnc'/>
</devices></domain>)";

const DeviceInfo& named(const std::vector<DeviceInfo>& list, const std::string& name) {
    auto it = std::find_if(list.begin(), list.end(), [&](const DeviceInfo& d) { return d.name == name; });
    if (it == list.end()) throw std::runtime_error("no device " + name);
    return *it;
}

TEST(DevicesQuery, BeforeAssignTheDefinitionAsWrittenInDocumentOrder) {
    auto parsed = parse(kGuest);
    ASSERT_TRUE(parsed.ok());
    const std::vector<DeviceInfo> list = devices(*parsed);
    std::vector<std::string> names;
    for (const DeviceInfo& d : list) names.push_back(d.name);
    EXPECT_EQ(names, (std::vector<std::string>{"disk 'vda'", "disk 'sdb'", "interface 52:54:00:12:34:56",
                                               "channel 'org.qemu.guest_agent.0'", "input #0", "graphics #0"}));
    for (std::size_t i = 0; i < list.size(); ++i) {
        EXPECT_EQ(list[i].index, i);
        EXPECT_FALSE(list[i].implicit);
    }

    const DeviceInfo& vda = named(list, "disk 'vda'");
    EXPECT_EQ(vda.kind, "disk");
    EXPECT_EQ(vda.disk_target, "vda");
    EXPECT_EQ(vda.bus, "virtio");
    EXPECT_EQ(vda.device_kind, "disk");
    EXPECT_TRUE(std::holds_alternative<std::monostate>(vda.address));  // not placed yet
    EXPECT_EQ(address_to_string(vda.address), "");

    const DeviceInfo& cdrom = named(list, "disk 'sdb'");
    EXPECT_EQ(cdrom.device_kind, "cdrom");
    EXPECT_EQ(address_to_string(cdrom.address), "drive:0.0.0.1");  // as written

    const DeviceInfo& nic = named(list, "interface 52:54:00:12:34:56");
    EXPECT_EQ(nic.kind, "interface");
    EXPECT_EQ(nic.type, "network");
    EXPECT_EQ(nic.model, "virtio");
    EXPECT_EQ(nic.mac, "52:54:00:12:34:56");
    EXPECT_EQ(nic.alias, "ua-net0");
    EXPECT_TRUE(nic.disk_target.empty());
    EXPECT_EQ(address_to_string(nic.address), "pci:0000:00:07.0");

    const DeviceInfo& agent = named(list, "channel 'org.qemu.guest_agent.0'");
    EXPECT_EQ(agent.target_name, "org.qemu.guest_agent.0");
    EXPECT_EQ(named(list, "input #0").type, "tablet");
    EXPECT_EQ(named(list, "input #0").bus, "usb");
}

TEST(DevicesQuery, AfterAssignEveryBusDeviceHasAnAddressAndTheAddedOnesAreMarked) {
    auto parsed = parse(kGuest);
    ASSERT_TRUE(parsed.ok());
    auto assigned = assign(std::move(*parsed));
    ASSERT_TRUE(assigned.ok());
    const std::vector<DeviceInfo> list = devices(*assigned);

    // What the definition wrote is kept.
    EXPECT_EQ(address_to_string(named(list, "interface 52:54:00:12:34:56").address), "pci:0000:00:07.0");
    EXPECT_EQ(address_to_string(named(list, "disk 'sdb'").address), "drive:0.0.0.1");
    // Every device but the graphics, the PS/2 inputs, the PCIe root and (under
    // the default rules, libvirt 11.3's) q35's iTCO watchdog, part of its
    // chipset, sits somewhere now.
    for (const DeviceInfo& d : list) {
        const bool on_no_bus = d.kind == "graphics" || d.bus == "ps2" || d.name == "controller pci 0" ||
                               (d.kind == "watchdog" && d.model == "itco");
        EXPECT_EQ(std::holds_alternative<std::monostate>(d.address), on_no_bus) << d.name;
    }
    // q35's implicit devices: the root, the SATA controller, a USB controller,
    // the virtio-serial controller the channel needs, memballoon, PS/2 inputs.
    const DeviceInfo& root = named(list, "controller pci 0");
    EXPECT_TRUE(root.implicit);
    EXPECT_EQ(root.type, "pci");
    EXPECT_EQ(root.model, "pcie-root");
    EXPECT_EQ(root.controller_index, 0u);
    EXPECT_TRUE(named(list, "controller virtio-serial 0").implicit);
    EXPECT_TRUE(named(list, "controller sata 0").implicit);
    EXPECT_EQ(address_to_string(named(list, "controller sata 0").address), "pci:0000:00:1f.2");
    EXPECT_FALSE(named(list, "disk 'vda'").implicit);
    EXPECT_EQ(named(list, "channel 'org.qemu.guest_agent.0'").address.index(),
              Address(VirtioSerialAddress{}).index());

    // The count agrees with the formatted definition: one element per device listed.
    const std::string xml = format(*assigned);
    std::map<std::string, std::size_t> in_xml;
    for (const DeviceInfo& d : list) ++in_xml[d.kind];
    for (const auto& [kind, count] : in_xml) {
        std::size_t found = 0;
        for (std::size_t at = xml.find("<" + kind); at != std::string::npos; at = xml.find("<" + kind, at + 1))
            if (const char next = xml[at + 1 + kind.size()]; next == ' ' || next == '>' || next == '/') ++found;
        EXPECT_EQ(found, count) << kind;
    }
}

TEST(DevicesQuery, AnAddressTextNamesItsDeviceToExplainAndIndexesAreTheHotplugOnes) {
    auto parsed = parse(kGuest);
    ASSERT_TRUE(parsed.ok());
    auto assigned = assign(std::move(*parsed));
    ASSERT_TRUE(assigned.ok());
    const std::vector<DeviceInfo> list = devices(*assigned);
    for (const DeviceInfo& d : list) {
        const std::string text = address_to_string(d.address);
        if (text.empty()) continue;
        auto again = parse(format(*assigned));
        ASSERT_TRUE(again.ok());
        auto explained = views::explain(std::move(*again), text);
        ASSERT_TRUE(explained.ok()) << text << ": " << explained.errors().front().to_string();
        ASSERT_EQ(explained->size(), 1u) << text;
        EXPECT_EQ(explained->front().name, d.name) << text;
    }

    // attach() answers with an index into the same list.
    auto attached = attach(std::move(*assigned),
                           "<interface type='network'><mac address='52:54:00:aa:bb:01'/><source network='default'/>"
                           "<model type='virtio'/></interface>",
                           Plug::Cold);
    ASSERT_TRUE(attached.ok());
    const std::vector<DeviceInfo> after = devices(attached->definition);
    const DeviceInfo& added = named(after, "interface 52:54:00:aa:bb:01");
    EXPECT_EQ(added.index, attached->device);
    EXPECT_EQ(after[attached->device].mac, "52:54:00:aa:bb:01");
    EXPECT_TRUE(address_to_string(added.address).starts_with("pci:"));
}

TEST(DevicesQuery, AddressTextsOfEveryType) {
    EXPECT_EQ(address_to_string(Address{}), "");
    EXPECT_EQ(address_to_string(PciAddress{0, 2, 0x1f, 7}), "pci:0000:02:1f.7");
    EXPECT_EQ(address_to_string(DriveAddress{1, 0, 2, 3}), "drive:1.0.2.3");
    EXPECT_EQ(address_to_string(UsbAddress{0, {1, 2}}), "usb:0:1.2");
    EXPECT_EQ(address_to_string(UsbAddress{3, {}}), "usb:3");
    EXPECT_EQ(address_to_string(VirtioSerialAddress{0, 0, 1}), "virtio-serial:0.0.1");
    EXPECT_EQ(address_to_string(CcidAddress{0, 1}), "ccid:0.1");
    EXPECT_EQ(address_to_string(OtherAddress{"ccw", {{"cssid", "0xfe"}, {"ssid", "0x0"}, {"devno", "0x0002"}}}),
              "ccw:0xfe.0x0.0x0002");
}

}  // namespace
}  // namespace guestaddr
