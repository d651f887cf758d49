#include "machine/implicit_devices.hpp"

#include <set>

#include <fmt/format.h>

#include "guestaddr/error.hpp"
#include "machine/s390x_defaults.hpp"
#include "machine/device_defaults.hpp"
#include "machine/pseries_devices.hpp"

namespace guestaddr::machine {
namespace {

using model::Device;
using model::DeviceClass;
using model::Domain;

// Returns the index of the controller added, if it was missing.
std::optional<std::size_t> add_controller_if_missing(Domain& domain, const std::string& type, unsigned index,
                                                     std::string model) {
    if (domain.find_controller(type, index)) return std::nullopt;
    return domain.add_implicit(model::implicit_controller(type, index, std::move(model)));
}

// A device every guest of the machine has, as libvirt adds it.
void note_machine_default(Domain& domain, std::optional<std::size_t> added, const MachineProfile& machine) {
    if (added)
        model::note_addition(domain, *added, "machine-default", [&] {
            return fmt::format("every {} guest has one; libvirt adds it when the definition has none", machine.canonical);
        });
}

void add_root_bus(Domain& domain, const MachineProfile& machine) {
    if (!machine.has_pci()) return;
    const std::string root = machine.has_pcie_root() ? "pcie-root" : "pci-root";
    if (const Device* existing = domain.find_controller("pci", 0)) {
        if (existing->model != root)
            throw Failure(Error{ErrorKind::Placement, "controller pci 0",
                                fmt::format("the PCI controller with index 0 must be model='{}' for this machine "
                                            "type, but model='{}' was found",
                                            root, existing->model)});
        return;
    }
    note_machine_default(domain, add_controller_if_missing(domain, "pci", 0, root), machine);
}

void add_machine_defaults(Domain& domain, const MachineProfile& machine) {
    // ARM guests get their root bus only: no USB, SATA or memballoon.
    if (machine.is_arm()) return add_root_bus(domain, machine);
    // riscv64 'virt': its root bus and a memballoon, no USB or SATA.
    const bool riscv = machine.chipset == Chipset::RiscvVirt;
    if (machine.has_pci() && !machine.is_s390() && !riscv)
        note_machine_default(domain,
                             add_controller_if_missing(domain, "usb", 0,
                                                       machine.has_pcie_root() || machine.is_pseries() ? "qemu-xhci"
                                                                                                       : "piix3-uhci"),
                             machine);
    if (machine.has_pcie_root() && !riscv)
        note_machine_default(domain, add_controller_if_missing(domain, "sata", 0, ""), machine);
    add_root_bus(domain, machine);
    if (domain.of_class(DeviceClass::Memballoon).empty()) {
        Device balloon = model::implicit_device(DeviceClass::Memballoon);
        balloon.model = "virtio";
        note_machine_default(domain, domain.add_implicit(std::move(balloon)), machine);
    }
}

bool has_input(const Domain& domain, std::string_view type, std::string_view bus) {
    for (std::size_t i : domain.of_class(DeviceClass::Input))
        if (domain.devices[i].type == type && domain.devices[i].bus == bus) return true;
    return false;
}

void add_ps2_inputs(Domain& domain, const MachineProfile& machine) {
    for (const char* type : {"mouse", "keyboard"}) {
        if (has_input(domain, type, "ps2")) continue;
        Device input = model::implicit_device(DeviceClass::Input);
        input.type = type;
        input.bus = "ps2";
        note_machine_default(domain, domain.add_implicit(std::move(input)), machine);
    }
}

// Controllers 0..highest for every disk bus whose disks name a controller.
void add_disk_controllers(Domain& domain, const std::string& controller_type, std::string_view disk_bus,
                          const std::string& model) {
    std::optional<HighestController> highest;
    for (std::size_t i : domain.of_class(DeviceClass::Disk)) {
        const Device& d = domain.devices[i];
        const auto* a = std::get_if<DriveAddress>(&d.address);
        if (d.bus != disk_bus || a == nullptr) continue;
        highest = HighestController::max(highest, {a->controller, i});
    }
    add_controllers_up_to(domain, controller_type, highest, model);
}

// One virtio-serial controller for each index a virtio channel or console uses.
// Channels first, then consoles, as libvirt adds them.
void add_virtio_serial_controllers(Domain& domain) {
    std::set<unsigned> seen;  // thousands of channels share a few controllers
    for (DeviceClass cls : {DeviceClass::Channel, DeviceClass::Console}) {
        for (std::size_t i : domain.of_class(cls)) {
            const Device& d = domain.devices[i];
            if (d.target_type != "virtio") continue;
            const auto* a = std::get_if<VirtioSerialAddress>(&d.address);
            const unsigned controller = a ? a->controller : 0;
            if (!seen.insert(controller).second) continue;
            if (auto added = add_controller_if_missing(domain, "virtio-serial", controller, ""))
                model::note_addition(
                    domain, *added, "controller-for-device",
                    [&] { return fmt::format("{} needs virtio-serial controller {}", domain.describe(i), controller); },
                    i);
        }
    }
}

void add_ccid_controllers(Domain& domain) {
    for (std::size_t i : domain.of_class(DeviceClass::Smartcard)) {
        const auto* a = std::get_if<CcidAddress>(&domain.devices[i].address);
        const unsigned controller = a ? a->controller : 0;
        if (auto added = add_controller_if_missing(domain, "ccid", controller, ""))
            model::note_addition(
                domain, *added, "controller-for-device",
                [&] { return fmt::format("{} needs CCID controller {}", domain.describe(i), controller); }, i);
    }
}

// The iTCO watchdog of the q35 chipset (ICH9's): always there, and written
// out by a libvirt that says so.
void add_itco_watchdog(Domain& domain, const MachineProfile& machine) {
    if (!machine.rules().q35_itco_watchdog || machine.chipset != Chipset::Q35) return;
    for (std::size_t i : domain.of_class(DeviceClass::Watchdog))
        if (domain.devices[i].model == "itco") return;
    Device watchdog = model::implicit_device(DeviceClass::Watchdog);
    watchdog.model = "itco";
    domain.add_implicit(std::move(watchdog));
}

void add_video_for_graphics(Domain& domain, const MachineProfile& machine) {
    if (domain.of_class(DeviceClass::Graphics).empty() || !domain.of_class(DeviceClass::Video).empty()) return;
    Device video = model::implicit_device(DeviceClass::Video);
    video.model = default_models(machine).video;
    video.primary = true;
    const std::size_t added = domain.add_implicit(std::move(video));
    model::note_addition(
        domain, added, "video-for-graphics",
        [&] { return fmt::format("the guest has graphics but no video; libvirt adds a {} one", domain.devices[added].model); },
        domain.of_class(DeviceClass::Graphics).front());
}

}  // namespace

void add_controllers_up_to(Domain& domain, const std::string& controller_type, std::optional<HighestController> highest,
                           const std::string& model) {
    if (!highest) return;
    // Each controller takes a PCI function, and a guest has at most 256
    // buses of 32 slots of 8 functions.
    static constexpr unsigned kMostControllers = 256 * 32 * 8;
    if (highest->index >= kMostControllers)
        throw Failure(Error{ErrorKind::Placement, domain.describe(highest->device),
                            fmt::format("it needs {} controller {}, and no guest can have more than {} controllers",
                                        controller_type, highest->index, kMostControllers)});
    // The indexes there are, found once: a disk name can ask for thousands
    // of controllers, and looking each up among the others is quadratic.
    std::set<unsigned> present;
    for (std::size_t i : domain.controller_order) {
        const Device& c = domain.devices[i];
        if (c.type == controller_type && c.index) present.insert(*c.index);
    }
    for (unsigned index = 0; index <= highest->index; ++index) {
        if (present.contains(index)) continue;
        const std::size_t added = domain.add_implicit(model::implicit_controller(controller_type, index, model));
        model::note_addition(
            domain, added, "controller-for-device",
            [&] {
                return fmt::format("{} is on {} controller {}, and libvirt adds every missing {} controller up to it",
                                   domain.describe(highest->device), controller_type, highest->index, controller_type);
            },
            highest->device);
    }
}

void add_implicit_devices(Domain& domain, const MachineProfile& machine) {
    add_machine_defaults(domain, machine);
    if (machine.is_pseries())
        add_pseries_devices(domain);
    else if (!machine.is_s390() && default_models(machine).input_bus == "ps2")
        add_ps2_inputs(domain, machine);
    add_disk_controllers(domain, "scsi", "scsi", machine.implicit_scsi_model());
    add_disk_controllers(domain, "fdc", "fdc", "");
    add_disk_controllers(domain, "ide", "ide", "");
    add_disk_controllers(domain, "sata", "sata", "");
    add_virtio_serial_controllers(domain);
    add_ccid_controllers(domain);
    add_video_for_graphics(domain, machine);
    add_itco_watchdog(domain, machine);
    if (machine.is_s390()) add_s390x_panic(domain);
}

}  // namespace guestaddr::machine
