// The id, driver and placement rules of src/qemu/: what libvirt 9.0 puts in
// a -device for each kind of address (spec §13).
#include <gtest/gtest.h>

#include "qemu/command_line.hpp"
#include "qemu/device_options.hpp"
#include "qemu/placement.hpp"
#include "support.hpp"

namespace guestaddr::testing {
namespace {

using qemu::Json;

// The -device of a device (its first one).
Json device_json(const Definition& d, const std::string& who, qemu::Backends b = qemu::Backends::Host) {
    qemu::DeviceOptions options = qemu::device_options(d, index_of(d, who), b);
    return options.devices.empty() ? Json() : options.devices.front();
}

std::string disk(const std::string& dev, const std::string& bus, const std::string& device = "disk") {
    return "<disk type='file' device='" + device + "'><source file='/x/" + dev + "'/><target dev='" + dev +
           "' bus='" + bus + "'/></disk>";
}

TEST(QemuPlacement, PciAddrNamesTheFunctionOnlyWhenNotZero) {
    EXPECT_EQ(qemu::pci_addr(PciAddress{0, 0, 0x1f, 0}), "0x1f");
    EXPECT_EQ(qemu::pci_addr(PciAddress{0, 0, 1, 2}), "0x1.0x2");
}

TEST(QemuPlacement, RootBusIsPcieZeroOnQ35AndPciZeroOnI440fx) {
    const std::string nic = "<interface type='user'><mac address='52:54:00:00:00:01'/><model type='e1000'/>"
                            "<address type='pci' domain='0' bus='0' slot='5' function='0'/></interface>";
    EXPECT_EQ(device_json(assigned("q35", nic), "interface 52:54:00:00:00:01")["bus"], "pcie.0");
    EXPECT_EQ(device_json(assigned("pc", nic), "interface 52:54:00:00:00:01")["bus"], "pci.0");
}

TEST(QemuPlacement, RootPortsCarryPortChassisAndMultifunction) {
    Definition d = assigned("q35", disk("vda", "virtio"));
    Json port = device_json(d, "controller pci 1");
    EXPECT_EQ(port["driver"], "pcie-root-port");
    EXPECT_EQ(port["id"], "pci.1");
    EXPECT_EQ(port["bus"], "pcie.0");
    EXPECT_TRUE(port.contains("port"));
    EXPECT_TRUE(port.contains("chassis"));
    Json blk = device_json(d, "disk 'vda'");
    EXPECT_EQ(blk["driver"], "virtio-blk-pci");
    EXPECT_EQ(blk["id"], "virtio-disk0");
    EXPECT_TRUE(blk["bus"].get<std::string>().starts_with("pci.")) << blk;
    EXPECT_EQ(blk["addr"], "0x0");
}

TEST(QemuPlacement, PciBridgeCarriesChassisNr) {
    Definition d = assigned("pc", "<controller type='pci' index='1' model='pci-bridge'/>");
    Json bridge = device_json(d, "controller pci 1");
    EXPECT_EQ(bridge["driver"], "pci-bridge");
    EXPECT_EQ(bridge["chassis_nr"], 1);
}

TEST(QemuPlacement, SataPutsEachUnitOnABusOfItsOwn) {
    Definition d = assigned("q35", disk("sdb", "sata") + disk("sda", "sata"));
    Json sdb = device_json(d, "disk 'sdb'");
    EXPECT_EQ(sdb["driver"], "ide-hd");
    EXPECT_EQ(sdb["id"], "sata0-0-1");
    EXPECT_EQ(sdb["bus"], "ide.1");
    EXPECT_FALSE(sdb.contains("unit"));
}

TEST(QemuPlacement, IdeNamesBusAndUnit) {
    Definition d = assigned("pc", disk("hdd", "ide", "cdrom"));
    Json hdd = device_json(d, "disk 'hdd'");
    EXPECT_EQ(hdd["driver"], "ide-cd");
    EXPECT_EQ(hdd["id"], "ide0-1-1");
    EXPECT_EQ(hdd["bus"], "ide.1");
    EXPECT_EQ(hdd["unit"], 1);
}

TEST(QemuPlacement, LsiScsiAddressesByUnitOnly) {
    Definition d = assigned("pc", disk("sdc", "scsi"));
    Json sdc = device_json(d, "disk 'sdc'");
    EXPECT_EQ(sdc["id"], "scsi0-0-2");
    EXPECT_EQ(sdc["bus"], "scsi0.0");
    EXPECT_EQ(sdc["scsi-id"], 2);
    EXPECT_FALSE(sdc.contains("lun"));
    EXPECT_EQ(sdc["device_id"], "drive-scsi0-0-2");
}

TEST(QemuPlacement, VirtioScsiAddressesByChannelTargetAndLun) {
    Definition d = assigned("q35", "<controller type='scsi' index='0' model='virtio-scsi'/>" + disk("sda", "scsi"));
    Json sda = device_json(d, "disk 'sda'");
    EXPECT_EQ(sda["id"], "scsi0-0-0-0");
    EXPECT_EQ(sda["bus"], "scsi0.0");
    EXPECT_EQ(sda["channel"], 0);
    EXPECT_EQ(sda["scsi-id"], 0);
    EXPECT_EQ(sda["lun"], 0);
}

TEST(QemuPlacement, UsbDevicesNameTheirPortPath) {
    Definition d = assigned("q35", "<input type='tablet' bus='usb'/>");
    Json tablet = device_json(d, "input #0");
    EXPECT_EQ(tablet["driver"], "usb-tablet");
    EXPECT_EQ(tablet["bus"], "usb.0");
    EXPECT_EQ(tablet["port"], "1");
}

TEST(QemuPlacement, VirtioSerialPortsNameControllerBusAndNr) {
    Definition d = assigned("q35", "<channel type='pty'><target type='virtio' name='a'/></channel>");
    Json port = device_json(d, "channel 'a'");
    EXPECT_EQ(port["driver"], "virtserialport");
    EXPECT_EQ(port["bus"], "virtio-serial0.0");
    EXPECT_EQ(port["nr"], 1);
    EXPECT_EQ(port["chardev"], "charchannel0");
}

TEST(QemuPlacement, Ich9CompanionsJoinTheirMasterWithoutAnId) {
    Definition d = assigned("pc", "<controller type='usb' index='0' model='ich9-ehci1'/>"
                                  "<controller type='usb' index='0' model='ich9-uhci1'/>");
    qemu::DeviceOptions options;
    for (std::size_t i = 0; i < d.domain().devices.size(); ++i)
        if (d.domain().devices[i].model == "ich9-uhci1") options = qemu::device_options(d, i);
    ASSERT_EQ(options.devices.size(), 1u);
    EXPECT_FALSE(options.devices[0].contains("id"));
    EXPECT_EQ(options.devices[0]["masterbus"], "usb.0");
    EXPECT_EQ(options.devices[0]["firstport"], 0);
}

TEST(QemuDeviceIds, NicsAreNumberedByPositionAndTransitionalModelsKeepTheirVariant) {
    Definition d = assigned("q35", "<interface type='user'><mac address='52:54:00:00:00:01'/></interface>"
                                   "<interface type='user'><mac address='52:54:00:00:00:02'/>"
                                   "<model type='virtio-transitional'/></interface>");
    Json second = device_json(d, "interface 52:54:00:00:00:02");
    EXPECT_EQ(second["id"], "net1");
    EXPECT_EQ(second["netdev"], "hostnet1");
    EXPECT_EQ(second["driver"], "virtio-net-pci-transitional");
}

TEST(QemuDeviceIds, UserAliasesAreKept) {
    Definition d = assigned("q35", "<disk type='file' device='disk'><source file='/x'/><target dev='vda' bus='virtio'/>"
                                   "<alias name='ua-boot'/></disk>");
    EXPECT_EQ(device_json(d, "disk 'vda'")["id"], "ua-boot");
}

TEST(QemuDeviceIds, BuiltInControllersHaveNoDevice) {
    Definition d = assigned("q35", "");
    EXPECT_TRUE(qemu::device_options(d, index_of(d, "controller sata 0")).devices.empty());
    EXPECT_TRUE(qemu::device_options(d, index_of(d, "controller pci 0")).devices.empty());
}

TEST(QemuStub, PlacementSurvivesAndHostPeersBecomeTestDevices) {
    Definition d = assigned("q35", "<hostdev mode='subsystem' type='pci' managed='yes'><source>"
                                   "<address domain='0' bus='6' slot='0x12' function='5'/></source></hostdev>");
    Json host = device_json(d, "hostdev pci domain=0 bus=6 slot=0x12 function=5");
    Json stub = device_json(d, "hostdev pci domain=0 bus=6 slot=0x12 function=5", qemu::Backends::Stub);
    EXPECT_EQ(host["driver"], "vfio-pci");
    EXPECT_EQ(host["host"], "0000:06:12.5");
    EXPECT_EQ(stub["driver"], "pci-testdev");
    for (const char* key : {"id", "bus", "addr"}) EXPECT_EQ(stub[key], host[key]) << key;
    EXPECT_FALSE(stub.contains("host"));
}

TEST(QemuStub, DiskNodesBecomeNullAndNicsHubports) {
    Definition d = assigned("q35", disk("vda", "virtio") +
                                       "<interface type='network'><mac address='52:54:00:00:00:01'/>"
                                       "<source network='default'/></interface>");
    qemu::DeviceOptions vda = qemu::device_options(d, index_of(d, "disk 'vda'"), qemu::Backends::Stub);
    ASSERT_EQ(vda.backends.size(), 2u);
    EXPECT_EQ((*vda.backends[0].json())["driver"], "null-co");
    EXPECT_EQ((*vda.backends[1].json())["driver"], "raw");
    qemu::DeviceOptions nic = qemu::device_options(d, index_of(d, "interface 52:54:00:00:00:01"), qemu::Backends::Stub);
    ASSERT_EQ(nic.backends.size(), 1u);
    EXPECT_EQ((*nic.backends[0].json())["type"], "hubport");
}

TEST(QemuCommandLine, StartsWithTheEmulatorAndNamesTheMachine) {
    std::vector<std::string> lines = qemu::command_line_text(assigned("q35", ""));
    ASSERT_FALSE(lines.empty());
    EXPECT_EQ(lines[0], "/usr/bin/qemu-system-x86_64");
    EXPECT_NE(std::find(lines.begin(), lines.end(),
                        "-machine pc-q35-7.2,usb=off,dump-guest-core=off,memory-backend=pc.ram"),
              lines.end());
    EXPECT_NE(std::find(lines.begin(), lines.end(), "-accel tcg"), lines.end());
}

// libvirt writes PCI controllers by index, so a switch's upstream port can
// come before the root port it plugs into; QEMU needs the bus to exist first.
TEST(QemuCommandLine, AControllerComesAfterTheBusItPlugsInto) {
    Definition d = assigned("q35", "<controller type='pci' index='1' model='pcie-switch-upstream-port'>"
                                   "<address type='pci' domain='0' bus='2' slot='0' function='0'/></controller>"
                                   "<controller type='pci' index='2' model='pcie-root-port'/>");
    std::vector<std::string> lines = qemu::command_line_text(d);
    auto at = [&](const std::string& id) {
        return std::find_if(lines.begin(), lines.end(),
                            [&](const std::string& l) { return l.find("\"id\":\"" + id + "\"") != std::string::npos; });
    };
    ASSERT_NE(at("pci.1"), lines.end());
    EXPECT_LT(at("pci.2"), at("pci.1"));
}

}  // namespace
}  // namespace guestaddr::testing
