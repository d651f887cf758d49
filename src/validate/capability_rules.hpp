// Devices the QEMU that runs the guest must have: a definition using a
// device model that QEMU lacks (a module not installed, a build without it)
// is refused as libvirt refuses it on that host.
#pragma once

#include <vector>

#include "guestaddr/error.hpp"
#include "machine/machine.hpp"
#include "model/domain.hpp"

namespace guestaddr::validation {

// Appends an error for every device whose model the emulator of `machine` lacks.
void check_emulator_capabilities(const model::Domain& domain, const machine::MachineProfile& machine,
                                 std::vector<Error>& errors);

}  // namespace guestaddr::validation
