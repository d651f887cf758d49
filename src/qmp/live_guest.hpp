// A running QEMU as the other side of a definition: plug a device in, take
// it out, and check that every device sits where the definition says.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "guestaddr/guestaddr.hpp"
#include "qemu/device_options.hpp"
#include "qmp/qmp_client.hpp"

namespace guestaddr::qmp {

// Creates the backends of devices[index] and device_adds it, with the same
// objects a restart would put on the command line. On a refusal, whatever
// was created is removed again and Failure carries QEMU's reason.
void hotplug(QmpClient& qemu, const Definition& definition, std::size_t index, qemu::Backends backends);

// device_dels devices[index], waits for QEMU's DEVICE_DELETED (the guest
// must release the slot) up to `timeout`, then removes its backends.
void unplug(QmpClient& qemu, const Definition& definition, std::size_t index, qemu::Backends backends,
            std::chrono::milliseconds timeout);

// A device that is not where the definition says, and how.
struct Difference {
    std::string device;   // as errors name it
    std::string message;  // what QEMU has and what the definition says
    std::string to_string() const { return device + ": " + message; }
};

// Every difference between where the definition puts each device and where
// QEMU has it (bus and address, read from QOM, so a paused QEMU whose
// firmware has not numbered any bus yet is checked as well). Empty when
// everything is in place.
std::vector<Difference> differences(QmpClient& qemu, const Definition& definition);

// The same, and every device that has an address in the definition but
// nothing QMP can read back (a device the machine builds in, an address
// that is no property of the QEMU device), named with the reason instead of
// passing as checked. Bus and address come from QOM's parent_bus and addr;
// CCW device numbers, spapr-vio registers, PHB indexes and zPCI ids from
// their qom-get properties; virtio-mmio devices are checked to be on a
// virtio-mmio bus (QEMU chooses which, as libvirt's address names none).
// The devices on PCI root buses are also looked up in query-pci, the
// guest-visible config space: slot, function, and which root bus.
struct Verdict {
    std::vector<Difference> differences;
    std::vector<Difference> unchecked;
};
Verdict check(QmpClient& qemu, const Definition& definition);

}  // namespace guestaddr::qmp
