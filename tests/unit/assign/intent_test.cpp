// Placement preferences and policies (issue 10) through the library API.
#include <gtest/gtest.h>

#include "guestaddr/hotplug.hpp"
#include "support.hpp"
#include "views/explain.hpp"

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

TEST(Intent, CapacityIsReportedPerBusAndSumsToTheTotals) {
    auto parsed = parse(domain_xml("q35", nic("52:54:00:00:00:01", "")));
    ASSERT_TRUE(parsed);
    AssignOptions options;
    options.keep_free_hotplug = 3;
    options.keep_free_hotplug_pci = 2;
    auto d = assign(std::move(*parsed), options);
    ASSERT_TRUE(d);
    auto capacity = free_hotplug_capacity(*d);
    ASSERT_TRUE(capacity);
    std::size_t pcie = 0, pci = 0;
    for (const HotplugCapacity::Bus& bus : capacity->buses) {
        const model::Device* c = d->domain().find_controller("pci", bus.index);
        ASSERT_NE(c, nullptr) << bus.index;
        EXPECT_EQ(c->model, bus.model);
        EXPECT_GT(bus.free, 0u);
        (bus.pcie ? pcie : pci) += bus.free;
        // A root port has one slot; the bridge has the conventional ones.
        if (bus.pcie) EXPECT_EQ(bus.model, "pcie-root-port");
        else EXPECT_EQ(bus.model, "pcie-to-pci-bridge");
    }
    EXPECT_EQ(pcie, capacity->pcie);
    EXPECT_EQ(pci, capacity->pci);
    EXPECT_GE(capacity->pcie, 3u);
    EXPECT_GE(capacity->pci, 2u);
}

TEST(Intent, ExplainNamesThePreferenceThePolicyAndTheCapacity) {
    // (A NIC integrated on pcie-root could have no ACPI index in QEMU 7.2:
    // stable-nic-names would refuse it. A disk has no index.)
    const std::string disk = "<disk type='file' device='disk'><source file='/b.img'/><target dev='vdb' bus='virtio'/>" +
                             kPrefer + "hotplug='no'/></disk>";
    std::string xml = domain_xml("q35", disk + nic("52:54:00:00:00:02", ""));
    xml.replace(xml.find("<devices>"), 0,
                "<metadata><guestaddr:guestaddr xmlns:guestaddr='https://guestaddr.dev/xmlns/domain/1'>"
                "<guestaddr:policy keep-free-hotplug='4' stable-nic-names='yes'/></guestaddr:guestaddr></metadata>"
                "<features><acpi/></features>");
    auto explained = [&](const std::string& query) {
        auto parsed = parse(xml);
        EXPECT_TRUE(parsed);
        auto e = views::explain(std::move(*parsed), query);
        EXPECT_TRUE(e) << e.errors().front().to_string();
        EXPECT_EQ(e->size(), 1u);
        return e->front();
    };
    const views::Explanation integrated = explained("vdb");
    EXPECT_EQ(integrated.rule, "placement-preference");
    EXPECT_NE(integrated.rule_text.find("hotplug='no'"), std::string::npos) << integrated.rule_text;
    const views::Explanation named = explained("52:54:00:00:00:02");
    ASSERT_EQ(named.policies.size(), 1u);
    EXPECT_EQ(named.policies[0].rule, "stable-nic-names");
    // The last root port is one the capacity policy added.
    auto parsed = parse(xml);
    ASSERT_TRUE(parsed);
    auto d = assign(std::move(*parsed));
    ASSERT_TRUE(d);
    unsigned last = 0;
    for (std::size_t i : d->domain().controller_order)
        if (d->domain().devices[i].type == "pci") last = std::max(last, d->domain().devices[i].index.value_or(0));
    const views::Explanation port = explained("controller pci " + std::to_string(last));
    ASSERT_TRUE(port.added);
    EXPECT_EQ(port.added->rule, "hotplug-capacity-policy") << port.added->text;
    EXPECT_NE(views::explanation_text({port}).find("keep-free-hotplug='4'"), std::string::npos);
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

// A controller is known by its type and index, a host device by its source:
// neither needs an alias to carry a preference.
TEST(Intent, ControllersAndHostDevicesAreKeyedByTheirOwnIdentity) {
    Definition d = assigned("q35",
                            "<controller type='usb' model='nec-xhci'>" + kPrefer + "bus='pci'/></controller>"
                            "<hostdev mode='subsystem' type='pci' managed='yes'><source><address domain='0x0000' "
                            "bus='0x01' slot='0x00' function='0x0'/></source>" + kPrefer + "bus='pci'/></hostdev>");
    const std::string out = format(d);
    EXPECT_NE(out.find("<guestaddr:device controller='usb:0' bus='pci'/>"), std::string::npos) << out;
    EXPECT_NE(out.find("<guestaddr:device hostdev='pci domain=0x0000 bus=0x01 slot=0x00 function=0x0' bus='pci'/>"),
              std::string::npos) << out;
    for (const std::string who : {"controller usb 0", "hostdev pci domain=0x0000 bus=0x01 slot=0x00 function=0x0"}) {
        const PciAddress* a = device(d, who).pci();
        ASSERT_NE(a, nullptr) << who;
        EXPECT_EQ(d.domain().find_controller("pci", a->bus)->model, "pcie-to-pci-bridge") << who;
    }
}

// Our element may use our namespace as its default one: what guestaddr adds
// to it (the rule stamp, the policy) is then unprefixed too, and reads back.
TEST(Intent, MetadataInTheDefaultNamespaceStaysInIt) {
    std::string xml = domain_xml("q35", nic("52:54:00:00:00:01", ""));
    xml.replace(xml.find("<os>"), 0,
                "<metadata><guestaddr xmlns='https://guestaddr.dev/xmlns/domain/1'>"
                "<device mac='52:54:00:00:00:01' bus='pci'/></guestaddr></metadata>");
    auto parsed = parse(xml);
    ASSERT_TRUE(parsed);
    AssignOptions options;
    options.keep_free_hotplug = 1;
    auto d = assign(std::move(*parsed), options);
    ASSERT_TRUE(d) << d.errors().front().to_string();
    const std::string out = format(*d);
    EXPECT_NE(out.find("<rules libvirt="), std::string::npos) << out;
    EXPECT_NE(out.find("<policy keep-free-hotplug='1'/>"), std::string::npos) << out;
    EXPECT_EQ(out.find("guestaddr:"), std::string::npos) << out;
    auto again = parse(out);
    ASSERT_TRUE(again);
    ASSERT_TRUE(again->domain().stamp);
    EXPECT_EQ(again->domain().stamp->libvirt, d->domain().stamp->libvirt);
    EXPECT_EQ(again->domain().intent.policy.keep_free_hotplug, 1u);
    EXPECT_EQ(d->domain().find_controller("pci", device(*d, "interface 52:54:00:00:00:01").pci()->bus)->model,
              "pcie-to-pci-bridge");
}

}  // namespace
}  // namespace guestaddr::testing
