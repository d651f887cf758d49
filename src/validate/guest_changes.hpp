// What a guest would see change between two addressed forms of its
// definition (the same guest under other rules or on another QEMU): the
// machine type, devices there in one only, addresses and models.
#pragma once

#include <string>
#include <vector>

#include "model/domain.hpp"

namespace guestaddr::validation {

// One line per change, naming the device as errors do.
std::vector<std::string> guest_visible_changes(const model::Domain& before, const model::Domain& after);

}  // namespace guestaddr::validation
