// Which devices are PCI, PCI Express or "virtio" (PCIe where the machine
// has a PCIe root, conventional PCI elsewhere), and the connect flags that
// follow (spec §4).
#pragma once

#include <optional>

#include "machine/machine.hpp"
#include "model/device.hpp"
#include "topology/connect_flags.hpp"

namespace guestaddr::topology {

enum class PciKind { None, Pci, Pcie, Virtio, IntegratedPci, IntegratedVirtio };

PciKind pci_kind(const model::Device& device);

// The flags a device connects with on this machine (Hotpluggable for a
// device plugged into a running guest); nullopt for devices not on PCI.
std::optional<ConnectFlags> connect_flags(const model::Device& device, const machine::MachineProfile& machine);

}  // namespace guestaddr::topology
