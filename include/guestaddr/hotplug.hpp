// Adding and removing one device without moving any other.
#pragma once

#include <cstddef>
#include <optional>
#include <string_view>

#include "guestaddr/guestaddr.hpp"

namespace guestaddr {

enum class Plug {
    Cold,  // into the stopped guest's definition (libvirt's --config): may add root ports, bridges, hubs
    Live,  // into a running guest: a hot-pluggable place that exists already, nothing else added
};

struct Attachment {
    Definition definition;  // the definition with the device added and addressed
    std::size_t device;     // the new device's index in definition.domain().devices
};

// Adds the device `device_xml` (one device element) to an addressed
// definition and gives it an address. Every other device keeps its address.
// Errors: malformed device XML, an address already taken, no room (Live: no
// hot-pluggable room).
// `prefer` ("hotplug=no,bus=pcie,numa=1") is the device's placement
// preference, kept in the definition's <metadata> with any the device
// element carries (<guestaddr:prefer>).
GUESTADDR_API Result<Attachment> attach(Definition definition, std::string_view device_xml, Plug plug, std::string_view prefer = {});

// The index of the device `device_xml` names: an interface by MAC, a disk by
// target, a controller by type and index, otherwise by alias or address.
GUESTADDR_API Result<std::size_t> find_device(const Definition& definition, std::string_view device_xml);

// Removes devices[index]. A controller that still has devices on it, or the
// root bus, cannot be removed.
GUESTADDR_API Result<Definition> detach(Definition definition, std::size_t index);

// Why the running guest could not take devices[index] being plugged in or
// out live (a PCI device of a PC guest without ACPI: it would not see the
// change where the definition puts it; a bus QEMU 7.2 hot-plugs nothing
// onto: virtio-mmio, pSeries spapr-vio, aarch64 virt's pcie.0); nothing
// when it can. A Live attach
// checks this itself; a live detach asks before unplugging.
GUESTADDR_API std::optional<Error> live_plug_refusal(const Definition& definition, std::size_t index);

}  // namespace guestaddr
