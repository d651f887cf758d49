// Defaults libvirt fills into the devices a definition already has:
// controller indexes and models, disk buses, video and NIC models, and the
// serial/console pairing (spec §3.1; notes on libvirt 9.0's output).
#pragma once

#include <string_view>

#include "machine/machine.hpp"
#include "model/domain.hpp"

namespace guestaddr::machine {

void fill_device_defaults(model::Domain& domain, const MachineProfile& machine);
// Gives the controllers without an index theirs. libvirt does it after the
// parse, which has added the SCSI controllers host devices need: call it
// after assign_drive_addresses.
void fill_controller_indexes(model::Domain& domain);

// Serial target types and ports, console targets, and the console that
// mirrors the first serial port (chardev_defaults.cpp).
void fill_chardev_defaults(model::Domain& domain);

// The <model name> of a serial port's target type ("" for none).
std::string_view serial_target_model(std::string_view target_type);

// The first console mirrors the first serial port: after assignment it
// carries the serial's address too, as libvirt writes it.
void mirror_console_address(model::Domain& domain);

}  // namespace guestaddr::machine
