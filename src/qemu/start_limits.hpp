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

// What libvirt itself refuses when it builds the command line, checking the
// definition against its QEMU's capabilities (which its define does not):
// a USB controller model whose device that QEMU does not have (qemu-xhci in
// QEMU 7.2 for s390x). Empty when the guest's QEMU is not known.
std::vector<Error> refused_at_start(const Definition& definition);

}  // namespace guestaddr::qemu
