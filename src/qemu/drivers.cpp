#include "qemu/drivers.hpp"

#include <array>
#include <string_view>

#include <fmt/format.h>

namespace guestaddr::qemu {
namespace {

using model::Device;
using model::DeviceClass;
using model::Element;

struct DriverRule {
    DeviceClass cls;
    std::string_view key;     // see model_key(); "model/role" falls back to "model"
    std::string_view driver;  // "" = no -device
};

// libvirt 9.0's model → QEMU device type mapping, for x86 guests with QEMU 7.2.
constexpr std::array kDrivers{
    // Controllers: "type/model". PCI controllers carry the QEMU device in
    // <model name> (the assigner fills it), so they are not listed here.
    DriverRule{DeviceClass::Controller, "usb/piix3-uhci", "piix3-usb-uhci"},
    DriverRule{DeviceClass::Controller, "usb/piix4-uhci", "piix4-usb-uhci"},
    DriverRule{DeviceClass::Controller, "usb/ehci", "usb-ehci"},
    DriverRule{DeviceClass::Controller, "usb/ich9-ehci1", "ich9-usb-ehci1"},
    DriverRule{DeviceClass::Controller, "usb/ich9-uhci1", "ich9-usb-uhci1"},
    DriverRule{DeviceClass::Controller, "usb/ich9-uhci2", "ich9-usb-uhci2"},
    DriverRule{DeviceClass::Controller, "usb/ich9-uhci3", "ich9-usb-uhci3"},
    DriverRule{DeviceClass::Controller, "usb/vt82c686b-uhci", "vt82c686b-usb-uhci"},
    DriverRule{DeviceClass::Controller, "usb/pci-ohci", "pci-ohci"},
    DriverRule{DeviceClass::Controller, "usb/nec-xhci", "nec-usb-xhci"},
    DriverRule{DeviceClass::Controller, "usb/qemu-xhci", "qemu-xhci"},
    DriverRule{DeviceClass::Controller, "usb/none", ""},
    DriverRule{DeviceClass::Controller, "scsi/lsilogic", "lsi"},
    DriverRule{DeviceClass::Controller, "scsi/lsisas1068", "mptsas1068"},
    DriverRule{DeviceClass::Controller, "scsi/lsisas1078", "megasas"},
    DriverRule{DeviceClass::Controller, "scsi/virtio", "virtio-scsi-pci"},
    DriverRule{DeviceClass::Controller, "scsi/virtio-scsi", "virtio-scsi-pci"},
    DriverRule{DeviceClass::Controller, "scsi/vmpvscsi", "pvscsi"},
    DriverRule{DeviceClass::Controller, "scsi/am53c974", "am53c974"},
    DriverRule{DeviceClass::Controller, "scsi/dc390", "dc-390"},
    DriverRule{DeviceClass::Controller, "scsi/ibmvscsi", "spapr-vscsi"},
    DriverRule{DeviceClass::Controller, "sata", "ahci"},
    DriverRule{DeviceClass::Controller, "virtio-serial", "virtio-serial-pci"},
    DriverRule{DeviceClass::Controller, "ccid", "usb-ccid"},
    // Disks: "bus/device".
    DriverRule{DeviceClass::Disk, "virtio", "virtio-blk-pci"},
    DriverRule{DeviceClass::Disk, "ide/cdrom", "ide-cd"},
    DriverRule{DeviceClass::Disk, "ide", "ide-hd"},
    DriverRule{DeviceClass::Disk, "sata/cdrom", "ide-cd"},
    DriverRule{DeviceClass::Disk, "sata", "ide-hd"},
    DriverRule{DeviceClass::Disk, "scsi/cdrom", "scsi-cd"},
    DriverRule{DeviceClass::Disk, "scsi/lun", "scsi-block"},
    DriverRule{DeviceClass::Disk, "scsi", "scsi-hd"},
    DriverRule{DeviceClass::Disk, "fdc", "floppy"},
    DriverRule{DeviceClass::Disk, "usb", "usb-storage"},
    // NICs: <model type>; unknown models go to QEMU as written.
    DriverRule{DeviceClass::Interface, "virtio", "virtio-net-pci"},
    DriverRule{DeviceClass::Interface, "hostdev", "vfio-pci"},
    // Videos: "model/primary" or "model/secondary".
    DriverRule{DeviceClass::Video, "cirrus", "cirrus-vga"},
    DriverRule{DeviceClass::Video, "vga", "VGA"},
    DriverRule{DeviceClass::Video, "qxl/primary", "qxl-vga"},
    DriverRule{DeviceClass::Video, "qxl", "qxl"},
    DriverRule{DeviceClass::Video, "virtio/primary", "virtio-vga"},
    DriverRule{DeviceClass::Video, "virtio", "virtio-gpu-pci"},
    DriverRule{DeviceClass::Video, "bochs", "bochs-display"},
    DriverRule{DeviceClass::Video, "ramfb", "ramfb"},
    DriverRule{DeviceClass::Video, "vmvga", "vmware-svga"},
    DriverRule{DeviceClass::Video, "none", ""},
    // Sound cards: model (pcspk is a machine property, not a device).
    DriverRule{DeviceClass::Sound, "ich6", "intel-hda"},
    DriverRule{DeviceClass::Sound, "ich7", "intel-hda"},
    DriverRule{DeviceClass::Sound, "ich9", "ich9-intel-hda"},
    DriverRule{DeviceClass::Sound, "ac97", "AC97"},
    DriverRule{DeviceClass::Sound, "es1370", "ES1370"},
    DriverRule{DeviceClass::Sound, "sb16", "sb16"},
    DriverRule{DeviceClass::Sound, "usb", "usb-audio"},
    DriverRule{DeviceClass::Sound, "pcspk", ""},
    // Inputs: "type/bus"; PS/2 is built in, evdev is an -object.
    DriverRule{DeviceClass::Input, "mouse/usb", "usb-mouse"},
    DriverRule{DeviceClass::Input, "tablet/usb", "usb-tablet"},
    DriverRule{DeviceClass::Input, "keyboard/usb", "usb-kbd"},
    DriverRule{DeviceClass::Input, "mouse/virtio", "virtio-mouse-pci"},
    DriverRule{DeviceClass::Input, "tablet/virtio", "virtio-tablet-pci"},
    DriverRule{DeviceClass::Input, "keyboard/virtio", "virtio-keyboard-pci"},
    DriverRule{DeviceClass::Input, "passthrough/virtio", "virtio-input-host-pci"},
    // Host devices: subsystem type.
    DriverRule{DeviceClass::Hostdev, "pci", "vfio-pci"},
    DriverRule{DeviceClass::Hostdev, "mdev", "vfio-pci"},
    DriverRule{DeviceClass::Hostdev, "mdev/vfio-ccw", "vfio-ccw"},
    DriverRule{DeviceClass::Hostdev, "mdev/vfio-ap", "vfio-ap"},
    DriverRule{DeviceClass::Hostdev, "usb", "usb-host"},
    DriverRule{DeviceClass::Hostdev, "scsi", "scsi-generic"},
    DriverRule{DeviceClass::Redirdev, "usb", "usb-redir"},
    // Smartcards: mode.
    DriverRule{DeviceClass::Smartcard, "host", "ccid-card-emulated"},
    DriverRule{DeviceClass::Smartcard, "host-certificates", "ccid-card-emulated"},
    DriverRule{DeviceClass::Smartcard, "passthrough", "ccid-card-passthru"},
    // Character devices: target type.
    DriverRule{DeviceClass::Serial, "isa-serial", "isa-serial"},
    DriverRule{DeviceClass::Serial, "pci-serial", "pci-serial"},
    DriverRule{DeviceClass::Serial, "usb-serial", "usb-serial"},
    DriverRule{DeviceClass::Serial, "spapr-vio-serial", "spapr-vty"},
    DriverRule{DeviceClass::Parallel, "", "isa-parallel"},
    DriverRule{DeviceClass::Channel, "virtio", "virtserialport"},
    DriverRule{DeviceClass::Console, "virtio", "virtconsole"},
    DriverRule{DeviceClass::Console, "sclp", "sclpconsole"},
    DriverRule{DeviceClass::Console, "sclplm", "sclplmconsole"},
    DriverRule{DeviceClass::Hub, "usb", "usb-hub"},
    // The rest: model.
    DriverRule{DeviceClass::Watchdog, "i6300esb", "i6300esb"},
    DriverRule{DeviceClass::Watchdog, "ib700", "ib700"},
    DriverRule{DeviceClass::Watchdog, "diag288", "diag288"},
    DriverRule{DeviceClass::Memballoon, "virtio", "virtio-balloon-pci"},
    DriverRule{DeviceClass::Rng, "virtio", "virtio-rng-pci"},
    DriverRule{DeviceClass::Tpm, "tpm-tis", "tpm-tis"},
    DriverRule{DeviceClass::Tpm, "tpm-crb", "tpm-crb"},
    DriverRule{DeviceClass::Panic, "isa", "pvpanic"},
    DriverRule{DeviceClass::Shmem, "ivshmem-plain", "ivshmem-plain"},
    DriverRule{DeviceClass::Shmem, "ivshmem-doorbell", "ivshmem-doorbell"},
    DriverRule{DeviceClass::Memory, "dimm", "pc-dimm"},
    DriverRule{DeviceClass::Memory, "nvdimm", "nvdimm"},
    DriverRule{DeviceClass::Memory, "virtio-pmem", "virtio-pmem-pci"},
    DriverRule{DeviceClass::Memory, "virtio-mem", "virtio-mem-pci"},
    DriverRule{DeviceClass::Iommu, "intel", "intel-iommu"},
    DriverRule{DeviceClass::Iommu, "virtio", "virtio-iommu"},
    DriverRule{DeviceClass::Vsock, "virtio", "vhost-vsock-pci"},
    DriverRule{DeviceClass::Filesystem, "virtiofs", "vhost-user-fs-pci"},
    DriverRule{DeviceClass::Filesystem, "", "virtio-9p-pci"},
    DriverRule{DeviceClass::Nvram, "", "spapr-nvram"},
};

const DriverRule* find_rule(DeviceClass cls, std::string_view key) {
    for (const DriverRule& r : kDrivers)
        if (r.cls == cls && r.key == key) return &r;
    return nullptr;
}

// A virtio model may ask for the transitional or the non-transitional
// device ("virtio-transitional" → virtio-blk-pci-transitional): the rules
// are written for "virtio" and the variant is appended to the driver.
struct SplitModel {
    std::string_view base;
    std::string_view variant;
};
SplitModel split_virtio_variant(std::string_view model) {
    for (std::string_view variant : {std::string_view("-non-transitional"), std::string_view("-transitional")})
        if (model.ends_with(variant) && model.starts_with("virtio"))
            return {model.substr(0, model.size() - variant.size()), variant};
    return {model, ""};
}

struct Key {
    std::string key;
    std::string_view variant;
};

Key joined(std::string_view a, std::string_view b) { return {std::string(a) + "/" + std::string(b), ""}; }

Key with_variant(std::string_view model) {
    SplitModel s = split_virtio_variant(model);
    return {std::string(s.base), s.variant};
}

// The key a device is looked up by in kDrivers.
Key model_key(const Device& d, const Element& element, const ArchProfile& arch) {
    switch (d.cls) {
    case DeviceClass::Controller: {
        Key k = with_variant(d.model);
        return {d.type.str() + (k.key.empty() ? "" : "/" + k.key), k.variant};
    }
    case DeviceClass::Disk: {
        Key k = with_variant(d.model);
        return {fmt::format("{}/{}", d.bus, d.device_kind), k.variant};
    }
    case DeviceClass::Interface:
        return d.type == "hostdev" ? Key{"hostdev", ""} : with_variant(d.model);
    case DeviceClass::Video:
        // Only x86 has virtio-vga (ArchProfile::virtio_vga): elsewhere a
        // primary virtio video is a plain virtio-gpu.
        return joined(d.model, d.primary && (arch.virtio_vga || d.model != "virtio") ? "primary" : "secondary");
    case DeviceClass::Input: {
        Key k = with_variant(element.attribute_or("model", ""));
        return {fmt::format("{}/{}", d.type, d.bus), k.variant};
    }
    case DeviceClass::Hostdev:
        return d.type == "mdev" ? joined(d.type, element.attribute_or("model", "")) : Key{d.type.str(), ""};
    case DeviceClass::Smartcard:
        return {d.device_kind.str(), ""};
    case DeviceClass::Serial:
    case DeviceClass::Channel:
    case DeviceClass::Console:
        return {d.target_type.str(), ""};
    case DeviceClass::Redirdev:
        return {d.bus.empty() ? "usb" : d.bus.str(), ""};
    case DeviceClass::Hub:
        return {d.type.str(), ""};
    case DeviceClass::Shmem:
        return {d.model.empty() ? "ivshmem-plain" : d.model.str(), ""};
    case DeviceClass::Panic:
        return {d.model.empty() ? "isa" : d.model.str(), ""};
    case DeviceClass::Filesystem:
        return {d.device_kind == "virtiofs" ? "virtiofs" : "", with_variant(d.model).variant};
    case DeviceClass::Parallel:
    case DeviceClass::Nvram:
        return {"", ""};
    default:
        return with_variant(d.model);
    }
}

// A virtio device's driver names its transport, which the address gives:
// the table's drivers are the PCI ones ("virtio-blk-pci"); on the channel
// subsystem they are "-ccw", on virtio-mmio "-device".
struct VirtioTransport {
    std::string_view address_type;
    std::string_view suffix;
};
constexpr std::array kVirtioTransports{
    VirtioTransport{"ccw", "-ccw"},
    VirtioTransport{"virtio-mmio", "-device"},
};

std::string with_transport(std::string driver, const Device& device) {
    const auto* other = std::get_if<OtherAddress>(&device.address);
    if (other == nullptr || !driver.ends_with("-pci") || !(driver.starts_with("virtio-") || driver.starts_with("vhost-")))
        return driver;
    for (const VirtioTransport& t : kVirtioTransports)
        if (other->type == t.address_type) return driver.substr(0, driver.size() - 4) + std::string(t.suffix);
    return driver;
}

}  // namespace

std::string_view usb_controller_driver(std::string_view model) {
    const DriverRule* rule = find_rule(DeviceClass::Controller, fmt::format("usb/{}", model));
    return rule == nullptr ? std::string_view() : rule->driver;
}

std::string driver_name(const Device& device, const Element& element, bool builtin_controller, const ArchProfile& arch) {
    if (builtin_controller) return "";
    if (device.cls == DeviceClass::Controller && device.type == "pci") return device.extras().model_name.str();
    if (device.cls == DeviceClass::Serial && !device.extras().target_model.empty()) return device.extras().target_model.str();
    const Key k = model_key(device, element, arch);
    const DriverRule* rule = find_rule(device.cls, k.key);
    if (rule == nullptr) {
        const std::size_t slash = k.key.find('/');
        if (slash != std::string::npos) rule = find_rule(device.cls, k.key.substr(0, slash));
    }
    if (rule == nullptr)
        return device.cls == DeviceClass::Interface ? with_transport(device.model.str(), device) : std::string();
    if (rule->driver.empty()) return "";
    return with_transport(std::string(rule->driver) + std::string(k.variant), device);
}

}  // namespace guestaddr::qemu
