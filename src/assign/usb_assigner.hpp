// USB ports (spec §7), smartcard CCID slots (§8.2) and DIMM slots (§8.5).
#pragma once

#include "machine/machine.hpp"
#include "model/domain.hpp"

namespace guestaddr::assigners {

// Adds the hubs needed when USB devices outnumber ports, reserves explicit
// USB addresses (hubs first) and gives every other USB device the first
// free port. Throws Failure naming the device.
void assign_usb_addresses(model::Domain& domain, const machine::MachineProfile& machine);

// The ports of a USB hub.
inline constexpr unsigned kUsbHubPorts = 8;
// The root ports a USB controller brings to its bus (its companions' add up).
unsigned usb_root_ports(const model::Device& controller);
bool is_usb_hub(const model::Device& device);

}  // namespace guestaddr::assigners
