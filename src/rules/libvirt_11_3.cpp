// libvirt 11.3 (Debian trixie and bookworm-backports, with QEMU 10.0).
#include "rules/libvirt_rules.hpp"

namespace guestaddr::rules {

namespace {
// Ports go in the order libvirt walks a definition's devices.
constexpr UsbKind kUsbPortOrder[] = {UsbKind::Hub,    UsbKind::Disk,  UsbKind::Sound, UsbKind::Hostdev,
                                     UsbKind::CcidController, UsbKind::Serial, UsbKind::Input, UsbKind::Redirdev};
}  // namespace

const LibvirtRules& libvirt_11_3() {
    static constexpr LibvirtRules rules{
        .version = "11.3",
        .paired_qemu = "10.0",
        .fallback_machine = "integratorcp",  // the first machine QEMU lists
        .keeps_crypto = true,
        .q35_itco_watchdog = true,
        .several_watchdogs = true,
        .ib700_needs_i440fx = true,
        .usb_disk_needs_source = true,
        .console_port_counts_serial_console = true,
        .usb_port_order = kUsbPortOrder,
        .implicit_controllers_join_their_type = true,
    };
    return rules;
}

}  // namespace guestaddr::rules
