// Defaults libvirt fills into the devices a definition already has:
// controller indexes and models, disk buses, video and NIC models, and the
// serial/console pairing (spec §3.1; notes on libvirt 9.0's output).
#pragma once

#include <string_view>

#include "machine/machine.hpp"
#include "model/domain.hpp"

namespace guestaddr::machine {

// What libvirt 9.0 gives the devices of a machine that leave something
// out (default_models.cpp).
struct DefaultModels {
    std::string_view usb_controller;  // a USB controller with no model ("": it keeps none)
    std::string_view nic;             // an interface with no <model>
    std::string_view video;           // a video with no model, and the one graphics get
    std::string_view input_bus;       // a keyboard or mouse with no bus
    std::string_view serial_target;   // a serial port with no target type ("" for none)
    bool keeps_isa_serials;           // else an ISA serial port gets serial_target
    std::string_view system_serial_model;  // the <model name> of a system-serial port
    std::string_view tpm;                  // a TPM with no model
};
const DefaultModels& default_models(const MachineProfile& machine);

void fill_device_defaults(model::Domain& domain, const MachineProfile& machine);
// Gives the controllers without an index theirs. libvirt does it after the
// parse, which has added the SCSI controllers host devices need: call it
// after assign_drive_addresses.
void fill_controller_indexes(model::Domain& domain);

// Serial target types and ports, console targets, and the console that
// mirrors the first serial port (chardev_defaults.cpp).
void fill_chardev_defaults(model::Domain& domain, const MachineProfile& machine);

// The <model name> of a serial port's target type on the machine ("" for none).
std::string_view serial_target_model(std::string_view target_type, const MachineProfile& machine);
// Whether a serial port of that target type can have that <model name>.
bool serial_target_model_fits(std::string_view target_type, std::string_view model, const MachineProfile& machine);

// The first console mirrors the first serial port: after assignment it
// carries the serial's address too, as libvirt writes it.
void mirror_console_address(model::Domain& domain);

}  // namespace guestaddr::machine
