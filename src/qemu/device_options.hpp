// The QEMU options of ONE device. A cold start puts them on the command
// line; hotplug sends the same objects over QMP (blockdev-add, netdev_add,
// chardev-add or object-add for each backend in order, then device_add for
// each device), so that a device plugged into a running guest is exactly the
// device a restart of that guest creates.
#pragma once

#include <cstddef>
#include <vector>

#include "guestaddr/guestaddr.hpp"
#include "qemu/option.hpp"

namespace guestaddr::qemu {

struct Source;

struct DeviceOptions {
    std::vector<Option> backends;  // host side (-blockdev, -netdev, -chardev, -object, -fsdev), created first
    std::vector<Json> devices;     // -device properties: the device, then what plugs into it (HDA codecs);
                                   // empty for devices QEMU has built in (root bus, PS/2, primary IDE)
    std::vector<Option> after;     // options that follow the device on a command line (-watchdog-action)
};

// Host resources, or their null stand-ins of --stub-backends (stub.hpp).
enum class Backends { Host, Stub };

// devices[index] of an assigned definition (assign() first: ids and
// placement come from the addresses).
DeviceOptions device_options(const Definition& definition, std::size_t index, Backends backends = Backends::Host);

// The same, from a Source made once for a whole command line.
DeviceOptions device_options(const Source& source, std::size_t index, Backends backends);

}  // namespace guestaddr::qemu
