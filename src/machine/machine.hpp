// Machine types: which chipset a (canonical) machine type has, and the
// QEMU capabilities addressing depends on.
#pragma once

#include <string>
#include <string_view>

namespace guestaddr::machine {

enum class Chipset { I440fx, Q35, Isapc, Microvm, Pseries, None };

struct MachineProfile {
    std::string canonical;  // e.g. pc-q35-7.2
    Chipset chipset = Chipset::None;

    bool has_pci() const { return chipset == Chipset::I440fx || chipset == Chipset::Q35 || is_pseries(); }
    bool has_pcie_root() const { return chipset == Chipset::Q35; }
    // pSeries PHBs are pci-root controllers too (spec §3.4).
    bool has_pci_root() const { return chipset == Chipset::I440fx || is_pseries(); }
    bool is_pseries() const { return chipset == Chipset::Pseries; }
    // The model of a SCSI controller libvirt adds for disks or host devices.
    const char* default_scsi_model() const { return is_pseries() ? "ibmvscsi" : "lsilogic"; }
};

// The arch of a definition that names none (libvirt takes the host's).
inline constexpr const char* kDefaultArch = "x86_64";

// Resolves <os><type machine> for the arch: aliases become versioned names,
// an absent machine becomes QEMU's default. Throws Failure (Unsupported)
// for a machine type the emulator does not have.
MachineProfile resolve_machine(std::string_view arch, std::string_view machine);

}  // namespace guestaddr::machine
