// PCI and PCI Express addresses (spec §5): keeps every address the input
// has, places the rest first-fit in libvirt's device order, and adds the
// root ports and bridges needed to do so.
#pragma once

#include "guestaddr/guestaddr.hpp"
#include "machine/machine.hpp"
#include "model/domain.hpp"

namespace guestaddr::assigners {

// Throws Failure naming the device when an address is invalid, taken twice,
// or no room can be found or made.
void assign_pci_addresses(model::Domain& domain, const machine::MachineProfile& machine);

// Free places that take hot-plugged devices, of an addressed domain.
HotplugCapacity free_hotplug_capacity(const model::Domain& domain, const machine::MachineProfile& machine);

}  // namespace guestaddr::assigners
