// DIMM slots of memory modules (spec §8.5): the lowest slot no other module
// uses; the base address is left to QEMU.
#pragma once

#include <optional>

#include "model/domain.hpp"

namespace guestaddr::assigners {

void assign_dimm_slots(model::Domain& domain);

// The slot of a memory module's dimm address, if it has one.
std::optional<unsigned> dimm_slot(const model::Device& device);

}  // namespace guestaddr::assigners
