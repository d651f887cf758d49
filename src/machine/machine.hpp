// Machine types: which chipset a (canonical) machine type has, and the
// QEMU capabilities addressing depends on.
#pragma once

#include <string>
#include <string_view>

#include "rules/libvirt_rules.hpp"

namespace guestaddr::model {
struct Domain;
}

namespace guestaddr::machine {

// S390Ccw is s390-ccw-virtio; Pseries the ppc64 pseries. ArmVirt is aarch64
// 'virt' (PCI Express, no fixed devices); ArmVexpress the Versatile Express
// boards (virtio-mmio only); ArmVersatilePb the Versatile/PB (PCI to libvirt,
// but without a PCI root it adds); ArmBoard any other ARM board (no bus
// libvirt addresses). RiscvVirt is riscv64 'virt' (PCI Express as ARM's,
// virtio-mmio too).
enum class Chipset {
    I440fx, Q35, Isapc, Microvm, S390Ccw, Pseries, ArmVirt, ArmVexpress, ArmVersatilePb, ArmBoard, RiscvVirt, None
};

struct EmulatorCapabilities;

struct MachineProfile {
    std::string canonical;  // e.g. pc-q35-7.2
    Chipset chipset = Chipset::None;
    // The libvirt rules the definition is addressed under (never null), and
    // the capabilities of the QEMU that runs it (null: not resolved from one).
    const rules::LibvirtRules* libvirt = &rules::libvirt_9_0();
    const EmulatorCapabilities* qemu = nullptr;

    const rules::LibvirtRules& rules() const { return *libvirt; }

    bool has_pci() const {
        return chipset == Chipset::I440fx || chipset == Chipset::Q35 || chipset == Chipset::ArmVirt || is_s390() ||
               is_pseries() || chipset == Chipset::RiscvVirt;
    }
    bool has_pcie_root() const {
        return chipset == Chipset::Q35 || chipset == Chipset::ArmVirt || chipset == Chipset::RiscvVirt;
    }
    // pSeries PHBs are pci-root controllers too (spec §3.4).
    bool has_pci_root() const { return chipset == Chipset::I440fx || is_s390() || is_pseries(); }
    // s390-ccw-virtio: virtio devices sit on the channel subsystem (CCW);
    // PCI is zPCI, a flat pci-root.
    bool is_s390() const { return chipset == Chipset::S390Ccw; }
    bool is_pseries() const { return chipset == Chipset::Pseries; }
    // The model of the SCSI controllers libvirt adds for disks and host devices.
    const char* implicit_scsi_model() const {
        return is_s390() ? "virtio-scsi" : is_pseries() ? "ibmvscsi" : "lsilogic";
    }
    bool is_arm() const {
        return chipset == Chipset::ArmVirt || chipset == Chipset::ArmVexpress || chipset == Chipset::ArmVersatilePb ||
               chipset == Chipset::ArmBoard;
    }
    // Whether libvirt gives devices PCI addresses at all: ARM boards other
    // than 'virt' and versatilepb leave them without.
    bool addresses_pci() const {
        return !is_arm() || chipset == Chipset::ArmVirt || chipset == Chipset::ArmVersatilePb;
    }
};

// The arch of a definition that names none (libvirt takes the host's).
inline constexpr const char* kDefaultArch = "x86_64";

// Resolves <os><type machine> for the arch: aliases become versioned names,
// an absent machine becomes QEMU's default. Throws Failure (Unsupported)
// for a machine type the emulator does not have.
MachineProfile resolve_machine(std::string_view arch, std::string_view machine);
// The same for a domain, on the QEMU and under the rules chosen for it
// (domain.qemu, domain.libvirt): the profile carries both.
MachineProfile resolve_machine(const model::Domain& domain);

}  // namespace guestaddr::machine
