// What QEMU 7.2 (Debian bookworm) offers, as data. Another QEMU version is
// another table of this shape.
#pragma once

#include <span>
#include <string_view>

#include "machine/machine.hpp"

namespace guestaddr::machine {

struct MachineType {
    std::string_view name;
    Chipset chipset;
};

struct MachineAlias {
    std::string_view alias;
    std::string_view target;
};

struct EmulatorCapabilities {
    std::span<const std::string_view> arches;
    std::span<const MachineType> machines;
    std::span<const MachineAlias> aliases;
    std::string_view default_machine;
};

// qemu-system-x86_64 / qemu-system-i386 7.2.
const EmulatorCapabilities& qemu_7_2_x86();
// qemu-system-s390x 7.2 (qemu_7_2_s390x.cpp).
const EmulatorCapabilities& qemu_7_2_s390x();
// qemu-system-aarch64 7.2 (qemu_7_2_aarch64.cpp).
const EmulatorCapabilities& qemu_7_2_aarch64();
// qemu-system-arm 7.2 (armv7l guests; qemu_7_2_arm.cpp).
const EmulatorCapabilities& qemu_7_2_arm();
// qemu-system-riscv64 7.2 (qemu_7_2_riscv64.cpp).
const EmulatorCapabilities& qemu_7_2_riscv64();
// qemu-system-ppc64 7.2 (big and little endian guests): pseries only.
const EmulatorCapabilities& qemu_7_2_ppc64();

}  // namespace guestaddr::machine
