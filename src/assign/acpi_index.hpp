// ACPI indexes (<acpi index='N'/>): the guest names a NIC with one enoN,
// whatever its slot. Written ones are kept and checked; with the guest's
// stable-nic-names policy every NIC gets the lowest free one.
#pragma once

#include "machine/machine.hpp"
#include "model/domain.hpp"

namespace guestaddr::assigners {

// After PCI assignment. Throws Failure naming the device: an index used
// twice or out of range, or (under the policy) a NIC on a bus where QEMU
// 7.2 would not give the guest its index.
void assign_acpi_indexes(model::Domain& domain, const machine::MachineProfile& machine);

}  // namespace guestaddr::assigners
