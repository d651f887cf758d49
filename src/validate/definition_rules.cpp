#include "validate/definition_rules.hpp"

#include <array>
#include <map>
#include <set>
#include <string_view>
#include <unordered_map>

#include <fmt/format.h>

#include "assign/dimm_assigner.hpp"
#include "machine/device_defaults.hpp"
#include "topology/controller_rules.hpp"
#include "validate/capability_rules.hpp"
#include "validate/s390x_rules.hpp"
#include "validate/arm_rules.hpp"
#include "validate/memory_rules.hpp"
#include "validate/pseries_rules.hpp"

namespace guestaddr::validation {
namespace {

using model::Device;
using model::DeviceClass;
using model::Domain;
using machine::MachineProfile;
using Errors = std::vector<Error>;

void report(Errors& errors, const Domain& domain, std::size_t i, ErrorKind kind, std::string message) {
    errors.push_back(Error{kind, domain.describe(i), std::move(message)});
}

constexpr auto kControllerTypes = std::to_array<std::string_view>({"ide", "fdc", "scsi", "sata", "virtio-serial",
                                                            "ccid", "usb", "pci", "xenbus", "isa"});
constexpr auto kScsiModels = std::to_array<std::string_view>(
    {"auto", "buslogic", "lsilogic", "lsisas1068", "vmpvscsi", "ibmvscsi", "virtio-scsi", "lsisas1078",
     "virtio-transitional", "virtio-non-transitional", "ncr53c90", "am53c974", "dc390"});
constexpr auto kSerialTargetTypes = std::to_array<std::string_view>(
    {"isa-serial", "usb-serial", "pci-serial", "spapr-vio-serial", "system-serial", "sclp-serial", "isa-debug"});
constexpr auto kUsbModels = std::to_array<std::string_view>(
    {"piix3-uhci", "piix4-uhci", "ehci", "ich9-ehci1", "ich9-uhci1", "ich9-uhci2", "ich9-uhci3", "vt82c686b-uhci",
     "pci-ohci", "nec-xhci", "qusb1", "qusb2", "qemu-xhci", "none"});

template <std::size_t N>
bool one_of(std::string_view value, const std::array<std::string_view, N>& set) {
    for (std::string_view s : set)
        if (s == value) return true;
    return false;
}

void check_controller_models(const Domain& domain, const MachineProfile& machine, Errors& errors) {
    for (std::size_t i : domain.controller_order) {
        const Device& c = domain.devices[i];
        if (!one_of(c.type, kControllerTypes))
            report(errors, domain, i, ErrorKind::Unsupported, fmt::format("unknown controller type '{}'", c.type));
        else if (c.type == "scsi" && !one_of(c.model, kScsiModels))
            report(errors, domain, i, ErrorKind::Unsupported, fmt::format("unknown SCSI controller model '{}'", c.model));
        else if (c.type == "scsi" && (c.model == "buslogic" || c.model == "ncr53c90"))
            report(errors, domain, i, ErrorKind::Unsupported,
                   fmt::format("SCSI controller model '{}' is not supported by QEMU on this machine", c.model));
        else if (c.type == "usb" && !c.model.empty() && !one_of(c.model, kUsbModels))
            report(errors, domain, i, ErrorKind::Unsupported, fmt::format("unknown USB controller model '{}'", c.model));
        else if (c.type == "usb" && (c.model == "qusb1" || c.model == "qusb2"))
            report(errors, domain, i, ErrorKind::Unsupported, fmt::format("USB controller model '{}' is not supported by QEMU", c.model));
        else if (c.type == "usb" && c.model.ends_with("xhci") && c.extras().ports.value_or(0) > 15)
            report(errors, domain, i, ErrorKind::Unsupported,
                   fmt::format("the '{}' controller supports at most 15 ports, not {}", c.model, *c.extras().ports));
        else if (c.type == "ide" && machine.has_pcie_root())
            report(errors, domain, i, ErrorKind::Unsupported, "IDE controllers are not supported on this machine type");
        else if (c.type == "ide" && c.index.value_or(0) > 0)
            report(errors, domain, i, ErrorKind::Unsupported, "only a single IDE controller is supported on this machine type");
    }
}

// <target> options of PCI controllers take 0-255 (chassisNr 1-255).
void check_pci_target_ranges(const Domain& domain, std::size_t i, Errors& errors) {
    const model::ControllerTarget& t = domain.devices[i].extras().ctarget;
    auto out_of_range = [&](const char* what, std::optional<unsigned> value, unsigned low, unsigned high) {
        if (value && (*value < low || *value > high))
            report(errors, domain, i, ErrorKind::InvalidAddress,
                   fmt::format("{} {} is out of range; it must be {} to {}", what, *value, low, high));
    };
    out_of_range("chassisNr", t.chassis_nr, 1, 255);
    out_of_range("chassis", t.chassis, 0, 255);
    out_of_range("port", t.port, 0, 255);
    out_of_range("busNr", t.bus_nr, 1, 254);
}

// What is wrong with a device's <target><node>, if it names no guest NUMA node.
std::optional<std::string> undefined_numa_node(const Domain& domain, const Device& d) {
    if (!d.extras().ctarget.node || *d.extras().ctarget.node < domain.numa_cells) return std::nullopt;
    return fmt::format("NUMA node {} is not defined in <cpu><numa> ({} cells)", *d.extras().ctarget.node, domain.numa_cells);
}

void check_pci_controllers(const Domain& domain, const MachineProfile& machine, Errors& errors) {
    std::set<unsigned> seen;
    for (std::size_t i : domain.controller_order) {
        const Device& c = domain.devices[i];
        if (c.type != "pci") continue;
        const unsigned index = c.index.value_or(0);
        check_pci_target_ranges(domain, i, errors);
        // A pSeries has one pci-root per PCI host bridge.
        if ((c.model == "pcie-root" || (c.model == "pci-root" && !machine.is_pseries())) && index != 0)
            report(errors, domain, i, ErrorKind::InvalidAddress, "pci-root and pcie-root controllers must have index 0");
        if (topology::controller_rule(c.model) == nullptr)
            report(errors, domain, i, ErrorKind::Unsupported, fmt::format("unknown PCI controller model '{}'", c.model));
        if (index > 255)
            report(errors, domain, i, ErrorKind::InvalidAddress, fmt::format("PCI controller index {} is too high; the maximum is 255", index));
        if (!seen.insert(index).second)
            report(errors, domain, i, ErrorKind::AddressConflict, fmt::format("more than one PCI controller with index {}", index));
        if (c.model == "pcie-expander-bus" && !machine.has_pcie_root())
            report(errors, domain, i, ErrorKind::Unsupported, "pcie-expander-bus controllers need a q35 machine type");
        if (c.model == "pci-expander-bus" && machine.chipset != machine::Chipset::I440fx)
            report(errors, domain, i, ErrorKind::Unsupported, "pci-expander-bus controllers need an i440fx machine type");
        if (std::optional<std::string> undefined = undefined_numa_node(domain, c))
            report(errors, domain, i, ErrorKind::Placement, *undefined);
        else if (c.extras().ctarget.node && c.model != "pci-expander-bus" && c.model != "pcie-expander-bus" &&
                 !(machine.is_pseries() && c.model == "pci-root" && index != 0))
            report(errors, domain, i, ErrorKind::Placement, fmt::format("a {} cannot have a NUMA node", c.model));
    }
}


void check_usb_controllers(const Domain& domain, Errors& errors) {
    std::map<unsigned, std::size_t> by_index;
    bool has_master = false;
    std::optional<std::size_t> companion;
    for (std::size_t i : domain.controller_order) {
        const Device& c = domain.devices[i];
        if (c.type != "usb") continue;
        // Any USB controller that is no companion will do as master: libvirt
        // refuses companions only when they are all the definition declares
        // (it checks before adding its own USB controller).
        has_master |= !model::is_ich9_usb_companion(c) && !c.implicit;
        if (model::is_ich9_usb_companion(c) && !companion) companion = i;
    }
    if (companion && !has_master)
        report(errors, domain, *companion, ErrorKind::Placement,
               "a USB companion controller needs a master USB controller");
    for (std::size_t i : domain.controller_order) {
        const Device& c = domain.devices[i];
        if (c.type != "usb") continue;
        auto [it, fresh] = by_index.emplace(c.index.value_or(0), i);
        const Device& other = domain.devices[it->second];
        // A companion shares the index of its master, whatever the master's model.
        const bool companions = model::is_ich9_usb_companion(c) || model::is_ich9_usb_companion(other);
        if (!fresh && !companions && !(model::is_ich9_usb2_controller(c) && model::is_ich9_usb2_controller(other)))
            report(errors, domain, i, ErrorKind::AddressConflict,
                   fmt::format("more than one USB controller with index {}", c.index.value_or(0)));
    }
}

// Disk names are unique whatever the bus.
// One host device can be given to the guest once.
// (A NIC of type 'hostdev' is one too.)
void check_hostdev_sources(const Domain& domain, Errors& errors) {
    std::set<std::string_view> seen;
    for (std::size_t i = 0; i < domain.devices.size(); ++i) {
        const Device& d = domain.devices[i];
        const bool hostdev = d.cls == DeviceClass::Hostdev && d.device_kind != "capabilities";
        const bool hostdev_nic = d.cls == DeviceClass::Interface && d.type == "hostdev";
        if (!(hostdev || hostdev_nic) || d.extras().source_key == (hostdev ? d.type.view() : "pci")) continue;
        if (!seen.insert(d.extras().source_key).second)
            report(errors, domain, i, ErrorKind::AddressConflict, "this host device is already given to the guest");
    }
}

void check_disk_targets(const Domain& domain, Errors& errors) {
    // Hashed, by the names the devices hold: a large guest has thousands.
    const std::vector<std::size_t>& disks = domain.by_class[static_cast<std::size_t>(DeviceClass::Disk)];
    std::unordered_map<std::string_view, std::size_t> seen;
    seen.reserve(disks.size());
    for (std::size_t i : disks) {
        const Device& d = domain.devices[i];
        if (d.target_dev.empty()) {
            report(errors, domain, i, ErrorKind::MalformedXml, "the disk has no <target dev>");
            continue;
        }
        if (!seen.emplace(d.target_dev, i).second)
            report(errors, domain, i, ErrorKind::AddressConflict,
                   fmt::format("target '{}' is used by another disk too", d.target_dev));
    }
}

const Device* disk_controller(const Domain& domain, const Device& disk, const DriveAddress& a) {
    return domain.find_controller(disk.bus, a.controller);
}

void check_drive_limits(const Domain& domain, const MachineProfile& machine, std::size_t i, const DriveAddress& a,
                        Errors& errors) {
    const Device& d = domain.devices[i];
    auto fail = [&](std::string message) { report(errors, domain, i, ErrorKind::InvalidAddress, std::move(message)); };
    if (d.bus == "ide") {
        if (machine.has_pcie_root()) fail("IDE disks are not supported on this machine type (use SATA)");
        else if (a.controller > 0) fail("only 1 IDE controller is supported");
        else if (a.target != 0) fail("target must be 0 for an IDE controller");
    } else if (d.bus == "sata") {
        if (a.bus != 0) fail("bus must be 0 for a SATA controller");
        else if (a.target != 0) fail("target must be 0 for a SATA controller");
    } else if (d.bus == "fdc") {
        if (a.controller > 0) fail("only 1 fdc controller is supported");
        else if (a.bus != 0) fail("only 1 fdc bus is supported");
        else if (a.target != 0) fail("target must be 0 for the fdc controller");
    } else if (d.bus == "scsi") {
        const Device* c = disk_controller(domain, d, a);
        if (a.bus != 0) fail("a SCSI controller only supports bus 0");
        else if (a.target != 0 && c && c->model == "lsilogic") fail("target must be 0 for controller model 'lsilogic'");
    }
}

// A drive address on a bus ("scsi", "sata", ...), for a hashed set.
struct BusDrive {
    std::string_view bus;
    DriveAddress address;
    bool operator==(const BusDrive&) const = default;
};

struct BusDriveHash {
    std::size_t operator()(const BusDrive& k) const noexcept {
        const DriveAddress& a = k.address;
        std::size_t h = std::hash<std::string_view>()(k.bus);
        for (unsigned part : {a.controller, a.bus, a.target, a.unit}) h = h * 1000003u ^ part;
        return h;
    }
};

void check_drive_addresses(const Domain& domain, const MachineProfile& machine, Errors& errors) {
    const std::vector<std::size_t> disks = domain.of_class(DeviceClass::Disk);
    std::unordered_map<BusDrive, std::size_t, BusDriveHash> used;
    used.reserve(disks.size());
    for (std::size_t i : disks) {
        const Device& d = domain.devices[i];
        const auto* a = std::get_if<DriveAddress>(&d.address);
        if (a == nullptr) continue;
        check_drive_limits(domain, machine, i, *a, errors);
        auto [it, fresh] = used.emplace(BusDrive{d.bus.view(), *a}, i);
        if (!fresh)
            report(errors, domain, it->second, ErrorKind::AddressConflict,
                   fmt::format("duplicate drive address controller='{}' bus='{}' target='{}' unit='{}' (also used by {})",
                               a->controller, a->bus, a->target, a->unit, domain.describe(i)));
    }
}

void check_single_instances(const Domain& domain, const MachineProfile& machine, Errors& errors) {
    std::vector<std::size_t> watchdogs = domain.of_class(DeviceClass::Watchdog);
    if (watchdogs.size() > 1 && !machine.rules().several_watchdogs)
        report(errors, domain, watchdogs[1], ErrorKind::Unsupported, "only a single watchdog device is supported");
    // Where several are allowed, each model is there once at most.
    if (machine.rules().several_watchdogs)
        for (std::size_t n = 1; n < watchdogs.size(); ++n)
            for (std::size_t m = 0; m < n; ++m)
                if (domain.devices[watchdogs[n]].model == domain.devices[watchdogs[m]].model) {
                    report(errors, domain, watchdogs[n], ErrorKind::Unsupported,
                           fmt::format("a domain can have only one watchdog of model '{}'",
                                       domain.devices[watchdogs[n]].model.view()));
                    break;
                }
    // s390x has watchdogs of its own (s390x_rules.cpp).
    for (std::size_t i : watchdogs) {
        const Device& w = domain.devices[i];
        const bool itco = w.model == "itco" && machine.rules().q35_itco_watchdog;
        if (!machine.is_s390() && w.model != "i6300esb" && w.model != "ib700" && !itco)
            report(errors, domain, i, ErrorKind::Unsupported, fmt::format("unknown watchdog model '{}'", w.model));
        else if (w.model == "itco" && machine.chipset != machine::Chipset::Q35)
            report(errors, domain, i, ErrorKind::Unsupported, "the itco watchdog is the q35 chipset's own");
        else if (w.model == "ib700" && machine.rules().ib700_needs_i440fx && machine.chipset != machine::Chipset::I440fx)
            report(errors, domain, i, ErrorKind::Unsupported,
                   "an ib700 watchdog cannot be used with this machine type (it is an ISA card of the i440fx PC)");
    }
    std::set<std::string_view> panic_models;
    for (std::size_t i : domain.of_class(DeviceClass::Panic))
        if (!panic_models.insert(domain.devices[i].model).second)
            report(errors, domain, i, ErrorKind::Unsupported,
                   fmt::format("more than one panic device of model '{}'", domain.devices[i].model));
    std::vector<std::size_t> balloons = domain.of_class(DeviceClass::Memballoon);
    if (balloons.size() > 1)
        report(errors, domain, balloons[1], ErrorKind::Unsupported, "only a single memory balloon device is supported");
    std::vector<std::size_t> vsocks = domain.of_class(DeviceClass::Vsock);
    if (vsocks.size() > 1) report(errors, domain, vsocks[1], ErrorKind::Unsupported, "only a single vsock device is supported");
    std::vector<std::size_t> iommus = domain.of_class(DeviceClass::Iommu);
    if (iommus.size() > 1) report(errors, domain, iommus[1], ErrorKind::Unsupported, "only a single IOMMU device is supported");
    std::vector<std::size_t> tpms = domain.of_class(DeviceClass::Tpm);
    std::erase_if(tpms, [&](std::size_t i) { return domain.devices[i].model == "spapr-tpm-proxy"; });
    if (tpms.size() > 1)
        report(errors, domain, tpms[1], ErrorKind::Unsupported,
               "only a single TPM device (other than a proxy) is supported");
    std::vector<std::size_t> cards = domain.of_class(DeviceClass::Smartcard);
    if (cards.size() > 1)
        report(errors, domain, cards[1], ErrorKind::Unsupported, "QEMU supports only one smartcard");
    for (std::size_t i : cards)
        if (domain.devices[i].has_address() && !std::holds_alternative<CcidAddress>(domain.devices[i].address))
            report(errors, domain, i, ErrorKind::InvalidAddress, "a smartcard must use a 'ccid' address");
}

void check_videos(const Domain& domain, Errors& errors) {
    std::vector<std::size_t> videos = domain.of_class(DeviceClass::Video);
    std::size_t primaries = 0;
    for (std::size_t n = 0; n < videos.size(); ++n) {
        const Device& v = domain.devices[videos[n]];
        if (v.primary && n > 0) ++primaries;
        if (v.model == "none" && videos.size() > 1)
            report(errors, domain, videos[n], ErrorKind::Unsupported, "a 'none' video must be the only video device");
        else if (n > 0 && v.model != "qxl" && v.model != "virtio")
            report(errors, domain, videos[n], ErrorKind::Unsupported,
                   fmt::format("video type '{}' is only valid as the primary video device", v.model));
    }
    if (primaries > 0) report(errors, domain, videos[1], ErrorKind::Unsupported, "only one primary video device is supported");
}

// Models libvirt 9.0 refuses for QEMU 7.2 on x86.
void check_device_models(const Domain& domain, const MachineProfile& machine, Errors& errors) {
    for (std::size_t i = 0; i < domain.devices.size(); ++i) {
        const Device& d = domain.devices[i];
        if (d.cls == DeviceClass::Panic && d.model == "pvpanic")
            report(errors, domain, i, ErrorKind::Unsupported, "unknown panic model 'pvpanic'");
        else if (d.cls == DeviceClass::Sound && d.model == "ich7")
            report(errors, domain, i, ErrorKind::Unsupported, "sound model 'ich7' is not supported by QEMU 7.2 on x86");
        else if (d.cls == DeviceClass::Iommu && ((d.model == "intel" && machine.chipset != machine::Chipset::Q35) ||
                                                 (d.model == "virtio" && !machine.has_pcie_root())))
            report(errors, domain, i, ErrorKind::Unsupported, fmt::format("an {} IOMMU needs a q35 machine type", d.model));
        else if (d.cls == DeviceClass::Iommu && d.model == "virtio" && !domain.acpi)
            report(errors, domain, i, ErrorKind::Unsupported, "a virtio IOMMU needs ACPI (<features><acpi/>)");
        else if (d.cls == DeviceClass::Panic && !machine.is_arm() && !machine.is_pseries() && d.model != "isa" &&
                 d.model != "hyperv" && !d.model.empty())
            report(errors, domain, i, ErrorKind::Unsupported, fmt::format("panic model '{}' is not supported on x86", d.model));
        else if (d.cls == DeviceClass::Input && d.bus == "virtio" && d.type != "passthrough" &&
                 (d.model == "virtio-transitional" || d.model == "virtio-non-transitional"))
            report(errors, domain, i, ErrorKind::Unsupported,
                   fmt::format("model '{}' is not supported for a virtio {} input", d.model, d.type));
    }
}

// Controllers of one type need distinct indexes (PCI and USB have their
// own checks: USB2 companion sets share one).
void check_controller_indexes(const Domain& domain, Errors& errors) {
    std::set<std::pair<std::string, unsigned>> seen;
    bool usb_disabled = false;
    std::size_t usb_controllers = 0;
    for (std::size_t i : domain.controller_order) {
        const Device& c = domain.devices[i];
        if (c.type == "usb") {
            usb_disabled |= c.model == "none";
            ++usb_controllers;
        }
        if (c.type == "pci" || c.type == "usb") continue;
        if (!seen.emplace(c.type, c.index.value_or(0)).second)
            report(errors, domain, i, ErrorKind::AddressConflict,
                   fmt::format("more than one {} controller with index {}", c.type, c.index.value_or(0)));
    }
    if (usb_disabled && usb_controllers > 1)
        errors.push_back(Error{ErrorKind::Placement, "controller usb",
                               "USB is disabled (model 'none'), so no other USB controller can be added"});
}

bool has_spice_graphics(const Domain& domain) {
    for (std::size_t i : domain.of_class(DeviceClass::Graphics))
        if (domain.devices[i].type == "spice") return true;
    return false;
}

// Rules on the character devices: consoles, serial target models, SPICE channels.
void check_chardevs(const Domain& domain, const MachineProfile& machine, Errors& errors) {
    const bool spice = has_spice_graphics(domain);
    const std::vector<std::size_t> consoles = domain.of_class(DeviceClass::Console);
    for (std::size_t n = 0; n < consoles.size(); ++n) {
        const Device& c = domain.devices[consoles[n]];
        const bool supported = machine.is_s390() ? is_s390x_console_target(c.target_type)
                                                 : c.target_type == "serial" || c.target_type == "virtio";
        if (!supported)
            report(errors, domain, consoles[n], ErrorKind::Unsupported,
                   fmt::format("console target type '{}' is not supported by QEMU on {}", c.target_type,
                               machine.is_s390() ? "s390x" : "x86"));
        else if (c.target_type == "serial" && n > 0)
            report(errors, domain, consoles[n], ErrorKind::Unsupported, "only the first console can be a serial port");
    }
    for (std::size_t i : domain.of_class(DeviceClass::Serial)) {
        const Device& s = domain.devices[i];
        if (!s.target_type.empty() && !one_of(s.target_type, kSerialTargetTypes))
            report(errors, domain, i, ErrorKind::Unsupported, fmt::format("unknown serial target type '{}'", s.target_type));
        else if (!s.extras().target_model.empty() &&
                 !machine::serial_target_model_fits(s.target_type, s.extras().target_model, machine))
            report(errors, domain, i, ErrorKind::Unsupported,
                   fmt::format("target model '{}' does not fit target type '{}'", s.extras().target_model, s.target_type));
    }
    for (std::size_t i = 0; i < domain.devices.size(); ++i) {
        const Device& d = domain.devices[i];
        if ((d.type == "spicevmc" || d.type == "spiceport") && !spice && d.cls != DeviceClass::Graphics)
            report(errors, domain, i, ErrorKind::Unsupported, fmt::format("a {} chardev needs SPICE graphics", d.type));
    }
}

// User aliases ("ua-...") name devices for management software: two
// devices cannot share one.
void check_user_aliases(const Domain& domain, Errors& errors) {
    std::set<std::string_view> seen;
    for (std::size_t i = 0; i < domain.devices.size(); ++i) {
        const model::Text& alias = domain.devices[i].extras().alias;
        if (alias.starts_with("ua-") && !seen.insert(alias).second)
            report(errors, domain, i, ErrorKind::AddressConflict, fmt::format("alias '{}' is already used", alias));
    }
}

// Per-device rules of libvirt 9.0's QEMU driver.
void check_device_rules(const Domain& domain, const MachineProfile& machine, Errors& errors) {
    for (std::size_t i = 0; i < domain.devices.size(); ++i) {
        const Device& d = domain.devices[i];
        auto refuse = [&](std::string message) { report(errors, domain, i, ErrorKind::Unsupported, std::move(message)); };
        if (d.cls == DeviceClass::Input && d.type == "tablet" && d.bus == "ps2")
            refuse("the ps2 bus does not support tablet input devices");
        else if (d.cls == DeviceClass::Iommu && !machine.is_arm() && !machine.is_s390() && d.model != "intel" &&
                 d.model != "virtio")
            refuse(fmt::format("IOMMU model '{}' is not supported on x86", d.model));
        else if (d.cls == DeviceClass::Shmem && d.model != "ivshmem-plain" && d.model != "ivshmem-doorbell")
            refuse("the legacy ivshmem device is not supported by QEMU 7.2; use model ivshmem-plain or ivshmem-doorbell");
        else if (d.cls == DeviceClass::Disk && d.device_kind == "lun" && d.type != "block" && d.type != "network")
            refuse("disk device='lun' needs a block or network source");
        else if (d.cls == DeviceClass::Hostdev && d.type == "mdev" && (d.model == "vfio-ap" || d.model == "vfio-ccw") &&
                 !machine.is_s390())
            refuse(fmt::format("mediated device model '{}' is not supported on x86", d.model));
        else if (d.cls == DeviceClass::Interface && d.model == "usb-net" && !std::holds_alternative<UsbAddress>(d.address))
            refuse("a usb-net interface needs an explicit USB address");
        else if (d.cls == DeviceClass::Disk && d.bus == "fdc" && d.device_kind != "floppy")
            refuse("only a floppy can sit on the fdc bus");
        else if (d.cls == DeviceClass::Disk && d.device_kind == "floppy" && d.bus != "fdc")
            refuse(fmt::format("a floppy cannot sit on the {} bus", d.bus));
        else if (d.cls == DeviceClass::Disk && d.device_kind == "cdrom" && d.bus == "virtio")
            refuse("a virtio disk cannot take ejectable media (cdrom)");
        else if (auto undefined = undefined_numa_node(domain, d); d.cls == DeviceClass::Memory && undefined)
            refuse(*undefined);
        else if (d.cls == DeviceClass::Memory && std::get_if<OtherAddress>(&d.address) &&
                 std::get<OtherAddress>(d.address).type == "dimm" && !assigners::dimm_slot(d))
            refuse("a dimm address needs a slot");
        else if (d.cls == DeviceClass::Smartcard && std::get_if<CcidAddress>(&d.address) &&
                 std::get<CcidAddress>(d.address) != CcidAddress{0, 0})
            refuse("QEMU supports one smartcard, at CCID controller 0 slot 0");
    }
}

// The one address type a kind of device may have, where libvirt insists on
// one ("" where it may have none at all), and what the rule is about.
struct AddressRule {
    std::string_view type;
    std::string_view subject;
};

std::optional<AddressRule> address_rule(const Device& d) {
    switch (d.cls) {
    case DeviceClass::Disk:
        if (d.bus == "ide" || d.bus == "sata" || d.bus == "scsi" || d.bus == "fdc")
            return AddressRule{"drive", "a disk on this bus"};
        if (d.bus == "usb") return AddressRule{"usb", "a USB disk"};
        break;
    case DeviceClass::Hostdev:
        if (d.device_kind == "capabilities") break;
        if (d.type == "usb") return AddressRule{"usb", "a USB host device"};
        if (d.type == "scsi") return AddressRule{"drive", "a SCSI host device"};
        if (d.type == "mdev" && d.model == "vfio-ccw") return AddressRule{"ccw", "a vfio-ccw mediated device"};
        break;
    case DeviceClass::Serial:
        if (d.target_type == "isa-serial") return AddressRule{"isa", "an isa-serial port"};
        if (d.target_type == "system-serial") return AddressRule{"", "a system-serial port"};
        if (d.target_type == "usb-serial") return AddressRule{"usb", "a usb-serial port"};
        if (d.target_type == "pci-serial") return AddressRule{"pci", "a pci-serial port"};
        if (d.target_type == "sclp-serial") return AddressRule{"", "an SCLP serial port"};
        break;
    case DeviceClass::Panic:
        if (d.model.empty() || d.model == "isa") return AddressRule{"isa", "an ISA panic device"};
        if (d.model == "hyperv") return AddressRule{"", "a hyperv panic device"};
        if (d.model == "s390") return AddressRule{"", "an s390 panic device"};
        break;
    case DeviceClass::Watchdog:
        // diag288 is a hypervisor call, not a device on a bus.
        if (d.model == "diag288") return AddressRule{"", "a diag288 watchdog"};
        if (d.model == "ib700") return AddressRule{"", "an ib700 watchdog"};
        break;
    case DeviceClass::Iommu:
        if (d.model == "intel") return AddressRule{"", "an intel IOMMU"};
        if (d.model == "smmuv3") return AddressRule{"", "an smmuv3 IOMMU"};
        break;
    case DeviceClass::Video:
        if (d.model == "ramfb") return AddressRule{"", "a ramfb video"};
        break;
    default:
        break;
    }
    return std::nullopt;
}

// A virtio-serial address names a controller that must be there (those of
// virtio channels and consoles were added; other chardevs get none).
void check_virtio_serial_controllers(const Domain& domain, Errors& errors) {
    for (std::size_t i = 0; i < domain.devices.size(); ++i)
        if (const auto* a = std::get_if<VirtioSerialAddress>(&domain.devices[i].address);
            a && domain.find_controller("virtio-serial", a->controller) == nullptr)
            report(errors, domain, i, ErrorKind::Placement,
                   fmt::format("virtio-serial controller {} is missing", a->controller));
}

// A PCI host device is on PCI, or not given to the guest at all.
bool pci_hostdev_misaddressed(const Device& d) {
    if (d.cls != DeviceClass::Hostdev || d.device_kind != "subsystem" || d.type != "pci" || !d.has_address()) return false;
    const std::string type = address_type_name(d.address);
    return type != "pci" && type != "unassigned";
}

void check_address_types(const Domain& domain, Errors& errors) {
    for (std::size_t i = 0; i < domain.devices.size(); ++i) {
        const Device& d = domain.devices[i];
        if (pci_hostdev_misaddressed(d))
            report(errors, domain, i, ErrorKind::InvalidAddress,
                   fmt::format("a PCI host device must use address type 'pci' or 'unassigned', not '{}'",
                               address_type_name(d.address)));
        const std::optional<AddressRule> rule = d.has_address() ? address_rule(d) : std::nullopt;
        if (!rule) continue;
        const std::string type = address_type_name(d.address);
        if (rule->type.empty())
            report(errors, domain, i, ErrorKind::InvalidAddress,
                   fmt::format("{} cannot have an address", rule->subject));
        else if (type != rule->type)
            report(errors, domain, i, ErrorKind::InvalidAddress,
                   fmt::format("{} must use address type '{}', not '{}'", rule->subject, rule->type, type));
    }
}

// USB devices need a USB controller: model 'none' disables USB, and on ARM
// libvirt adds no USB controller of its own.
void check_usb_available(const Domain& domain, Errors& errors) {
    for (std::size_t i : domain.controller_order)
        if (domain.devices[i].type == "usb" && domain.devices[i].model != "none") return;
    const std::string why = domain.find_controller("usb", 0) ? "USB is disabled (controller model 'none')"
                                                              : "the guest has no USB controller";
    for (std::size_t i = 0; i < domain.devices.size(); ++i) {
        const Device& d = domain.devices[i];
        const bool usb = (d.cls == DeviceClass::Input && d.bus == "usb") || (d.cls == DeviceClass::Disk && d.bus == "usb") ||
                         (d.cls == DeviceClass::Hub) || (d.cls == DeviceClass::Redirdev && d.bus == "usb") ||
                         (d.cls == DeviceClass::Hostdev && d.type == "usb") || (d.cls == DeviceClass::Smartcard);
        if (usb) report(errors, domain, i, ErrorKind::Placement, fmt::format("the device needs USB, but {}", why));
    }
}

// What a device needs from the host side of the guest: a disk, something to
// read; vhost-user backends (virtiofs, vhost-user disks), guest memory they
// can map; intel interrupt remapping, the I/O APIC emulated by QEMU.
void check_backends(const Domain& domain, const rules::LibvirtRules& rules, Errors& errors) {
    for (std::size_t i = 0; i < domain.devices.size(); ++i) {
        const Device& d = domain.devices[i];
        auto refuse = [&](std::string message) { report(errors, domain, i, ErrorKind::Unsupported, std::move(message)); };
        const bool vhost_user = (d.cls == DeviceClass::Filesystem && d.device_kind == "virtiofs") ||
                                (d.cls == DeviceClass::Disk && d.type == "vhostuser");
        if (d.cls == DeviceClass::Disk && (d.device_kind == "disk" || d.device_kind == "lun") && !d.has_source)
            refuse("the disk has no source");
        else if (d.cls == DeviceClass::Disk && d.bus == "usb" && !d.has_source && rules.usb_disk_needs_source)
            refuse("a USB disk must not be empty (it needs a <source>)");
        else if (vhost_user && !domain.shared_memory)
            refuse("a vhost-user backend needs shared guest memory (<memoryBacking><access mode='shared'/>)");
        else if (d.cls == DeviceClass::Iommu && d.extras().intremap.value_or(false) && domain.ioapic_driver != "qemu")
            refuse("IOMMU interrupt remapping needs the split I/O APIC (<features><ioapic driver='qemu'/>)");
        else if (d.cls == DeviceClass::Iommu && d.extras().eim.value_or(false) && !d.extras().intremap.value_or(false))
            refuse("IOMMU eim needs interrupt remapping (intremap='on')");
    }
}

}  // namespace

std::vector<Error> broken_definition_rules(const Domain& domain, const MachineProfile& machine) {
    Errors errors;
    check_disk_targets(domain, errors);
    check_hostdev_sources(domain, errors);
    check_address_types(domain, errors);
    check_virtio_serial_controllers(domain, errors);
    check_drive_addresses(domain, machine, errors);
    check_controller_models(domain, machine, errors);
    check_pci_controllers(domain, machine, errors);
    check_usb_controllers(domain, errors);
    check_single_instances(domain, machine, errors);
    check_videos(domain, errors);
    check_usb_available(domain, errors);
    if (machine.is_s390()) check_s390x_devices(domain, errors);
    else check_device_models(domain, machine, errors);
    check_controller_indexes(domain, errors);
    check_chardevs(domain, machine, errors);
    check_user_aliases(domain, errors);
    check_memory_hotplug(domain, kLibvirt90Memory, errors);
    check_device_rules(domain, machine, errors);
    check_backends(domain, machine.rules(), errors);
    for (Error& e : broken_arm_rules(domain, machine)) errors.push_back(std::move(e));
    if (machine.is_pseries()) check_pseries_rules(domain, errors);
    check_emulator_capabilities(domain, machine, errors);
    return errors;
}

void check_definition_rules(const Domain& domain, const MachineProfile& machine) {
    std::vector<Error> errors = broken_definition_rules(domain, machine);
    if (!errors.empty()) throw Failure(errors.front());
}

}  // namespace guestaddr::validation
