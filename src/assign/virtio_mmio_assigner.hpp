// virtio-mmio (spec §3.4, §8.5): on ARM machines with virtio-mmio
// transports, the virtio devices libvirt does not put on PCI get a
// virtio-mmio address, which carries no value (QEMU picks the transport).
#pragma once

#include "machine/machine.hpp"
#include "model/domain.hpp"

namespace guestaddr::assigners {

// Runs before PCI assignment: a device this gives virtio-mmio is no longer
// one PCI assignment places.
void assign_virtio_mmio_addresses(model::Domain& domain, const machine::MachineProfile& machine);

}  // namespace guestaddr::assigners
