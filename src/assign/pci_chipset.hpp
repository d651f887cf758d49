// The fixed functions of the i440fx (PIIX3) and q35 (ICH9) chipsets, and
// the standard places libvirt gives the primary video, the primary IDE/SATA
// and USB controllers and a DMI bridge (spec §3.2, §3.3).
#pragma once

#include "machine/machine.hpp"
#include "model/domain.hpp"
#include "topology/pci_address_set.hpp"

namespace guestaddr::assigners {

// A function the chipset itself occupies, which no device of the definition stands for.
struct ChipsetFunction {
    PciAddress address;
    topology::Connect connects_as;
    const char* name;
};

// The chipset's own functions on this machine (none without a known chipset).
std::vector<ChipsetFunction> chipset_functions(const machine::MachineProfile& machine);

void reserve_chipset_slots(model::Domain& domain, topology::PciAddressSet& set,
                           const machine::MachineProfile& machine);

}  // namespace guestaddr::assigners
