// spapr-vio registers (spec §8.3): the devices QEMU models on the PAPR VIO
// bus get a register address from their kind's start value upwards.
#pragma once

#include "model/domain.hpp"

namespace guestaddr::assigners {

void assign_spapr_vio_addresses(model::Domain& domain);

}  // namespace guestaddr::assigners
