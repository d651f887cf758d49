// The -device properties that pin a device to its place: the bus it plugs
// into and its address on that bus (spec §13.2). These never change between
// a normal and a --stub-backends command line.
#pragma once

#include <cstddef>
#include <string>

#include "guestaddr/address.hpp"
#include "qemu/option.hpp"

namespace guestaddr::qemu {

struct Source;

// "0x1" for function 0, "0x1.0x2" otherwise.
std::string pci_addr(const PciAddress& address);

// Adds bus/addr/multifunction, bus/port, bus/nr, bus/unit, bus/scsi-id/...
// for devices[index]'s address; nothing for a device without one.
void add_placement(const Source& source, std::size_t index, Json& properties);

}  // namespace guestaddr::qemu
