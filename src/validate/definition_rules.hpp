// Rules a definition must follow before it can be addressed, as libvirt 9.0
// enforces them for QEMU 7.2 (device counts, models, drive limits, ...).
#pragma once

#include <vector>

#include "guestaddr/error.hpp"
#include "machine/machine.hpp"
#include "model/domain.hpp"

namespace guestaddr::validation {

// Every rule broken, in the order libvirt would report them.
std::vector<Error> broken_definition_rules(const model::Domain& domain, const machine::MachineProfile& machine);

// Throws Failure with the first rule broken.
void check_definition_rules(const model::Domain& domain, const machine::MachineProfile& machine);

}  // namespace guestaddr::validation
