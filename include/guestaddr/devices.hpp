// The query API: what a definition holds, device by device, for programs
// that want guestaddr's answers without parsing the XML or the CLI's text.
//
//     #include <guestaddr/devices.hpp>
//
//     auto parsed = guestaddr::parse(xml);              // guestaddr/guestaddr.hpp
//     if (!parsed) { /* parsed.errors(): every error, naming the device */ }
//     auto assigned = guestaddr::assign(std::move(*parsed));
//     for (const guestaddr::DeviceInfo& d : guestaddr::devices(*assigned))
//         std::cout << d.name << " at " << guestaddr::address_to_string(d.address) << '\n';
//
// devices() reads the definition as it is: called before assign(), it gives
// the addresses the definition writes (and monostate where it writes none);
// after, every address guestaddr chose and the devices it added.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "guestaddr/address.hpp"
#include "guestaddr/export.hpp"
#include "guestaddr/guestaddr.hpp"

namespace guestaddr {

struct DeviceInfo {
    // Its position among the definition's devices: the index attach()
    // returns (Attachment::device) and detach() and live_plug_refusal() take.
    std::size_t index = 0;
    // Its kind: the libvirt element it is ("disk", "interface", "controller",
    // "video", "memballoon", "serial", ...).
    std::string kind;
    // Its name as guestaddr's errors, `tree` and `explain` give it: "disk
    // 'vda'", "interface 52:54:00:00:00:01", "controller pci 1", "video #0"
    // (the kind and its position among the devices of that kind otherwise).
    // `guestaddr explain` takes it as its DEVICE.
    std::string name;

    // What it is, as the definition says (or libvirt's default that assign()
    // fills in); "" where the kind has none of it.
    std::string type;         // the type attribute: a controller's ("pci", "usb", "scsi"), an interface's ("network"), ...
    std::string model;        // its model: "virtio", "pcie-root-port", "qemu-xhci", "e1000e", ...
    std::string device_kind;  // a disk's device ("disk", "cdrom", "floppy", "lun")
    std::string bus;          // a disk's <target bus>, an input's bus ("virtio", "sata", "usb", "ps2", ...)

    // What identifies it, each "" (or nullopt) where it has none: any of
    // these is also a DEVICE `guestaddr explain` takes.
    std::string alias;                     // <alias name>
    std::string mac;                       // an interface's MAC
    std::string disk_target;               // a disk's <target dev>: "vda", "sdb", ...
    std::string target_name;               // a channel's <target name>, a filesystem's <target dir>
    std::optional<unsigned> controller_index;  // a controller's index

    // Where it is: monostate when it sits on no bus (a graphics device, or a
    // device assign() has not placed yet).
    Address address;
    // guestaddr added it (assign() writes out the devices libvirt adds on
    // its own: root buses, USB controllers, memballoon, ...); false for every
    // device the definition lists.
    bool implicit = false;
};

// Every device of the definition, in document order (the devices assign()
// added last). Linear in the number of devices.
GUESTADDR_API std::vector<DeviceInfo> devices(const Definition& definition);

// An address as `guestaddr explain` takes it: "pci:0000:00:03.0",
// "drive:0.0.0.1" (controller, bus, target, unit), "usb:0:1.2" (bus, then
// the port path), "virtio-serial:0.0.1", "ccid:0.1", and for the types kept
// as written, the type and the attributes' values in document order
// ("ccw:0xfe.0x0.0x0002", "dimm:0.0x100000000"); "" for none.
GUESTADDR_API std::string address_to_string(const Address& address);

}  // namespace guestaddr
