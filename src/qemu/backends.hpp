// The host side of devices: -blockdev nodes of disks, -netdev of NICs,
// -chardev of character devices, -object memory backends. Built from the
// device's XML copy as libvirt 9.0 writes them; --stub-backends replaces
// them afterwards (stub.hpp).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "model/element.hpp"
#include "qemu/option.hpp"

namespace guestaddr::qemu {

struct Source;

// Where libvirt keeps a running domain's sockets ("/var/lib/libvirt/qemu/domain--1-NAME").
std::string domain_dir(const Source& source);

// -chardev for a character device element (<serial>, <channel>, <redirdev>,
// ... with its <source>), or for a bare <source> of shmem/virtiofs.
Option chardev(const Source& source, const model::Element& element, const std::string& id);

// The storage and format nodes of devices[index], a disk; empty for a disk
// without media. `format_node` receives the node the device's "drive" names.
std::vector<Option> disk_blockdevs(const Source& source, std::size_t index, std::string& format_node);

// -netdev of a NIC (a tap the caller opens, as libvirt does: "fd" is filled
// in when QEMU is started).
Option netdev(const model::Element& element, const std::string& id);

// -object memory-backend-* holding `size_kib` for the object `id`, per the
// domain's <memoryBacking> (memfd, shared) or the element's <source><path>;
// `extra` properties go before the size.
Option memory_backend(const Source& source, const model::Element* element, const std::string& id,
                      unsigned long long size_kib, const Json& extra = Json::object());

// A size element (<size unit='KiB'>...) in KiB.
unsigned long long size_in_kib(const model::Element* size);

}  // namespace guestaddr::qemu
