// The order in which libvirt visits every device of a definition when it
// reserves or hands out addresses of one kind (PCI, CCW): kind by kind, each
// kind in its list order.
#pragma once

#include <cstddef>
#include <vector>

#include "model/domain.hpp"

namespace guestaddr::model {

// Indexes into domain.devices of every device, in that order.
std::vector<std::size_t> device_iteration_order(const Domain& domain);

}  // namespace guestaddr::model
