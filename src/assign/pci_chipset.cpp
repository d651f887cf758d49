#include "assign/pci_chipset.hpp"

#include <array>

#include <fmt/format.h>

#include "guestaddr/error.hpp"
#include "topology/controller_rules.hpp"
#include "topology/device_rules.hpp"

namespace guestaddr::assigners {
namespace {

using model::Device;
using model::DeviceClass;
using model::Domain;
using topology::AddressOrigin;
using topology::Connect;
using topology::PciAddressSet;

bool commits(const PciAddressSet& set) { return set.mode() == PciAddressSet::Mode::Commit; }

// A controller that must sit at one fixed function: checks an explicit
// address, fills in a missing one.
void pin_controller(Domain& domain, std::size_t i, PciAddress fixed, std::string_view what) {
    Device& d = domain.devices[i];
    const PciAddress* a = d.pci();
    if (a != nullptr && !a->is_empty()) {
        if (!a->same_function(fixed))
            throw Failure(Error{ErrorKind::Placement, domain.describe(i),
                                fmt::format("{} must have PCI address {}", what, fixed.to_string())});
        return;
    }
    d.address = fixed;
    model::note_placement(domain, i, "pci-chipset-slot",
                          [&] { return fmt::format("{} always has PCI address {}", what, fixed.to_string()); });
}

// Takes `slot` on bus 0 for a device if it is free; returns whether it did.
// `place` says whose place the slot is, for explain.
bool take_slot_if_free(Domain& domain, std::size_t i, PciAddressSet& set, PciAddress fixed, std::string_view place) {
    if (set.slot_in_use(0, fixed.slot)) return false;
    set.reserve(fixed, Connect::PciDevice, AddressOrigin::User, model::DeviceLabel(domain, i));
    domain.devices[i].address = fixed;
    model::note_placement(domain, i, "pci-chipset-slot", [&] {
        return fmt::format("{} is {}, and it was free", fixed.to_string(), place);
    });
    return true;
}

// Slot 1 on i440fx; on q35 the ICH9 functions of slot 0x1f.
constexpr std::array kPiix3Functions{
    ChipsetFunction{PciAddress{0, 0, 1, 0}, Connect::PciDevice, "the PIIX3 ISA bridge"},
    ChipsetFunction{PciAddress{0, 0, 1, 3}, Connect::PciDevice, "the PIIX4 power management"},
};
constexpr std::array kIch9Functions{
    ChipsetFunction{PciAddress{0, 0, 0x1f, 0}, Connect::PcieDevice, "the ICH9 LPC bridge"},
    ChipsetFunction{PciAddress{0, 0, 0x1f, 3}, Connect::PcieDevice, "the ICH9 SMBus controller"},
};

void reserve_functions(PciAddressSet& set, const auto& functions) {
    for (const ChipsetFunction& f : functions)
        set.reserve(f.address, f.connects_as, AddressOrigin::User, f.name);
}

// The primary video takes `slot` when it is free, the first free slot otherwise.
void place_primary_video(Domain& domain, PciAddressSet& set, const machine::MachineProfile& machine, unsigned slot) {
    // of_class puts the primary video (primary='yes', else the first) first.
    const std::vector<std::size_t> videos = domain.of_class(DeviceClass::Video);
    if (videos.empty()) return;
    const std::optional<std::size_t> video = videos.front();
    Device& d = domain.devices[*video];
    auto flags = topology::connect_flags(d, machine);
    if (!flags || !d.wants_pci_address()) return;
    PciAddress fixed{0, 0, slot, 0};
    set.validate(fixed, Connect::PciDevice, AddressOrigin::User, model::DeviceLabel(domain, *video));
    if (take_slot_if_free(domain, *video, set, fixed, "the primary video's place on this chipset")) return;
    PciAddress chosen = set.allocate(*flags, std::nullopt, model::DeviceLabel(domain, *video));
    if (!commits(set)) return;
    d.address = chosen;
    model::note_placement(domain, *video, "pci-first-free", [&] {
        return fmt::format("the primary video's place {} was taken, so the first free slot that takes a {}",
                           fixed.to_string(), topology::connect_description(*flags));
    });
}

// Slot 1 is the PIIX3: ISA bridge (.0) and power management (.3) always,
// IDE (.1) and USB (.2) when the guest has them; nothing else may use them.
void reserve_piix3(Domain& domain, PciAddressSet& set, const machine::MachineProfile& machine) {
    for (std::size_t i : domain.controller_order) {
        const Device& c = domain.devices[i];
        if (c.index != 0u) continue;
        if (c.type == "ide") {
            pin_controller(domain, i, PciAddress{0, 0, 1, 1}, "the primary IDE controller");
            set.reserve(PciAddress{0, 0, 1, 1}, Connect::PciDevice, AddressOrigin::User, model::DeviceLabel(domain, i));
        }
        if (c.type == "usb" && c.model == "piix3-uhci") {
            pin_controller(domain, i, PciAddress{0, 0, 1, 2}, "the PIIX3 USB controller at index 0");
            set.reserve(PciAddress{0, 0, 1, 2}, Connect::PciDevice, AddressOrigin::User, model::DeviceLabel(domain, i));
        }
    }
    reserve_functions(set, kPiix3Functions);
    place_primary_video(domain, set, machine, 2);
}

void place_q35_controllers(Domain& domain, PciAddressSet& set) {
    for (std::size_t i : domain.controller_order) {
        Device& c = domain.devices[i];
        if (c.type == "sata" && c.index == 0u) {
            pin_controller(domain, i, PciAddress{0, 0, 0x1f, 2}, "the primary SATA controller");
        } else if (c.type == "usb" && c.model == "ich9-uhci1" && !c.has_address()) {
            // Where real Q35 hardware has its USB2 controllers, if free (and
            // only for a controller with no address at all: libvirt places
            // one with an empty PCI address as any other).
            PciAddress at{0, 0, 0x1d, 0, Multifunction::On};
            if (!take_slot_if_free(domain, i, set, at, "where Q35 hardware has its first USB2 controllers")) {
                at.slot = 0x1a;
                take_slot_if_free(domain, i, set, at,
                                  "where Q35 hardware has its second USB2 controllers (00:1d was taken)");
            }
        } else if (c.type == "pci" && c.model == "dmi-to-pci-bridge" && !c.has_address()) {
            take_slot_if_free(domain, i, set, PciAddress{0, 0, 0x1e, 0}, "where Q35 hardware has its DMI-to-PCI bridge");
        }
    }
}

void place_q35_sound(Domain& domain, PciAddressSet& set) {
    for (std::size_t i : domain.of_class(DeviceClass::Sound)) {
        const Device& s = domain.devices[i];
        if (s.model != "ich9" || !s.wants_pci_address()) continue;
        take_slot_if_free(domain, i, set, PciAddress{0, 0, 0x1b, 0}, "the place of the ICH9's own HD audio");
        return;
    }
}

void reserve_ich9(Domain& domain, PciAddressSet& set, const machine::MachineProfile& machine) {
    place_q35_controllers(domain, set);
    reserve_functions(set, kIch9Functions);
    place_primary_video(domain, set, machine, 1);
    place_q35_sound(domain, set);
}

}  // namespace

std::vector<ChipsetFunction> chipset_functions(const machine::MachineProfile& machine) {
    if (machine.chipset == machine::Chipset::I440fx) return {kPiix3Functions.begin(), kPiix3Functions.end()};
    if (machine.chipset == machine::Chipset::Q35) return {kIch9Functions.begin(), kIch9Functions.end()};
    return {};
}

void reserve_chipset_slots(Domain& domain, PciAddressSet& set, const machine::MachineProfile& machine) {
    if (machine.chipset == machine::Chipset::I440fx) reserve_piix3(domain, set, machine);
    if (machine.chipset == machine::Chipset::Q35) reserve_ich9(domain, set, machine);
}

}  // namespace guestaddr::assigners
