// Ports of virtio channels on virtio-serial controllers (spec §8.1).
#pragma once

#include "model/domain.hpp"

namespace guestaddr::assigners {

void assign_virtio_serial_addresses(model::Domain& domain);

}  // namespace guestaddr::assigners
