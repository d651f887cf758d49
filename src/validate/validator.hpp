// `validate`: is a definition complete (every device addressed, every
// implicit device present, the machine type canonical) and consistent?
#pragma once

#include <vector>

#include "guestaddr/error.hpp"
#include "model/domain.hpp"

namespace guestaddr::validation {

// Every problem found; empty when the definition needs no change.
std::vector<Error> check(const model::Domain& domain);

}  // namespace guestaddr::validation
