#include "machine/device_defaults.hpp"

namespace guestaddr::machine {
namespace {

// x86 PCs (and the PC-less x86 machines): what libvirt 9.0 has always done.
constexpr DefaultModels kPc{
    .usb_controller = "piix3-uhci",
    .nic = "rtl8139",
    .video = "cirrus",
    .input_bus = "ps2",
    .serial_target = "isa-serial",
    .keeps_isa_serials = true,
    .system_serial_model = "",
    .tpm = "tpm-tis",
};

// ARM 'virt': everything virtio, a PL011 UART for serial ports, and no ISA
// (a serial port written as ISA becomes the machine's own).
constexpr DefaultModels kArmVirt{
    .usb_controller = "qemu-xhci",
    .nic = "virtio",
    .video = "virtio",
    .input_bus = "usb",
    .serial_target = "system-serial",
    .keeps_isa_serials = false,
    .system_serial_model = "pl011",
    .tpm = "tpm-tis",
};

// Other ARM boards: their own on-board NIC, and serial ports with no
// target type libvirt knows.
constexpr DefaultModels kArmBoard{
    .usb_controller = "qemu-xhci",
    .nic = "lan9118",
    .video = "cirrus",
    .input_bus = "usb",
    .serial_target = "",
    .keeps_isa_serials = false,
    .system_serial_model = "",
    .tpm = "tpm-tis",
};

// The Versatile/PB has an SMSC 91C111 NIC.
constexpr DefaultModels kArmVersatilePb = [] {
    DefaultModels defaults = kArmBoard;
    defaults.nic = "smc91c111";
    return defaults;
}();

// s390x: virtio video, and no USB controller model of its own (one
// without a model or address is none: fill_s390x_device_defaults). The
// rest of libvirt's s390x defaults come first, in that function.
constexpr DefaultModels kS390Ccw = [] {
    DefaultModels defaults = kPc;
    defaults.usb_controller = "";
    defaults.video = "virtio";
    return defaults;
}();

// riscv64 'virt': ARM virt's, with a 16550A UART for serial ports.
constexpr DefaultModels kRiscvVirt = [] {
    DefaultModels defaults = kArmVirt;
    defaults.system_serial_model = "16550a";
    return defaults;
}();

// pSeries: a vga video (the rest comes first, in fill_pseries_defaults).
constexpr DefaultModels kPseries = [] {
    DefaultModels defaults = kPc;
    defaults.video = "vga";
    return defaults;
}();

}  // namespace

const DefaultModels& default_models(const MachineProfile& machine) {
    if (machine.chipset == Chipset::ArmVirt) return kArmVirt;
    if (machine.chipset == Chipset::RiscvVirt) return kRiscvVirt;
    if (machine.chipset == Chipset::ArmVersatilePb) return kArmVersatilePb;
    if (machine.is_arm()) return kArmBoard;
    if (machine.is_s390()) return kS390Ccw;
    if (machine.is_pseries()) return kPseries;
    return kPc;
}

}  // namespace guestaddr::machine
