#include "topology/pci_address_set.hpp"

#include <gtest/gtest.h>

#include "guestaddr/error.hpp"

namespace guestaddr::topology {
namespace {

const ConnectFlags kPci = Connect::PciDevice | Connect::AutoAssign;
const ConnectFlags kPcie = Connect::PcieDevice | Connect::AutoAssign;

PciAddressSet pc_set(PciAddressSet::Mode mode) {
    PciAddressSet set(mode);
    set.set_bus(0, *controller_rule("pci-root"), true);
    return set;
}

PciAddressSet q35_set(PciAddressSet::Mode mode) {
    PciAddressSet set(mode);
    set.set_bus(0, *controller_rule("pcie-root"), true);
    return set;
}

TEST(PciAddressSet, AllocatesFirstFreeSlotFromSlotOne) {
    PciAddressSet set = pc_set(PciAddressSet::Mode::Commit);
    EXPECT_EQ(set.allocate(kPci, std::nullopt, "a").to_string(), "0000:00:01.0");
    EXPECT_EQ(set.allocate(kPci, std::nullopt, "b").to_string(), "0000:00:02.0");
}

TEST(PciAddressSet, RejectsSecondUseOfAFunction) {
    PciAddressSet set = pc_set(PciAddressSet::Mode::Commit);
    set.reserve(PciAddress{0, 0, 5, 0}, kPci, AddressOrigin::User, "first");
    try {
        set.reserve(PciAddress{0, 0, 5, 0}, kPci, AddressOrigin::User, "disk 'vdb'");
        FAIL() << "double use accepted";
    } catch (const Failure& f) {
        EXPECT_EQ(f.error().kind, ErrorKind::AddressConflict);
        EXPECT_EQ(f.error().device, "disk 'vdb'");
        EXPECT_NE(f.error().message.find("0000:00:05.0"), std::string::npos);
    }
}

TEST(PciAddressSet, OtherFunctionsOfAUsedSlotStayFreeForExplicitAddresses) {
    PciAddressSet set = pc_set(PciAddressSet::Mode::Commit);
    set.reserve(PciAddress{0, 0, 5, 0}, kPci, AddressOrigin::User, "a");
    EXPECT_NO_THROW(set.reserve(PciAddress{0, 0, 5, 1}, kPci, AddressOrigin::User, "b"));
    EXPECT_EQ(set.allocate(kPci, std::nullopt, "c").to_string(), "0000:00:01.0");
}

TEST(PciAddressSet, RootPortsShareSlotsEightFunctionsAtATime) {
    PciAddressSet set = q35_set(PciAddressSet::Mode::Commit);
    const ConnectFlags port = controller_rule("pcie-root-port")->plugs_as;
    for (unsigned f = 0; f < 8; ++f)
        EXPECT_EQ(set.allocate(port, std::nullopt, "port").to_string(), PciAddress({0, 0, 1, f}).to_string());
    EXPECT_EQ(set.allocate(port, std::nullopt, "port").to_string(), "0000:00:02.0");
}

TEST(PciAddressSet, EndpointsAreNeverAutoPlacedOnPcieRoot) {
    PciAddressSet set = q35_set(PciAddressSet::Mode::Commit);
    try {
        set.allocate(kPcie, std::nullopt, "interface 52:54:00:00:00:01");
        FAIL() << "placed on pcie-root";
    } catch (const Failure& f) {
        EXPECT_EQ(f.error().kind, ErrorKind::Exhausted);
    }
}

TEST(PciAddressSet, PlanningGrowsARootPortForAPcieEndpoint) {
    PciAddressSet set = q35_set(PciAddressSet::Mode::Plan);
    EXPECT_EQ(set.allocate(kPcie, std::nullopt, "nic").to_string(), "0000:01:00.0");
    ASSERT_EQ(set.bus_count(), 2u);
    EXPECT_EQ(set.bus(1).rule->model, "pcie-root-port");
}

TEST(PciAddressSet, PlanningGrowsRootPortAndPcieToPciBridgeForConventionalPci) {
    PciAddressSet set = q35_set(PciAddressSet::Mode::Plan);
    EXPECT_EQ(set.allocate(kPci, std::nullopt, "e1000").to_string(), "0000:02:01.0");
    ASSERT_EQ(set.bus_count(), 3u);
    EXPECT_EQ(set.bus(1).rule->model, "pcie-root-port");
    EXPECT_EQ(set.bus(2).rule->model, "pcie-to-pci-bridge");
}

TEST(PciAddressSet, PlanningGrowsPciBridgesOnPc) {
    PciAddressSet set = pc_set(PciAddressSet::Mode::Plan);
    for (unsigned slot = 1; slot <= 31; ++slot) set.allocate(kPci, std::nullopt, "filler");
    EXPECT_EQ(set.allocate(kPci, std::nullopt, "overflow").to_string(), "0000:01:01.0");
    EXPECT_EQ(set.bus(1).rule->model, "pci-bridge");
}

TEST(PciAddressSet, RootPortOnlyOffersSlotZero) {
    PciAddressSet set = q35_set(PciAddressSet::Mode::Commit);
    set.set_bus(1, *controller_rule("pcie-root-port"), true);
    try {
        set.reserve(PciAddress{0, 1, 3, 0}, kPcie, AddressOrigin::User, "nic");
        FAIL() << "slot 3 of a root port accepted";
    } catch (const Failure& f) {
        EXPECT_NE(f.error().message.find("slot must be <= 0"), std::string::npos);
    }
}

TEST(PciAddressSet, UserAddressesMayPutPciDevicesInPcieSlots) {
    PciAddressSet set = q35_set(PciAddressSet::Mode::Commit);
    set.set_bus(1, *controller_rule("pcie-root-port"), true);
    EXPECT_NO_THROW(set.reserve(PciAddress{0, 1, 0, 0}, kPci, AddressOrigin::User, "e1000"));
}

TEST(PciAddressSet, HotplugOffPortsRefuseHotpluggableDevices) {
    PciAddressSet set = q35_set(PciAddressSet::Mode::Commit);
    set.set_bus(1, *controller_rule("pcie-root-port"), false);
    EXPECT_THROW(set.allocate(kPcie | Connect::Hotpluggable, std::nullopt, "hotplugged"), Failure);
    EXPECT_EQ(set.allocate(kPcie, std::nullopt, "cold").to_string(), "0000:01:00.0");
}

TEST(PciAddressSet, ReleasedFunctionIsReusedFirstFit) {
    PciAddressSet set = pc_set(PciAddressSet::Mode::Commit);
    PciAddress a = set.allocate(kPci, std::nullopt, "a");
    set.allocate(kPci, std::nullopt, "b");
    set.release(a);
    EXPECT_EQ(set.allocate(kPci, std::nullopt, "c").to_string(), a.to_string());
}

}  // namespace
}  // namespace guestaddr::topology
