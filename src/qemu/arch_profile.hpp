// What the QEMU command line and the run-time commands (argv, attach,
// detach, verify) differ in from one guest architecture to the next, as
// data: one row per arch, chosen once from the definition and handed down.
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "machine/machine.hpp"

namespace guestaddr::qemu {

struct ArchProfile {
    std::string_view arch;      // libvirt's <type arch>
    std::string_view emulator;  // the binary libvirt 9.0 runs for it
    // The machine types (by chipset) the run-time commands are made for.
    std::span<const machine::Chipset> chipsets;
    std::string_view ram_id;       // the id of the guest RAM backend (-machine memory-backend=)
    std::string_view default_cpu;  // -cpu when <cpu> names no model ("": no -cpu)
    std::string_view machine_extra;  // what libvirt adds to -machine under TCG
    bool acpi_switch;     // -no-acpi when <features><acpi/> is absent
    bool pc_platform;     // PIIX4/ICH9 power management, the PIT, the HPET
    bool virtio_vga;      // a primary virtio video is virtio-vga (else virtio-gpu)
};

// The row for an arch; nullptr when the run-time commands do not know it.
const ArchProfile* arch_profile(std::string_view arch);
// Whether `chipset` is one the row's run-time commands are made for.
bool runtime_machine(const ArchProfile& profile, machine::Chipset chipset);
// "x86_64 (pc, q35, ...), aarch64 (virt), ..." for refusals.
std::string runtime_arches_text();

}  // namespace guestaddr::qemu
