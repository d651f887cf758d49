#include "qemu/arch_profile.hpp"

#include <algorithm>
#include <array>

namespace guestaddr::qemu {
namespace {

using machine::Chipset;

constexpr Chipset kPcChipsets[]{Chipset::I440fx, Chipset::Q35, Chipset::Isapc, Chipset::Microvm};
constexpr Chipset kArmVirt[]{Chipset::ArmVirt};
constexpr Chipset kPseries[]{Chipset::Pseries};
constexpr Chipset kS390Ccw[]{Chipset::S390Ccw};
constexpr Chipset kRiscvVirt[]{Chipset::RiscvVirt};

// libvirt 9.0 with QEMU 7.2, TCG. The chipsets not listed (the other ARM
// boards, riscv64, armv7l) are addressed by `assign` but never started.
constexpr std::array kArches{
    ArchProfile{"x86_64", "/usr/bin/qemu-system-x86_64",
                kPcChipsets,
                "pc.ram", "qemu64", "", true, true, true},
    ArchProfile{"i686", "/usr/bin/qemu-system-i386",
                kPcChipsets,
                "pc.ram", "qemu32", "", true, true, true},
    ArchProfile{"aarch64", "/usr/bin/qemu-system-aarch64",
                kArmVirt,
                "mach-virt.ram", "cortex-a15", ",gic-version=2", true, false, false},
    // No ACPI on 32-bit ARM: no -no-acpi; libvirt writes the GIC version
    // into <features> instead of -machine.
    ArchProfile{"armv7l", "/usr/bin/qemu-system-arm", kArmVirt, "mach-virt.ram", "cortex-a15", "", false, false, false},
    // No -cpu (QEMU's default), a primary virtio video is virtio-vga.
    ArchProfile{"riscv64", "/usr/bin/qemu-system-riscv64", kRiscvVirt, "riscv_virt_board.ram", "", "", false, false, true},
    ArchProfile{"ppc64", "/usr/bin/qemu-system-ppc64",
                kPseries,
                "ppc_spapr.ram", "POWER9", "", false, false, false},
    ArchProfile{"ppc64le", "/usr/bin/qemu-system-ppc64",
                kPseries,
                "ppc_spapr.ram", "POWER9", "", false, false, false},
    ArchProfile{"s390x", "/usr/bin/qemu-system-s390x",
                kS390Ccw,
                "s390.ram", "qemu", "", false, false, false},
};

}  // namespace

const ArchProfile* arch_profile(std::string_view arch) {
    if (arch.empty()) arch = machine::kDefaultArch;
    for (const ArchProfile& p : kArches)
        if (p.arch == arch) return &p;
    return nullptr;
}

bool runtime_machine(const ArchProfile& profile, machine::Chipset chipset) {
    return std::find(profile.chipsets.begin(), profile.chipsets.end(), chipset) != profile.chipsets.end();
}

std::string runtime_arches_text() {
    return "x86_64 and i686 (pc, q35, isapc, microvm), aarch64, armv7l and riscv64 (virt), ppc64 and ppc64le (pseries), "
           "s390x (s390-ccw-virtio)";
}

}  // namespace guestaddr::qemu
