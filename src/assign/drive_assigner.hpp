// Drive addresses of IDE, SATA, SCSI and floppy disks (spec §6): derived
// from the disk's name when the input gives none.
#pragma once

#include "machine/machine.hpp"
#include "model/domain.hpp"

namespace guestaddr::assigners {

void assign_drive_addresses(model::Domain& domain, const machine::MachineProfile& machine);

}  // namespace guestaddr::assigners
