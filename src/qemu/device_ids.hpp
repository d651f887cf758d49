// The QEMU id of every device: the alias libvirt 9.0 gives it
// (qemuAssignDeviceAliases; spec §13.1). Other QEMU objects are named after
// it (charserial0, hostnet3, drive-scsi0-0-0-0), and a hotplugged device is
// found again by it.
#pragma once

#include <string>
#include <vector>

namespace guestaddr::qemu {

struct Source;

// By device index; "" for devices libvirt names nothing (panic, leases,
// graphics, ...). A user alias (<alias name='ua-...'>) is kept.
std::vector<std::string> device_ids(const Source& source);

}  // namespace guestaddr::qemu
