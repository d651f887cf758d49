// Drive addresses of IDE, SATA, SCSI and floppy disks (spec §6): derived
// from the disk's name when the input gives none.
#pragma once

#include "machine/machine.hpp"
#include "model/domain.hpp"

namespace guestaddr::assigners {

// How the disks of one bus type map onto controllers (spec §6.2): a disk's
// name index gives its controller and unit.
struct DriveLayout {
    std::string_view bus;  // the disks' <target bus>, which is the controller type too
    unsigned units_per_controller;
    unsigned units_per_bus;
};

// The layout of a disk bus, or null for a bus without drive addresses.
const DriveLayout* drive_layout(std::string_view bus);

void assign_drive_addresses(model::Domain& domain, const machine::MachineProfile& machine);

}  // namespace guestaddr::assigners
