// parse -> model -> canonicalise -> assign: the order the stages run in.
#pragma once

#include "model/domain.hpp"

namespace guestaddr::assigners {

// Canonicalises the machine, adds implicit devices and defaults, checks the
// definition's rules and gives every device an address. Throws Failure.
void assign_all(model::Domain& domain);

}  // namespace guestaddr::assigners
