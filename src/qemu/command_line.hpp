// The QEMU command line libvirt 9.0 runs for an assigned definition: the
// emulator, then one option per line, each device as a JSON -device.
#pragma once

#include <string>
#include <vector>

#include "guestaddr/guestaddr.hpp"
#include "qemu/device_options.hpp"
#include "qemu/option.hpp"

namespace guestaddr::qemu {

// Every option after the emulator, in libvirt's order (a PCI controller
// always after the controller whose bus it plugs into, so that QEMU can
// start it).
std::vector<Option> command_line(const Definition& definition, Backends backends = Backends::Host);

// The emulator libvirt runs for the guest's arch (arch_profile.hpp).
std::string emulator(const Definition& definition);

// The emulator, then each option rendered as one line.
std::vector<std::string> command_line_text(const Definition& definition, Backends backends = Backends::Host);

}  // namespace guestaddr::qemu
