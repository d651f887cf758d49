#include <gtest/gtest.h>

#include "support.hpp"

namespace guestaddr::testing {
namespace {

std::string disk(const std::string& name, const std::string& bus, const std::string& address = "") {
    return "<disk type='file' device='disk'><source file='/x/" + name + "'/><target dev='" + name + "' bus='" + bus +
           "'/>" + address + "</disk>";
}

DriveAddress drive_of(const Definition& d, const std::string& who) {
    return std::get<DriveAddress>(device(d, who).address);
}

TEST(DriveAssigner, IdeUsesTwoBusesOfTwoUnits) {
    Definition d = assigned("pc", disk("hda", "ide") + disk("hdb", "ide") + disk("hdc", "ide") + disk("hdd", "ide"));
    EXPECT_EQ(drive_of(d, "disk 'hda'"), (DriveAddress{0, 0, 0, 0}));
    EXPECT_EQ(drive_of(d, "disk 'hdb'"), (DriveAddress{0, 0, 0, 1}));
    EXPECT_EQ(drive_of(d, "disk 'hdc'"), (DriveAddress{0, 1, 0, 0}));
    EXPECT_EQ(drive_of(d, "disk 'hdd'"), (DriveAddress{0, 1, 0, 1}));
    EXPECT_EQ(pci_of(d, "controller ide 0"), "0000:00:01.1");
}

TEST(DriveAssigner, SataHasSixPortsPerController) {
    Definition d = assigned("q35", disk("sdg", "sata"));
    EXPECT_EQ(drive_of(d, "disk 'sdg'"), (DriveAddress{1, 0, 0, 0}));
    EXPECT_NO_THROW(device(d, "controller sata 1"));
}

TEST(DriveAssigner, ScsiHasSevenUnitsPerControllerWhateverTheModel) {
    Definition d = assigned("q35", "<controller type='scsi' index='0' model='virtio-scsi'/>" + disk("sdh", "scsi"));
    EXPECT_EQ(drive_of(d, "disk 'sdh'"), (DriveAddress{1, 0, 0, 0}));
    EXPECT_EQ(device(d, "controller scsi 1").model, "lsilogic");
}

TEST(DriveAssigner, BusComesFromTheNameWhenAbsent) {
    Definition d = assigned("pc", "<disk type='file' device='disk'><source file='/x'/><target dev='sdb'/></disk>");
    EXPECT_EQ(device(d, "disk 'sdb'").bus, "scsi");
    EXPECT_EQ(drive_of(d, "disk 'sdb'"), (DriveAddress{0, 0, 0, 1}));
}

TEST(DriveAssigner, PartialAddressKeepsItsZerosInsteadOfTheName) {
    Definition d = assigned("q35", disk("sdn", "sata", "<address type='drive'/>"));
    EXPECT_EQ(drive_of(d, "disk 'sdn'"), (DriveAddress{0, 0, 0, 0}));
}

TEST(DriveAssigner, UnreadableNameWithoutAddressIsAnError) {
    auto errors = assign_errors("pc", disk("data", "scsi"));
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_EQ(errors[0].device, "disk 'data'");
}

}  // namespace
}  // namespace guestaddr::testing
