#include "assign/drive_assigner.hpp"

#include <algorithm>
#include <array>
#include <set>

#include <fmt/format.h>

#include "guestaddr/error.hpp"
#include "machine/implicit_devices.hpp"
#include "model/disk_names.hpp"

namespace guestaddr::assigners {
namespace {

using model::Device;
using model::DeviceClass;

constexpr std::array<DriveLayout, 4> kDriveLayouts{{
    {"ide", 4, 2},
    {"sata", 6, 6},
    {"scsi", 7, 7},
    {"fdc", 2, 2},
}};

DriveAddress from_name_index(unsigned index, const DriveLayout& layout) {
    const unsigned within = index % layout.units_per_controller;
    return DriveAddress{index / layout.units_per_controller, within / layout.units_per_bus, 0,
                        within % layout.units_per_bus};
}

bool is_scsi_hostdev(const Device& d) {
    return d.cls == DeviceClass::Hostdev && d.device_kind == "subsystem" && d.type == "scsi";
}

// libvirt adds the SCSI controllers host devices name while parsing them,
// so they come before every other implicit controller.
void add_scsi_hostdev_controllers(model::Domain& domain, const machine::MachineProfile& machine) {
    std::optional<machine::HighestController> highest;
    for (std::size_t i = 0; i < domain.devices.size(); ++i) {
        const Device& d = domain.devices[i];
        if (const auto* a = std::get_if<DriveAddress>(&d.address); a && is_scsi_hostdev(d))
            highest = machine::HighestController::max(highest, {a->controller, i});
    }
    machine::add_controllers_up_to(domain, "scsi", highest, machine.implicit_scsi_model());
}

// SCSI host devices take the first unit (target 0, bus 0) no SCSI disk or
// earlier host device uses, controller by controller.
void assign_scsi_hostdevs(model::Domain& domain) {
    // Most guests have none to place: then the disks' units are not gathered.
    const auto unplaced = [](const Device& d) { return is_scsi_hostdev(d) && !d.has_address(); };
    const auto& hostdevs = domain.by_class[static_cast<std::size_t>(DeviceClass::Hostdev)];
    if (std::none_of(hostdevs.begin(), hostdevs.end(), [&](std::size_t i) { return unplaced(domain.devices[i]); }))
        return;
    std::set<DriveAddress> used;
    for (const Device& d : domain.devices)
        if (const auto* a = std::get_if<DriveAddress>(&d.address); a && (d.bus == "scsi" || is_scsi_hostdev(d)))
            used.insert(*a);
    const unsigned units = kDriveLayouts[2].units_per_controller;
    for (std::size_t i = 0; i < domain.devices.size(); ++i) {
        Device& d = domain.devices[i];
        if (!is_scsi_hostdev(d) || d.has_address()) continue;
        DriveAddress candidate{0, 0, 0, 0};
        while (used.contains(candidate)) {
            if (++candidate.unit == units) candidate = DriveAddress{candidate.controller + 1, 0, 0, 0};
        }
        used.insert(candidate);
        d.address = candidate;
        model::note_placement(domain, i, "scsi-first-free-unit", [&] {
            return fmt::format("the first SCSI unit no disk or earlier host device uses, controller by controller: "
                               "controller {}, unit {}", candidate.controller, candidate.unit);
        });
    }
}

}  // namespace

const DriveLayout* drive_layout(std::string_view bus) {
    for (const DriveLayout& layout : kDriveLayouts)
        if (layout.bus == bus) return &layout;
    return nullptr;
}

void assign_drive_addresses(model::Domain& domain, const machine::MachineProfile& machine) {
    for (std::size_t i : domain.of_class(DeviceClass::Disk)) {
        Device& d = domain.devices[i];
        const DriveLayout* layout = drive_layout(d.bus);
        if (layout == nullptr || d.has_address()) continue;
        std::optional<unsigned> index = d.target_index;
        if (!index)
            throw Failure(Error{ErrorKind::InvalidAddress, domain.describe(i),
                                "the disk name encodes no index and the disk has no address"});
        const DriveAddress chosen = from_name_index(*index, *layout);
        d.address = chosen;
        model::note_placement(domain, i, "drive-from-name", [&] {
            return fmt::format("the disk's name '{}' is disk number {} on its bus; a {} controller has {} units "
                               "({} per bus), so it is controller {}, bus {}, unit {}",
                               d.target_dev, *index, d.bus, layout->units_per_controller, layout->units_per_bus,
                               chosen.controller, chosen.bus, chosen.unit);
        });
    }
    assign_scsi_hostdevs(domain);
    add_scsi_hostdev_controllers(domain, machine);
}

}  // namespace guestaddr::assigners
