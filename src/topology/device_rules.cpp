#include "topology/device_rules.hpp"

#include <array>
#include <string_view>

#include "topology/controller_rules.hpp"

namespace guestaddr::topology {
namespace {

using model::Device;
using model::DeviceClass;

struct ModelRule {
    DeviceClass cls;
    std::string_view type;   // controller type, "" for other classes
    std::string_view model;  // "*" matches any model not listed before it
    PciKind kind;
};

// First matching row wins. Models marked transitional need conventional PCI
// (a QEMU limitation); non-transitional ones are plain virtio.
constexpr auto kModelRules = std::to_array<ModelRule>({
    {DeviceClass::Controller, "usb", "qemu-xhci", PciKind::Pcie},
    {DeviceClass::Controller, "usb", "nec-xhci", PciKind::Pcie},
    {DeviceClass::Controller, "usb", "none", PciKind::None},
    {DeviceClass::Controller, "usb", "qusb1", PciKind::None},
    {DeviceClass::Controller, "usb", "qusb2", PciKind::None},
    {DeviceClass::Controller, "usb", "*", PciKind::Pci},
    {DeviceClass::Controller, "scsi", "virtio-scsi", PciKind::Virtio},
    {DeviceClass::Controller, "scsi", "virtio-non-transitional", PciKind::Virtio},
    {DeviceClass::Controller, "scsi", "ncr53c90", PciKind::None},
    {DeviceClass::Controller, "scsi", "ibmvscsi", PciKind::None},
    {DeviceClass::Controller, "scsi", "*", PciKind::Pci},
    {DeviceClass::Controller, "virtio-serial", "virtio-transitional", PciKind::Pci},
    {DeviceClass::Controller, "virtio-serial", "*", PciKind::Virtio},
    {DeviceClass::Controller, "sata", "*", PciKind::Pci},
    {DeviceClass::Controller, "ide", "*", PciKind::Pci},
    {DeviceClass::Controller, "*", "*", PciKind::None},
    {DeviceClass::Interface, "", "virtio", PciKind::Virtio},
    {DeviceClass::Interface, "", "virtio-non-transitional", PciKind::Virtio},
    {DeviceClass::Interface, "", "virtio-transitional", PciKind::Pci},
    {DeviceClass::Interface, "", "e1000e", PciKind::Pcie},
    {DeviceClass::Interface, "", "usb-net", PciKind::None},
    {DeviceClass::Interface, "", "spapr-vlan", PciKind::None},
    // The NIC models libvirt 9.0 knows are conventional PCI; any other
    // model name (pcnet, ne2k_pci, igb, ...) is "unknown" to it and
    // treated as PCI Express.
    {DeviceClass::Interface, "", "rtl8139", PciKind::Pci},
    {DeviceClass::Interface, "", "e1000", PciKind::Pci},
    {DeviceClass::Interface, "", "netfront", PciKind::Pci},
    {DeviceClass::Interface, "", "lan9118", PciKind::Pci},
    {DeviceClass::Interface, "", "smc91c111", PciKind::Pci},
    {DeviceClass::Interface, "", "vlance", PciKind::Pci},
    {DeviceClass::Interface, "", "vmxnet", PciKind::Pci},
    {DeviceClass::Interface, "", "vmxnet2", PciKind::Pci},
    {DeviceClass::Interface, "", "vmxnet3", PciKind::Pci},
    {DeviceClass::Interface, "", "am79c970a", PciKind::Pci},
    {DeviceClass::Interface, "", "am79c973", PciKind::Pci},
    {DeviceClass::Interface, "", "82540EM", PciKind::Pci},
    {DeviceClass::Interface, "", "82545EM", PciKind::Pci},
    {DeviceClass::Interface, "", "82543GC", PciKind::Pci},
    {DeviceClass::Interface, "", "*", PciKind::Pcie},
    {DeviceClass::Memballoon, "", "virtio", PciKind::Virtio},
    {DeviceClass::Memballoon, "", "virtio-non-transitional", PciKind::Virtio},
    {DeviceClass::Memballoon, "", "virtio-transitional", PciKind::Pci},
    {DeviceClass::Rng, "", "virtio", PciKind::Virtio},
    {DeviceClass::Rng, "", "virtio-non-transitional", PciKind::Virtio},
    {DeviceClass::Rng, "", "virtio-transitional", PciKind::Pci},
    {DeviceClass::Video, "", "virtio", PciKind::Virtio},
    {DeviceClass::Video, "", "bochs", PciKind::Pcie},
    {DeviceClass::Video, "", "none", PciKind::None},
    {DeviceClass::Video, "", "ramfb", PciKind::None},
    {DeviceClass::Video, "", "*", PciKind::Pci},
    {DeviceClass::Sound, "", "es1370", PciKind::Pci},
    {DeviceClass::Sound, "", "ac97", PciKind::Pci},
    {DeviceClass::Sound, "", "ich6", PciKind::Pci},
    {DeviceClass::Sound, "", "ich9", PciKind::Pci},
    {DeviceClass::Watchdog, "", "i6300esb", PciKind::Pci},
    // libvirt connects virtio-crypto as conventional PCI (a pci-bridge on q35).
    {DeviceClass::Crypto, "", "virtio", PciKind::Pci},
    {DeviceClass::Shmem, "", "*", PciKind::Pci},
    {DeviceClass::Iommu, "", "virtio", PciKind::IntegratedVirtio},
    {DeviceClass::Vsock, "", "virtio-transitional", PciKind::Pci},
    {DeviceClass::Vsock, "", "*", PciKind::Virtio},
    {DeviceClass::Memory, "", "virtio-pmem", PciKind::Virtio},
    {DeviceClass::Memory, "", "virtio-mem", PciKind::Virtio},
    {DeviceClass::Panic, "", "pvpanic", PciKind::IntegratedPci},
    {DeviceClass::Disk, "", "virtio-transitional", PciKind::Pci},
    {DeviceClass::Filesystem, "", "virtio-transitional", PciKind::Pci},
    {DeviceClass::Input, "", "virtio-transitional", PciKind::Pci},
});

bool matches(const ModelRule& rule, const Device& d) {
    if (rule.cls != d.cls) return false;
    if (!rule.type.empty() && rule.type != "*" && rule.type != d.type) return false;
    return rule.model == "*" || rule.model == d.model;
}

std::optional<PciKind> by_model(const Device& d) {
    for (const ModelRule& rule : kModelRules)
        if (matches(rule, d)) return rule.kind;
    return std::nullopt;
}

PciKind hostdev_kind(const Device& d) {
    if (d.device_kind != "subsystem") return PciKind::None;
    // Mediated channel (vfio-ccw) and crypto (vfio-ap) devices of s390x are no PCI devices.
    if (d.type == "mdev" && (d.model == "vfio-ccw" || d.model == "vfio-ap")) return PciKind::None;
    if (d.type == "pci" || d.type == "mdev") return PciKind::Pcie;  // host config space is never read
    if (d.type == "scsi_host") return PciKind::Virtio;
    return PciKind::None;
}

// The flags of a device present when the guest starts.
std::optional<ConnectFlags> cold_connect_flags(const Device& d, const machine::MachineProfile& machine) {
    if (d.cls == DeviceClass::Controller && d.type == "pci") {
        const ControllerRule* rule = controller_rule(d.model);
        if (rule == nullptr || !rule->plugs_as.any()) return std::nullopt;
        return rule->plugs_as;
    }
    const ConnectFlags pci = Connect::PciDevice | Connect::AutoAssign;
    const ConnectFlags pcie = machine.has_pcie_root() ? Connect::PcieDevice | Connect::AutoAssign : pci;
    switch (pci_kind(d)) {
    case PciKind::None: return std::nullopt;
    case PciKind::Pci: return pci;
    case PciKind::Pcie:
    case PciKind::Virtio: return pcie;
    case PciKind::IntegratedPci: return pci | Connect::Integrated;
    case PciKind::IntegratedVirtio: return pcie | Connect::Integrated;
    }
    return std::nullopt;
}

}  // namespace

PciKind pci_kind(const Device& d) {
    switch (d.cls) {
    case DeviceClass::Controller:
        if (d.type == "pci") return PciKind::None;  // PCI controllers follow controller_rules
        break;
    case DeviceClass::Interface:
        // A NIC given to the guest as a host device: PCI Express, as any
        // host device whose config space libvirt cannot read.
        if (d.type == "hostdev") return PciKind::Pcie;
        break;
    case DeviceClass::Disk:
        if (d.bus != "virtio") return PciKind::None;
        return by_model(d).value_or(PciKind::Virtio);
    case DeviceClass::Filesystem:
        return by_model(d).value_or(PciKind::Virtio);
    case DeviceClass::Input:
        if (d.bus != "virtio") return PciKind::None;
        return by_model(d).value_or(PciKind::Virtio);
    case DeviceClass::Hostdev:
        return hostdev_kind(d);
    case DeviceClass::Serial:
        return d.target_type == "pci-serial" ? PciKind::Pci : PciKind::None;
    default:
        break;
    }
    return by_model(d).value_or(PciKind::None);
}

std::optional<ConnectFlags> connect_flags(const Device& d, const machine::MachineProfile& machine) {
    std::optional<ConnectFlags> flags = cold_connect_flags(d, machine);
    if (flags && d.hotplugged) *flags |= Connect::Hotpluggable;
    return flags;
}


}  // namespace guestaddr::topology
