// What libvirt 9.0 fills in and adds on s390-ccw-virtio, where virtio is the
// default bus of everything: NICs, video, inputs and SCSI controllers default
// to their virtio models, serial ports to the SCLP console; USB controllers
// without a model or an address are none.
#pragma once

#include "model/domain.hpp"

namespace guestaddr::machine {

// Runs before the generic defaults, which then leave these devices alone.
void fill_s390x_device_defaults(model::Domain& domain);

// The s390 panic device (the guest's crash notification through the
// hypervisor), which libvirt adds to every s390x guest.
void add_s390x_panic(model::Domain& domain);

}  // namespace guestaddr::machine
