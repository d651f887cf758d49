// libvirt 9.0 (Debian bookworm, with QEMU 7.2).
#include "rules/libvirt_rules.hpp"

namespace guestaddr::rules {

namespace {
constexpr UsbKind kUsbPortOrder[] = {UsbKind::Hub,   UsbKind::Hostdev, UsbKind::Disk,  UsbKind::CcidController,
                                     UsbKind::Input, UsbKind::Serial,  UsbKind::Sound, UsbKind::Redirdev};
}  // namespace

const LibvirtRules& libvirt_9_0() {
    static constexpr LibvirtRules rules{
        .version = "9.0",
        .paired_qemu = "7.2",
        .fallback_machine = "integratorcp",  // the first machine QEMU lists
        .keeps_crypto = false,
        .q35_itco_watchdog = false,
        .several_watchdogs = false,
        .ib700_needs_i440fx = false,
        .usb_disk_needs_source = false,
        .console_port_counts_serial_console = false,
        .usb_port_order = kUsbPortOrder,
        .implicit_controllers_join_their_type = false,
    };
    return rules;
}

}  // namespace guestaddr::rules
