#include "assign/pci_walk.hpp"

#include <array>
#include <map>
#include <set>

#include <fmt/format.h>

#include "guestaddr/error.hpp"
#include "topology/controller_rules.hpp"
#include "topology/device_rules.hpp"
#include "topology/preferences.hpp"

namespace guestaddr::assigners {
namespace {

using model::Device;
using model::DeviceClass;
using model::Domain;
using topology::AddressOrigin;
using topology::PciAddressSet;

bool commits(const PciAddressSet& set) { return set.mode() == PciAddressSet::Mode::Commit; }

void note_first_free(Domain& domain, std::size_t i, topology::ConnectFlags flags, const PciAddress& chosen) {
    model::note_placement(domain, i, "pci-first-free", [&] {
        const Device* bus = domain.find_controller("pci", chosen.bus);
        return fmt::format("the first free {}that takes a {}{}, searching bus by bus from bus 0 in libvirt's device "
                           "order: bus {} ({})",
                           flags.has(topology::Connect::AggregateSlot) ? "function of a slot shared by such ports "
                                                                       : "slot ",
                           topology::connect_description(flags),
                           flags.has(topology::Connect::Hotpluggable) ? " and hotplug" : "", chosen.bus,
                           bus ? fmt::format("{}, {}", domain.describe(*domain.find_controller_index("pci", chosen.bus)),
                                             bus->model)
                               : std::string("no controller"));
    });
}

void note_preferred(Domain& domain, std::size_t i, const model::Preference& prefer, const topology::PciRequest& request,
                    const PciAddress& chosen, const PciAddressSet& set) {
    model::note_placement(domain, i, "placement-preference", [&] {
        const topology::ControllerRule* rule = set.bus(chosen.bus).rule;
        return fmt::format("its placement preference ({}, kept in guestaddr's <metadata>) asks for a slot that takes a "
                           "{}{}{}: the first free one, bus by bus from bus 0: bus {} ({})",
                           model::preference_text(prefer), topology::connect_description(request.flags),
                           request.flags.has(topology::Connect::Hotpluggable) ? " and hotplug" : "",
                           request.numa ? fmt::format(", below an expander bus of guest NUMA node {}", *request.numa) : "",
                           chosen.bus, rule ? rule->model : std::string_view("a bus guestaddr adds"));
    });
}

// The device's placement preference narrows the first-fit search: other
// flags, or only the buses of one NUMA node.
void place(Domain& domain, std::size_t i, PciAddressSet& set, const machine::MachineProfile& machine) {
    Device& d = domain.devices[i];
    auto flags = topology::connect_flags(d, machine);
    if (!flags || !d.wants_pci_address()) return;
    topology::PciRequest request{*flags, std::nullopt};
    const model::Preference* prefer = model::find_preference(domain.intent, d);
    if (prefer) request = topology::preferred_request(*flags, *prefer, domain, machine, domain.describe(i));
    const bool preferred = request.flags != *flags || request.numa;
    PciAddress chosen = set.allocate(request.flags, std::nullopt, model::DeviceLabel(domain, i), request.numa);
    // A device placed by preference keeps the place the plan made for it:
    // first fit in the committed set would let controllers placed before it
    // take that place.
    if (preferred) {
        d.address = chosen;
        note_preferred(domain, i, *prefer, request, chosen, set);
    }
    if (!commits(set)) return;
    d.address = chosen;
    note_first_free(domain, i, request.flags, chosen);
}

void place_class(Domain& domain, DeviceClass cls, PciAddressSet& set, const machine::MachineProfile& machine) {
    for (std::size_t i : domain.of_class(cls)) place(domain, i, set, machine);
}

// The fixed function of each member of an ICH9 USB2 controller set.
std::optional<unsigned> usb2_companion_function(const Device& d) {
    if (d.cls != DeviceClass::Controller || d.type != "usb") return std::nullopt;
    if (d.model == "ich9-ehci1") return 7;
    if (d.model == "ich9-uhci1") return 0;
    if (d.model == "ich9-uhci2") return 1;
    if (d.model == "ich9-uhci3") return 2;
    return std::nullopt;
}

std::optional<PciAddress> sibling_address(const Domain& domain, const Device& member) {
    for (std::size_t j : domain.controller_order) {
        const Device& other = domain.devices[j];
        const PciAddress* a = other.pci();
        if (usb2_companion_function(other) && other.index == member.index && a && !a->is_empty()) return *a;
    }
    return std::nullopt;
}

// All members of a USB2 set share one slot, each at its fixed function.
void place_usb2_member(Domain& domain, std::size_t i, unsigned function, PciAddressSet& set,
                       const machine::MachineProfile& machine) {
    Device& d = domain.devices[i];
    auto flags = topology::connect_flags(d, machine);
    if (!flags || !d.wants_pci_address()) return;
    const Multifunction mf = function == 0 ? Multifunction::On : Multifunction::Absent;
    if (std::optional<PciAddress> sibling = sibling_address(domain, d)) {
        PciAddress at{0, sibling->bus, sibling->slot, function, mf};
        set.reserve(at, *flags, AddressOrigin::User, model::DeviceLabel(domain, i));
        if (!commits(set)) return;
        d.address = at;
        model::note_placement(domain, i, "pci-usb2-set", [&] {
            return fmt::format("the controllers of an ICH9 USB2 set share one slot, each at its own function: {} "
                               "takes function {} of slot {:#04x} on bus {}",
                               d.model, function, at.slot, at.bus);
        });
        return;
    }
    PciAddress chosen = set.allocate(*flags, function, model::DeviceLabel(domain, i));
    chosen.multifunction = mf;
    if (!commits(set)) return;
    d.address = chosen;
    note_first_free(domain, i, *flags, chosen);
}

void place_pci_controllers(Domain& domain, PciAddressSet& set, const machine::MachineProfile& machine) {
    for (std::size_t i : domain.controller_order)
        if (domain.devices[i].type == "pci") place(domain, i, set, machine);
}

void place_other_controllers(Domain& domain, PciAddressSet& set, const machine::MachineProfile& machine) {
    for (std::size_t i : domain.controller_order) {
        const Device& c = domain.devices[i];
        if (c.type == "pci") continue;
        if (auto function = usb2_companion_function(c)) {
            place_usb2_member(domain, i, *function, set, machine);
            continue;
        }
        place(domain, i, set, machine);
    }
}

void place_virtio_disks(Domain& domain, PciAddressSet& set, const machine::MachineProfile& machine) {
    for (std::size_t i : domain.of_class(DeviceClass::Disk)) {
        const Device& d = domain.devices[i];
        if (d.bus != "virtio") continue;
        // On s390x a virtio disk sits on the channel subsystem (ccw_assigner).
        if (machine.is_s390() && address_type_name(d.address) == "ccw") continue;
        if (address_type_name(d.address) == "virtio-mmio") continue;  // QEMU places it
        if (d.has_address() && !d.pci())
            throw Failure(Error{ErrorKind::Placement, domain.describe(i),
                                fmt::format("a virtio disk cannot have an address of type '{}'",
                                            address_type_name(d.address))});
        place(domain, i, set, machine);
    }
}

// NICs of type hostdev are in libvirt's host device list (ahead of the
// <hostdev> elements), not placed with the other NICs.
void place_host_devices(Domain& domain, PciAddressSet& set, const machine::MachineProfile& machine) {
    for (std::size_t i : domain.of_class(DeviceClass::Interface))
        if (domain.devices[i].type == "hostdev") place(domain, i, set, machine);
    place_class(domain, DeviceClass::Hostdev, set, machine);
}

constexpr std::array kLateClasses{
    DeviceClass::Memballoon, DeviceClass::Rng,  DeviceClass::Watchdog,
    DeviceClass::Video,   DeviceClass::Shmem,      DeviceClass::Input, DeviceClass::Serial,
    DeviceClass::Iommu,   DeviceClass::Vsock,      DeviceClass::Memory,
    DeviceClass::Panic,   DeviceClass::Crypto,
};

unsigned new_expander_bus_nr(const Domain& domain, std::size_t i) {
    unsigned lowest = 256;
    for (std::size_t j : domain.controller_order) {
        const Device& c = domain.devices[j];
        if (c.type != "pci" || !topology::is_expander_bus(c.model)) continue;
        if (c.extras().ctarget.bus_nr && *c.extras().ctarget.bus_nr > 0) lowest = std::min(lowest, *c.extras().ctarget.bus_nr);
    }
    if (lowest <= 2)
        throw Failure(Error{ErrorKind::Exhausted, domain.describe(i),
                            "no free busNr lower than the current lowest busNr is available; set busNr by hand"});
    return lowest - 2;
}

void fill_controller_defaults(Domain& domain, std::size_t i) {
    Device& c = domain.devices[i];
    const topology::ControllerRule* rule = topology::controller_rule(c.model);
    if (rule == nullptr) return;
    if (c.extras().model_name.empty()) c.edit_extras().model_name = std::string(rule->qemu_device);
    const PciAddress* a = c.pci();
    if (c.model == "pci-bridge" && !c.extras().ctarget.chassis_nr) c.edit_extras().ctarget.chassis_nr = c.index;
    if (c.model == "pcie-root-port" || c.model == "pcie-switch-downstream-port") {
        if (!c.extras().ctarget.chassis) c.edit_extras().ctarget.chassis = c.index;
        // A root port is numbered by its function on pcie-root, a
        // downstream port by its slot on the upstream port; a port given
        // an address of another type (virtio-mmio) counts as slot 0
        // function 0, as libvirt 9.0 and 11.3 number it.
        const unsigned slot = a ? a->slot : 0;
        const unsigned function = a ? a->function : 0;
        if (!c.extras().ctarget.port) c.edit_extras().ctarget.port = c.model == "pcie-root-port" ? slot * 8 + function : slot;
    }
    if (topology::is_expander_bus(c.model) && !c.extras().ctarget.bus_nr)
        c.edit_extras().ctarget.bus_nr = new_expander_bus_nr(domain, i);
    if (c.model == "pci-bridge" && a && c.index.value_or(0) <= a->bus)
        throw Failure(Error{ErrorKind::Placement, domain.describe(i),
                            fmt::format("the pci-bridge has index {} but sits on bus {:#04x}; its index must be "
                                        "larger than the bus it plugs into",
                                        c.index.value_or(0), a->bus)});
}

}  // namespace

void place_devices(Domain& domain, PciAddressSet& set, const machine::MachineProfile& machine) {
    place_pci_controllers(domain, set, machine);
    place_class(domain, DeviceClass::Filesystem, set, machine);
    for (std::size_t i : domain.of_class(DeviceClass::Interface))
        if (domain.devices[i].type != "hostdev") place(domain, i, set, machine);
    place_class(domain, DeviceClass::Sound, set, machine);
    place_other_controllers(domain, set, machine);
    place_virtio_disks(domain, set, machine);
    place_host_devices(domain, set, machine);
    for (DeviceClass cls : kLateClasses) place_class(domain, cls, set, machine);
}

void set_multifunction(Domain& domain) {
    std::map<std::pair<unsigned, unsigned>, std::size_t> function_zero;
    for (std::size_t i = 0; i < domain.devices.size(); ++i)
        if (const PciAddress* a = domain.devices[i].pci(); a && !a->is_empty() && a->function == 0)
            function_zero.emplace(std::pair{a->bus, a->slot}, i);
    for (const Device& d : domain.devices) {
        const PciAddress* a = d.pci();
        if (!a || a->is_empty() || a->function == 0) continue;
        auto it = function_zero.find({a->bus, a->slot});
        if (it == function_zero.end()) continue;
        auto& first = std::get<PciAddress>(domain.devices[it->second].address);
        if (first.multifunction == Multifunction::Absent) first.multifunction = Multifunction::On;
    }
}

void fill_pci_controller_defaults(Domain& domain) {
    for (std::size_t i : domain.controller_order)
        if (domain.devices[i].type == "pci") fill_controller_defaults(domain, i);
}


}  // namespace guestaddr::assigners
