// The options of a command line that are not devices: name, machine,
// accelerator, CPU, memory, NUMA, monitor, clock, power management, boot,
// display and audio backends, sandbox. Built from <domain> without <devices>.
#pragma once

#include <vector>

#include "qemu/option.hpp"

namespace guestaddr::qemu {

struct Source;

// From -name to -mon: everything before the first device.
std::vector<Option> leading_options(const Source& source);
// -rtc, -global for the clock and power management, -no-shutdown, -no-acpi, -boot.
std::vector<Option> platform_options(const Source& source);
// -audiodev, -vnc, -spice (after the inputs, as libvirt writes them).
std::vector<Option> display_options(const Source& source);
// -sandbox: libvirt's seccomp policy.
std::vector<Option> sandbox_options();

}  // namespace guestaddr::qemu
