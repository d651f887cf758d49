// CCW addresses (spec §8.4): on s390-ccw-virtio the virtio devices and the
// host's channel devices sit on the channel subsystem. Addresses written in
// the definition are checked and kept; every other such device takes the
// lowest free device number in subchannel set 0 of the virtual channel
// subsystem (0xfe), in libvirt's device order.
#pragma once

#include "machine/machine.hpp"
#include "model/domain.hpp"

namespace guestaddr::assigners {

void assign_ccw_addresses(model::Domain& domain, const machine::MachineProfile& machine);

}  // namespace guestaddr::assigners
