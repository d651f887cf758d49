// What a libvirt version does where libvirt versions differ, as data: one
// table per version (libvirt_9_0.cpp, libvirt_11_3.cpp), each behaviour that
// differs a named entry. Assigners and validators read an entry; none of them
// compares version numbers. Adding a libvirt version is adding a table.
#pragma once

#include <span>
#include <string_view>

namespace guestaddr::rules {

// The kinds of USB device, as libvirt gives them ports.
enum class UsbKind : unsigned char { Hub, Hostdev, Disk, CcidController, Input, Serial, Sound, Redirdev };

struct LibvirtRules {
    std::string_view version;  // "9.0": the libvirt release whose behaviour this is
    // The QEMU this libvirt came with (its distribution's): the capabilities
    // taken when the host's QEMU is not known.
    std::string_view paired_qemu;
    // The machine taken when neither the definition nor QEMU names one (aarch64).
    std::string_view fallback_machine;

    // <crypto> devices are kept and addressed (virtio-crypto); else the
    // element is dropped, address and all.
    bool keeps_crypto;
    // A q35 guest always has the chipset's iTCO watchdog, written out as
    // <watchdog model='itco'/>; other watchdogs may sit beside it.
    bool q35_itco_watchdog;
    // More than one watchdog may be given (else only one).
    bool several_watchdogs;
    // The ISA ib700 watchdog is refused on machines with no ISA bus of
    // their own (q35).
    bool ib700_needs_i440fx;
    // A USB disk needs a medium (an empty USB disk is refused).
    bool usb_disk_needs_source;
    // A console that is no serial port is numbered by its position among all
    // consoles, the one libvirt adds for the first serial port included
    // (else among the consoles the definition gives).
    bool console_port_counts_serial_console;
    // The order in which USB devices are given ports, kind by kind.
    std::span<const UsbKind> usb_port_order;
    // A controller libvirt adds joins the others of its type in its list
    // (by index; at the end when it is the first of its type), so PCI slots
    // go to it in that order; else it is appended to the list.
    bool implicit_controllers_join_their_type;
};

const LibvirtRules& libvirt_9_0();
const LibvirtRules& libvirt_11_3();

// Every built-in table, oldest first.
std::span<const LibvirtRules* const> known_libvirts();
// The table of a version ("9.0", "11.3"; "9.0.0" too), or null.
const LibvirtRules* find_libvirt(std::string_view version);
// The newest built-in rules.
const LibvirtRules& newest_libvirt();
// The pairing table, as data (each table's paired_qemu): the rules of the
// libvirt that comes with QEMU `major`.`minor`, or with the newest QEMU
// before it (libvirt 9.0 for QEMU 7.2 to 9.x, 11.3 for 10.0 and later); the
// oldest rules for a QEMU older than every pair.
const LibvirtRules& libvirt_paired_with(int major, int minor);

}  // namespace guestaddr::rules
