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
// videos, serial controllers, vhost-scsi, balloon and RNGs, and SCSI
// controllers of any model (lsilogic too, as libvirt 9.0 does). Filesystems
// and vsock stay on PCI.
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
    default:
        return false;
    }
}

// Versatile Express boards have only virtio-mmio; 'virt' puts virtio on
// PCI Express unless the definition already uses virtio-mmio somewhere.
bool uses_virtio_mmio(const Domain& domain, const machine::MachineProfile& machine) {
    if (machine.chipset == machine::Chipset::ArmVexpress) return true;
    return machine.chipset == machine::Chipset::ArmVirt &&
           std::any_of(domain.devices.begin(), domain.devices.end(), has_virtio_mmio_address);
}

// libvirt moves vhost-scsi host devices too, then refuses them: QEMU has
// them on PCI (or CCW) only.
void refuse_mmio_vhost_scsi(const Domain& domain) {
    for (std::size_t i : domain.of_class(DeviceClass::Hostdev)) {
        const Device& d = domain.devices[i];
        if (d.type == "scsi_host" && has_virtio_mmio_address(d))
            throw Failure(Error{ErrorKind::InvalidAddress, domain.describe(i),
                                "a vhost-scsi host device must use a 'pci' or 'ccw' address, not 'virtio-mmio'"});
    }
}

}  // namespace

void assign_virtio_mmio_addresses(Domain& domain, const machine::MachineProfile& machine) {
    if (!uses_virtio_mmio(domain, machine)) return;
    for (Device& d : domain.devices)
        if (!d.has_address() && moves_to_virtio_mmio(d)) d.address = OtherAddress{"virtio-mmio", {}};
    refuse_mmio_vhost_scsi(domain);
}

}  // namespace guestaddr::assigners
