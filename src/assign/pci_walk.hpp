// Placement of devices without a PCI address, in libvirt's order, and the
// fix-ups that follow it.
#pragma once

#include "machine/machine.hpp"
#include "model/domain.hpp"
#include "topology/pci_address_set.hpp"

namespace guestaddr::assigners {

// Gives every device that wants a PCI address one (written to the device
// only when the set commits). Order (spec §5.4): PCI controllers,
// filesystems, NICs, sound, other controllers, virtio disks, hostdevs,
// balloon, RNGs, watchdog, video, shmem, inputs, serials, IOMMU, vsock,
// memory devices, crypto, panic.
void place_devices(model::Domain& domain, topology::PciAddressSet& set, const machine::MachineProfile& machine);

// Marks function 0 of every slot with other functions in use as
// multifunction, unless the input said multifunction='off'.
void set_multifunction(model::Domain& domain);

// Fills <model name>, chassisNr, chassis, port and busNr of PCI controllers
// and checks that each pci-bridge's index is above its bus.
void fill_pci_controller_defaults(model::Domain& domain);

}  // namespace guestaddr::assigners
