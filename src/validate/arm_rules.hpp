// What libvirt 9.0 refuses on ARM guests that it accepts on x86 ones: the
// PC devices QEMU's ARM machines do not have.
#pragma once

#include <vector>

#include "guestaddr/error.hpp"
#include "machine/machine.hpp"
#include "model/domain.hpp"

namespace guestaddr::validation {

// Every ARM rule the definition breaks (none for other machines).
std::vector<Error> broken_arm_rules(const model::Domain& domain, const machine::MachineProfile& machine);

}  // namespace guestaddr::validation
