// --stub-backends (shared/spec/stubbing.md): every host resource a command
// line names is replaced by a null stand-in, so that QEMU starts on any
// machine with the same guest. Placement properties (id, bus, addr,
// multifunction, port, chassis, ...) and the machine never change.
#pragma once

#include <cstddef>
#include <vector>

#include "qemu/device_options.hpp"
#include "qemu/option.hpp"

namespace guestaddr::qemu {

// A device's backends and -device objects. `hub` numbers the network hub
// a stubbed NIC gets to itself (the device index keeps it unique).
void stub_device_options(DeviceOptions& options, std::size_t hub);

// The options outside devices: accelerator, CPU, memory, secrets, monitor,
// display, firmware. Drops the ones that open host files.
void stub_general_options(std::vector<Option>& options);

}  // namespace guestaddr::qemu
