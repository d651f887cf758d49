// The definition rules only a pSeries guest has: PHB numbers, its panic
// device, and the devices its QEMU does not have.
#pragma once

#include <vector>

#include "guestaddr/error.hpp"
#include "model/domain.hpp"

namespace guestaddr::validation {

void check_pseries_rules(const model::Domain& domain, std::vector<Error>& errors);

}  // namespace guestaddr::validation
