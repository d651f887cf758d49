#include "assign/virtio_mmio_assigner.hpp"

#include <algorithm>

#include "guestaddr/error.hpp"

namespace guestaddr::assigners {
namespace {

using model::Device;
using model::DeviceClass;
using model::Domain;

bool is_virtio_model(const model::Text& model) { return model.starts_with("virtio"); }

bool has_virtio_mmio_address(const Device& d) {
    const auto* a = std::get_if<OtherAddress>(&d.address);
    return a != nullptr && a->type == "virtio-mmio";
}

// The devices libvirt moves to virtio-mmio: virtio disks, NICs, inputs,
// videos, serial controllers, balloon and RNGs, SCSI controllers of any
// model (lsilogic too, as libvirt 9.0 does), and vhost-scsi and virtio-mem,
// which it then refuses. Filesystems and vsock stay on PCI.
bool moves_to_virtio_mmio(const Device& d) {
    switch (d.cls) {
    case DeviceClass::Disk:
    case DeviceClass::Input:
        return d.bus == "virtio";
    case DeviceClass::Interface:
        return d.type != "hostdev" && is_virtio_model(d.model);
    case DeviceClass::Video:
        return d.model == "virtio";
    case DeviceClass::Controller:
        return d.type == "virtio-serial" || d.type == "scsi";
    case DeviceClass::Hostdev:
        return d.device_kind == "subsystem" && d.type == "scsi_host";
    case DeviceClass::Memballoon:
    case DeviceClass::Rng:
        return is_virtio_model(d.model);
    case DeviceClass::Memory:
        return d.model == "virtio-mem";
    default:
        return false;
    }
}

// Versatile Express boards have only virtio-mmio; 'virt' puts virtio on
// PCI Express unless the definition already uses virtio-mmio somewhere.
bool uses_virtio_mmio(const Domain& domain, const machine::MachineProfile& machine) {
    if (machine.chipset == machine::Chipset::ArmVexpress) return true;
    return (machine.chipset == machine::Chipset::ArmVirt || machine.chipset == machine::Chipset::RiscvVirt) &&
           std::any_of(domain.devices.begin(), domain.devices.end(), has_virtio_mmio_address);
}

// QEMU has vhost-scsi and virtio-mem on PCI (or CCW) only: libvirt moves
// them to virtio-mmio with the others, then refuses them.
void refuse_pci_only_devices(const Domain& domain) {
    for (std::size_t i = 0; i < domain.devices.size(); ++i) {
        const Device& d = domain.devices[i];
        if (!has_virtio_mmio_address(d)) continue;
        if (d.cls == DeviceClass::Hostdev && d.type == "scsi_host")
            throw Failure(Error{ErrorKind::InvalidAddress, domain.describe(i),
                                "a vhost-scsi host device must use a 'pci' or 'ccw' address, not 'virtio-mmio'"});
        if (d.cls == DeviceClass::Memory && d.model == "virtio-mem")
            throw Failure(Error{ErrorKind::InvalidAddress, domain.describe(i),
                                "a virtio-mem device must use a 'pci' address, not 'virtio-mmio'"});
    }
}

}  // namespace

void assign_virtio_mmio_addresses(Domain& domain, const machine::MachineProfile& machine) {
    if (!uses_virtio_mmio(domain, machine)) return;
    for (std::size_t i = 0; i < domain.devices.size(); ++i) {
        Device& d = domain.devices[i];
        if (d.has_address() || !moves_to_virtio_mmio(d)) continue;
        d.address = OtherAddress{"virtio-mmio", {}};
        model::note_placement(domain, i, "virtio-mmio", [] {
            return std::string("the machine puts virtio devices on virtio-mmio, where QEMU gives each its place");
        });
    }
    refuse_pci_only_devices(domain);
}

}  // namespace guestaddr::assigners
