// What QEMU 7.2 refuses at start although libvirt 9.0 accepts the
// definition (its define checks less than QEMU's device realization): the
// command line would be libvirt's own, and QEMU would refuse it the same way.
#pragma once

#include <vector>

#include "guestaddr/guestaddr.hpp"

namespace guestaddr::qemu {

// Every device of the assigned definition that QEMU 7.2 cannot start as
// placed, each naming the device and the limit; empty when it can start.
std::vector<Error> unstartable(const Definition& definition);

}  // namespace guestaddr::qemu
