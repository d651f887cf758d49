// What libvirt 9.0 does differently for a pSeries guest before addressing
// (spec §3.4): its own device defaults, and the devices it adds.
#pragma once

#include "model/domain.hpp"

namespace guestaddr::machine {

// Defaults that differ from x86: USB controllers are qemu-xhci, SCSI
// controllers ibmvscsi, videos vga, keyboards and mice USB, a panic device
// the pseries one, a TPM tpm-spapr. Runs before the generic defaults, which keep what it set.
void fill_pseries_defaults(model::Domain& domain);

// The pSeries has no ISA bus: its ISA serial ports (those the input wrote
// or left untyped, the console's) are spapr-vty devices on the VIO bus.
// Runs after the generic serial defaults: libvirt numbers the ports as ISA
// ports first.
void move_serials_to_vio(model::Domain& domain);

// The pSeries guest always has a panic device; a guest with graphics gets
// a USB keyboard and a USB mouse unless it has them (a tablet counts as a
// mouse).
void add_pseries_devices(model::Domain& domain);

}  // namespace guestaddr::machine
