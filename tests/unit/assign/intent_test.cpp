// Placement preferences and policies (issue 10) through the library API.
#include <gtest/gtest.h>

#include "guestaddr/hotplug.hpp"
#include "support.hpp"

namespace guestaddr::testing {
namespace {

const std::string kPrefer = "<guestaddr:prefer xmlns:guestaddr='https://guestaddr.dev/xmlns/domain/1' ";

std::string nic(const std::string& mac, const std::string& prefer) {
    return "<interface type='user'><mac address='" + mac + "'/><model type='virtio'/>" +
           (prefer.empty() ? "" : kPrefer + prefer + "/>") + "</interface>";
}

TEST(Intent, HotplugNoIsAnIntegratedEndpointOnPcieRoot) {
    Definition d = assigned("q35", nic("52:54:00:00:00:01", "hotplug='no'"));
    EXPECT_EQ(pci_of(d, "interface 52:54:00:00:00:01").substr(0, 8), "0000:00:");
}

TEST(Intent, BusPciOnQ35GetsABridgeSlot) {
    Definition d = assigned("q35", nic("52:54:00:00:00:01", "bus='pci'"));
    const PciAddress* a = device(d, "interface 52:54:00:00:00:01").pci();
    ASSERT_NE(a, nullptr);
    EXPECT_EQ(d.domain().find_controller("pci", a->bus)->model, "pcie-to-pci-bridge");
}

TEST(Intent, PreferenceIsKeptInMetadataAndRemovedFromTheDevice) {
    const std::string out = format(assigned("q35", nic("52:54:00:00:00:01", "bus='pci'")));
    EXPECT_NE(out.find("<guestaddr:device mac='52:54:00:00:00:01' bus='pci'/>"), std::string::npos) << out;
    EXPECT_EQ(out.find("guestaddr:prefer"), std::string::npos) << out;
}

TEST(Intent, ConflictingPreferencesAreRefused) {
    auto errors = assign_errors("q35", nic("52:54:00:00:00:01", "hotplug='no' bus='pcie'"));
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].device, "interface 52:54:00:00:00:01");
}

TEST(Intent, CapacityPolicyAddsRootPorts) {
    auto parsed = parse(domain_xml("q35", nic("52:54:00:00:00:01", "")));
    ASSERT_TRUE(parsed);
    AssignOptions options;
    options.keep_free_hotplug = 5;
    auto d = assign(std::move(*parsed), options);
    ASSERT_TRUE(d);
    auto capacity = free_hotplug_capacity(*d);
    ASSERT_TRUE(capacity);
    EXPECT_GE(capacity->pcie, 5u);  // libvirt's own spare port may come on top
    // A cold attach uses one; the policy adds another.
    auto attached = attach(std::move(*d), "<interface type='user'><mac address='52:54:00:00:00:02'/><model type='virtio'/></interface>", Plug::Cold);
    ASSERT_TRUE(attached);
    EXPECT_GE(free_hotplug_capacity(attached->definition)->pcie, 5u);
}

TEST(Intent, StableNicNamesGiveTheLowestFreeIndex) {
    std::string xml = domain_xml("q35", "<interface type='user'><mac address='52:54:00:00:00:01'/><model type='virtio'/><acpi index='1'/></interface>" +
                                            nic("52:54:00:00:00:02", ""));
    xml.replace(xml.find("<devices>"), 0, "<features><acpi/></features>");
    auto parsed = parse(xml);
    ASSERT_TRUE(parsed);
    AssignOptions options;
    options.stable_nic_names = true;
    auto d = assign(std::move(*parsed), options);
    ASSERT_TRUE(d) << d.errors().front().to_string();
    EXPECT_EQ(device(*d, "interface 52:54:00:00:00:01").extras().acpi_index, 1u);
    EXPECT_EQ(device(*d, "interface 52:54:00:00:00:02").extras().acpi_index, 2u);
}

}  // namespace
}  // namespace guestaddr::testing
