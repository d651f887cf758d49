#include <gtest/gtest.h>

#include "machine/machine.hpp"
#include "support.hpp"
#include "views/topology_tree.hpp"

namespace guestaddr::testing {
namespace {

using views::TreeNode;

views::Tree tree_of(const std::string& machine, const std::string& devices) {
    Definition d = assigned(machine, devices);
    const model::Domain& domain = d.domain();
    return views::build_tree(domain, std::vector<bool>(domain.devices.size(), true),
                             machine::resolve_machine(domain.arch, domain.machine));
}

// The first node (depth first) named `name`, with that detail if one is given.
const TreeNode* find(const TreeNode& n, const std::string& name, const std::string& detail = "") {
    if (n.name == name && (detail.empty() || n.detail == detail)) return &n;
    for (const TreeNode& c : n.children)
        if (const TreeNode* found = find(c, name, detail)) return found;
    return nullptr;
}

std::vector<const TreeNode*> free_places(const TreeNode& n) {
    std::vector<const TreeNode*> out;
    for (const TreeNode& c : n.children)
        if (c.kind == TreeNode::Kind::Free) out.push_back(&c);
    return out;
}

TEST(TopologyTree, ABusWithHotplugOffOffersNoHotplugPlaces) {
    const views::Tree t = tree_of("pc",
                                  "<controller type='pci' index='1' model='pci-bridge'><target hotplug='off'/></controller>"
                                  "<controller type='pci' index='2' model='pci-bridge'/>");
    const TreeNode* off = find(t.root, "controller pci 1");
    const TreeNode* on = find(t.root, "controller pci 2");
    ASSERT_TRUE(off && on);
    ASSERT_EQ(free_places(*off).size(), 1u);
    EXPECT_FALSE(free_places(*off)[0]->hotplug);
    EXPECT_EQ(free_places(*off)[0]->detail, "slots 0x01-0x1f");
    EXPECT_EQ(free_places(*off)[0]->free_count, 31u);
    EXPECT_TRUE(free_places(*on)[0]->hotplug);
}

TEST(TopologyTree, TheCompanionsOfAUsb2SetShareTheMastersPorts) {
    const views::Tree t = tree_of("q35",
                                  "<controller type='usb' index='0' model='ich9-ehci1'/>"
                                  "<controller type='usb' index='0' model='ich9-uhci1'/>"
                                  "<controller type='usb' index='0' model='ich9-uhci2'/>"
                                  "<input type='tablet' bus='usb'/>");
    const TreeNode* master = find(t.root, "controller usb 0", "ich9-ehci1");
    const TreeNode* companion = find(t.root, "controller usb 0", "ich9-uhci1");
    ASSERT_TRUE(master && companion);
    EXPECT_TRUE(companion->children.empty());
    ASSERT_FALSE(master->children.empty());
    EXPECT_EQ(master->children[0].name, "input #0");
    EXPECT_EQ(master->children[0].place, "port 1");
    ASSERT_EQ(free_places(*master).size(), 1u);
    EXPECT_EQ(free_places(*master)[0]->detail, "ports 2-6");
}

TEST(TopologyTree, ChipsetFunctionsAndFixedSlotsAreOnBusZero) {
    const views::Tree t = tree_of("q35", "");
    const TreeNode& root = t.root.children.at(0);
    std::vector<std::string> chipset;
    for (const TreeNode& c : root.children)
        if (c.kind == TreeNode::Kind::Chipset) chipset.push_back(c.place + " " + c.name);
    EXPECT_EQ(chipset, (std::vector<std::string>{"0000:00:1f.0 the ICH9 LPC bridge", "0000:00:1f.3 the ICH9 SMBus controller"}));
}

TEST(TopologyTree, AnEmptyRootPortIsTheHotplugCapacity) {
    const views::Tree t = tree_of("q35", "");
    unsigned pcie = 0;
    for (const views::HotplugCapacity& c : t.hotplug)
        if (c.kind == "PCI Express slot") pcie = c.count;
    EXPECT_EQ(pcie, 1u);  // the spare root port libvirt keeps free
}

}  // namespace
}  // namespace guestaddr::testing
