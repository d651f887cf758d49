#include <gtest/gtest.h>

#include "support.hpp"

namespace guestaddr::testing {
namespace {

struct RuleCase {
    const char* name;
    const char* machine;
    const char* devices;
    const char* device;  // who the error must name
    const char* words;   // what the message must say
};

void PrintTo(const RuleCase& c, std::ostream* os) { *os << c.name; }

class BrokenRule : public ::testing::TestWithParam<RuleCase> {};

TEST_P(BrokenRule, IsRefusedNamingTheDevice) {
    const RuleCase& c = GetParam();
    auto errors = assign_errors(c.machine, c.devices);
    ASSERT_FALSE(errors.empty());
    EXPECT_EQ(errors[0].device, c.device);
    EXPECT_NE(errors[0].message.find(c.words), std::string::npos) << errors[0].message;
}

INSTANTIATE_TEST_SUITE_P(
    Libvirt90, BrokenRule,
    ::testing::Values(
        RuleCase{"DuplicateTarget", "pc",
                 "<disk type='file'><target dev='sda' bus='sata'/></disk><disk type='file'><target dev='sda' bus='scsi'/></disk>",
                 "disk 'sda'", "target 'sda'"},
        RuleCase{"DuplicateDriveAddress", "q35",
                 "<disk type='file'><target dev='sda' bus='sata'/></disk>"
                 "<disk type='file'><target dev='sdc' bus='sata'/><address type='drive' unit='0'/></disk>",
                 "disk 'sda'", "duplicate drive address"},
        RuleCase{"SecondIdeController", "pc", "<controller type='ide' index='1'/>", "controller ide 1", "single IDE"},
        RuleCase{"IdeOnQ35", "q35", "<disk type='file' device='cdrom'><target dev='hdc' bus='ide'/></disk>", "disk 'hdc'",
                 "IDE"},
        RuleCase{"LsilogicTarget", "pc",
                 "<disk type='file'><target dev='sda' bus='scsi'/><address type='drive' target='1'/></disk>", "disk 'sda'",
                 "lsilogic"},
        RuleCase{"TwoWatchdogs", "pc", "<watchdog model='i6300esb'/><watchdog model='ib700'/>", "watchdog #1",
                 "single watchdog"},
        RuleCase{"TwoSmartcards", "pc", "<smartcard mode='host'/><smartcard mode='host'/>", "smartcard #1", "one smartcard"},
        RuleCase{"SecondaryCirrus", "pc", "<video><model type='qxl'/></video><video><model type='cirrus'/></video>",
                 "video #1", "primary"},
        RuleCase{"IsaSerialPastPortThree", "pc", "<serial type='pty'><target type='isa-serial' port='4'/></serial>",
                 "serial #0", "ISA serial port 4"},
        RuleCase{"PciControllerIndexTwice", "q35",
                 "<controller type='pci' index='1' model='pcie-root-port'/><controller type='pci' index='1' model='pcie-root-port'/>",
                 "controller pci 1", "more than one PCI controller"},
        RuleCase{"UnknownControllerType", "pc", "<controller type='raw' index='0'/>", "controller raw 0",
                 "unknown controller type"},
        RuleCase{"FunctionEight", "pc",
                 "<interface type='user'><mac address='52:54:00:00:00:01'/><address type='pci' bus='0' slot='3' function='8'/></interface>",
                 "interface 52:54:00:00:00:01", "function"},
        RuleCase{"RootPortSlotNotZero", "q35",
                 "<controller type='pci' index='1' model='pcie-root-port'/>"
                 "<interface type='user'><mac address='52:54:00:00:00:01'/><address type='pci' bus='1' slot='3'/></interface>",
                 "interface 52:54:00:00:00:01", "slot must be <= 0"}),
    [](const ::testing::TestParamInfo<RuleCase>& info) { return info.param.name; });

}  // namespace
}  // namespace guestaddr::testing
