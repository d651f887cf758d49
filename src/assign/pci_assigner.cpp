#include "assign/pci_assigner.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "assign/pci_chipset.hpp"
#include "assign/pci_walk.hpp"
#include "assign/pseries_phbs.hpp"
#include "guestaddr/error.hpp"
#include "model/device_order.hpp"
#include "topology/controller_rules.hpp"
#include "topology/device_rules.hpp"
#include "topology/pci_address_set.hpp"
#include "topology/preferences.hpp"

namespace guestaddr::assigners {
namespace {

using model::Device;
using model::DeviceClass;
using model::Domain;
using topology::AddressOrigin;
using topology::Connect;
using topology::ConnectFlags;
using topology::PciAddressSet;

bool is_pci_controller(const Device& d) { return d.cls == DeviceClass::Controller && d.type == "pci"; }

unsigned highest_pci_index(const Domain& domain) {
    unsigned highest = 0;
    for (std::size_t i : domain.controller_order)
        if (is_pci_controller(domain.devices[i])) highest = std::max(highest, domain.devices[i].index.value_or(0));
    return highest;
}

// The controller of a bus nothing names, and of a bus added for a
// conventional PCI device: the pSeries adds host bridges (PHBs).
const topology::ControllerRule& default_bus_rule(const machine::MachineProfile& machine) {
    if (machine.is_pseries()) return *topology::controller_rule("pci-root");
    return *topology::controller_rule(machine.has_pcie_root() ? "pcie-root-port" : "pci-bridge");
}

// libvirt leaves the PIIX3 IDE and USB functions of slot 1 to the chipset
// reservation instead of collecting them.
bool is_piix3_function(const Device& d, const PciAddress& a) {
    if (d.cls != DeviceClass::Controller || d.index != 0u || a.domain != 0 || a.bus != 0 || a.slot != 1) return false;
    if (d.type == "ide") return a.function == 1;
    return d.type == "usb" && d.model == "piix3-uhci" && a.function == 2;
}

// The order matters: the first device reserved in a slot decides whether
// root ports may share it.
void collect_explicit_addresses(Domain& domain, PciAddressSet& set, const machine::MachineProfile& machine) {
    for (std::size_t i : model::device_iteration_order(domain)) {
        Device& d = domain.devices[i];
        const PciAddress* a = d.pci();
        if (a == nullptr || a->is_empty()) continue;
        if (d.hotplugged && a->function != 0)
            throw Failure(Error{ErrorKind::Placement, domain.describe(i),
                                "only function 0 can be hot-plugged (QEMU cannot hot-plug multifunction devices)"});
        if (is_piix3_function(d, *a)) {
            if (!set.bus(0).accepts.has(Connect::PciDevice))
                throw Failure(Error{ErrorKind::Placement, domain.describe(i),
                                    "bus 0 must be conventional PCI for the integrated PIIX3 USB or IDE controller"});
            continue;
        }
        // A device that should not be on PCI but has a PCI address is
        // tolerated as a conventional PCI device, as libvirt does.
        ConnectFlags flags = topology::connect_flags(d, machine).value_or(ConnectFlags(Connect::PciDevice));
        PciAddress reserved = set.reserve(*a, flags, AddressOrigin::User, model::DeviceLabel(domain, i));
        reserved.multifunction = a->multifunction;
        d.address = reserved;
    }
}

// Each bus below an expander bus with a <node> is of that guest NUMA node.
// (A controller's index is above its bus's: one pass in index order.)
void mark_numa_nodes(const Domain& domain, PciAddressSet& set) {
    for (std::size_t i : domain.controller_order) {
        const Device& c = domain.devices[i];
        if (!is_pci_controller(c)) continue;
        const unsigned index = c.index.value_or(0);
        const PciAddress* a = c.pci();
        if (topology::is_expander_bus(c.model)) set.set_numa(index, c.extras().ctarget.node);
        else if (a && !a->is_empty() && a->bus < index && a->bus < set.bus_count()) set.set_numa(index, set.bus(a->bus).numa);
    }
}

PciAddressSet build_address_set(Domain& domain, const machine::MachineProfile& machine, PciAddressSet::Mode mode,
                                unsigned bus_count) {
    PciAddressSet set(mode);
    if (machine.is_pseries()) set.grow_pci_with(default_bus_rule(machine));
    set.grow_expanders_with(topology::expander_rule(machine));
    for (std::size_t i : domain.controller_order) {
        const Device& c = domain.devices[i];
        if (!is_pci_controller(c)) continue;
        set.set_bus(c.index.value_or(0), *topology::controller_rule(c.model), c.extras().ctarget.hotplug.value_or(true));
    }
    if (set.bus_count() < bus_count) set.set_bus(bus_count - 1, default_bus_rule(machine), true);
    set.fill_missing(default_bus_rule(machine));
    mark_numa_nodes(domain, set);
    collect_explicit_addresses(domain, set, machine);
    return set;
}

// libvirt keeps one conventional PCI slot free on pci-root machines so that
// a pci-bridge can always be hot-added later.
void reserve_spare_pci_slot(PciAddressSet& set, const machine::MachineProfile& machine) {
    if (!machine.has_pci_root() || set.fully_reserved()) return;
    set.allocate(Connect::PciDevice, std::nullopt, "spare PCI slot");
}

// A fresh PCIe topology gets one empty root port for hotplug.
void reserve_spare_root_port(PciAddressSet& set, const machine::MachineProfile& machine, unsigned input_highest) {
    if (!machine.has_pcie_root() || input_highest > 0 || set.bus_count() <= input_highest + 1) return;
    set.allocate(Connect::PcieDevice | Connect::AutoAssign, std::nullopt, "spare PCIe root port");
}

// The busNr of an expander bus added for a NUMA node: below every other
// expander's, with room for the bus numbers of seven root ports or bridges
// under it (libvirt's own default leaves room for one).
unsigned roomy_bus_nr(const Domain& domain, const model::DeviceLabel& who) {
    unsigned lowest = 256;
    for (std::size_t j : domain.controller_order)
        if (const Device& c = domain.devices[j]; is_pci_controller(c) && c.extras().ctarget.bus_nr)
            lowest = std::min(lowest, *c.extras().ctarget.bus_nr);
    constexpr unsigned kRoom = 8;
    if (lowest <= kRoom + 1)
        throw Failure(Error{ErrorKind::Exhausted, who(), "no room for the bus numbers of another expander bus"});
    return lowest - kRoom;
}

// The rule id (docs/json-schema.md) of a bus planning added.
const char* growth_rule(const topology::PciBus& bus) {
    if (bus.grown_for && bus.grown_for->capacity) return "hotplug-capacity-policy";
    if (bus.grown_for && bus.grown_for->numa) return "numa-preference";
    return "pci-bus-for-device";
}

// The guest's capacity policy as its <metadata> says it.
std::string policy_text(const model::Policy& policy) {
    std::string text;
    if (policy.keep_free_hotplug) text += fmt::format("keep-free-hotplug='{}'", *policy.keep_free_hotplug);
    if (policy.keep_free_hotplug_pci)
        text += fmt::format("{}keep-free-hotplug-pci='{}'", text.empty() ? "" : " ", *policy.keep_free_hotplug_pci);
    return text;
}

// Why planning added the bus of a controller, in words.
std::string growth_reason(const Domain& domain, const topology::PciBus& bus, unsigned index) {
    if (!bus.grown_for) return fmt::format("libvirt numbers PCI controllers without gaps, up to {}", index);
    const topology::PciGrowth& g = *bus.grown_for;
    if (g.capacity)
        return fmt::format("the guest's hotplug capacity policy ({}) keeps free places for hot-plugged devices "
                           "that take a {}, and too few were left: guestaddr adds a {}, as libvirt would for a "
                           "device that found none",
                           policy_text(domain.intent.policy), topology::connect_description(g.flags), bus.rule->model);
    if (g.numa)
        return fmt::format("{} has the placement preference numa='{}', and no bus below an expander bus of guest "
                           "NUMA node {} had room for it: guestaddr adds a {} there",
                           g.who(), *g.numa, *g.numa, bus.rule->model);
    if (g.named_by_address)
        return fmt::format("{}'s address is on PCI bus {}, which did not exist; libvirt adds the buses up to it", g.who(),
                           index);
    if (!g.who.device()) return fmt::format("libvirt adds it as {}", g.who());
    // Planning keeps the root port of a bridge pair for its bridge alone.
    if (bus.accepts == ConnectFlags(Connect::PcieToPciBridge))
        return fmt::format("{} found no free slot that takes a {}; on PCI Express the pci-bridge it needs "
                           "goes on a pcie-to-pci-bridge, which needs one more root port",
                               g.who(), topology::connect_description(g.flags));
    return fmt::format("{} found no free slot that takes a {}, and libvirt adds a {} for it", g.who(),
                       topology::connect_description(g.flags), bus.rule->model);
}

// Adds a controller for every bus the plan created, each reserving a slot
// of its own in the plan (which may create more buses). A bus made for a
// NUMA node keeps its node: an expander bus gets it as <node>, a port below
// one is placed there now, as first fit in the committed set would not
// keep to the node.
void add_planned_controllers(Domain& domain, PciAddressSet& plan, const machine::MachineProfile& machine) {
    for (unsigned index = 1; index < plan.bus_count(); ++index) {
        if (domain.find_controller("pci", index)) continue;
        const std::string_view model_name = plan.bus(index).rule->model;
        const std::optional<unsigned> numa = plan.bus(index).numa;
        const std::size_t added = domain.add_implicit(model::implicit_controller("pci", index, std::string(model_name)));
        const model::DeviceLabel who(domain, added);
        {
            const topology::PciBus& bus = plan.bus(index);
            model::note_addition(
                domain, added, growth_rule(bus), [&] { return growth_reason(domain, bus, index); },
                bus.grown_for ? bus.grown_for->who.device() : std::nullopt);
        }
        Device& c = domain.devices[added];
        if (topology::is_expander_bus(model_name) && numa) {
            c.edit_extras().ctarget.node = numa;
            c.edit_extras().ctarget.bus_nr = roomy_bus_nr(domain, who);
        }
        auto flags = topology::connect_flags(c, machine);
        if (!flags) continue;
        const std::optional<unsigned> upstream_numa = topology::is_expander_bus(model_name) ? std::nullopt : numa;
        const PciAddress at = plan.allocate(*flags, std::nullopt, who, upstream_numa);
        if (upstream_numa) domain.devices[added].address = at;
    }
}

// The guest's hotplug capacity policy: enough free places for hot-plugged
// devices of each bus type, adding root ports or bridges as a device that
// found no room would.
void keep_free_places(Domain& domain, PciAddressSet& plan, const machine::MachineProfile& machine, Connect type,
                      unsigned wanted) {
    while (plan.free_hotplug_places(type) < wanted) {
        plan.add_capacity(type | Connect::AutoAssign, "hotplug capacity");
        add_planned_controllers(domain, plan, machine);
    }
}

void keep_hotplug_capacity(Domain& domain, PciAddressSet& plan, const machine::MachineProfile& machine) {
    const model::Policy& policy = domain.intent.policy;
    const Connect native = machine.has_pcie_root() ? Connect::PcieDevice : Connect::PciDevice;
    if (policy.keep_free_hotplug) keep_free_places(domain, plan, machine, native, *policy.keep_free_hotplug);
    if (policy.keep_free_hotplug_pci)
        keep_free_places(domain, plan, machine, Connect::PciDevice, *policy.keep_free_hotplug_pci);
}

unsigned plan_bus_count(Domain& domain, const machine::MachineProfile& machine) {
    const unsigned highest = highest_pci_index(domain);
    PciAddressSet plan = build_address_set(domain, machine, PciAddressSet::Mode::Plan, highest + 1);
    reserve_chipset_slots(domain, plan, machine);
    reserve_spare_pci_slot(plan, machine);
    place_devices(domain, plan, machine);
    reserve_spare_root_port(plan, machine, highest);
    add_planned_controllers(domain, plan, machine);
    keep_hotplug_capacity(domain, plan, machine);
    return static_cast<unsigned>(plan.bus_count());
}

// A machine without PCI (isapc, microvm) cannot take a device that needs
// it. Where libvirt does not address PCI at all (most ARM boards), only a
// PCI address written in the definition is refused.
void refuse_pci_devices(const Domain& domain, const machine::MachineProfile& machine) {
    for (std::size_t i = 0; i < domain.devices.size(); ++i) {
        const Device& d = domain.devices[i];
        const bool needs_pci = machine.addresses_pci() && topology::connect_flags(d, machine) && d.wants_pci_address();
        if (d.pci() || needs_pci)
            throw Failure(Error{ErrorKind::Placement, domain.describe(i),
                                fmt::format("machine type '{}' has no PCI buses", machine.canonical)});
    }
}

// Growth is not bounded while planning (as in libvirt); a controller it had
// to add past index 255 makes the guest impossible.
void check_added_indexes(const Domain& domain) {
    for (std::size_t i : domain.controller_order) {
        const Device& c = domain.devices[i];
        if (c.type == "pci" && c.index.value_or(0) > 255)
            throw Failure(Error{ErrorKind::Exhausted, domain.describe(i),
                                fmt::format("PCI controller index {} is too high, the maximum is 255: the devices "
                                            "need more PCI buses than a guest can have",
                                            *c.index)});
    }
}

bool plugs_into_running_guest(const Domain& domain) {
    return std::any_of(domain.devices.begin(), domain.devices.end(), [](const Device& d) { return d.hotplugged; });
}

}  // namespace

HotplugCapacity free_hotplug_capacity(const Domain& domain, const machine::MachineProfile& machine) {
    if (!machine.has_pci()) return {};
    // Building the set writes the addresses it reserves: work on a copy.
    Domain copy = domain;
    PciAddressSet set = build_address_set(copy, machine, PciAddressSet::Mode::Commit, highest_pci_index(copy) + 1);
    reserve_chipset_slots(copy, set, machine);
    HotplugCapacity capacity{set.free_hotplug_places(Connect::PcieDevice), set.free_hotplug_places(Connect::PciDevice), {}};
    for (unsigned b = 0; b < set.bus_count(); ++b) {
        const std::size_t pcie = set.free_hotplug_places(b, Connect::PcieDevice);
        const std::size_t pci = set.free_hotplug_places(b, Connect::PciDevice);
        if (pcie + pci == 0) continue;
        const topology::PciBus& bus = set.bus(b);
        capacity.buses.push_back({b, bus.rule ? std::string(bus.rule->model) : std::string(), pcie > 0,
                                  std::max(pcie, pci), bus.numa});
    }
    return capacity;
}

void assign_pci_addresses(Domain& domain, const machine::MachineProfile& machine) {
    if (!machine.has_pci()) {
        refuse_pci_devices(domain, machine);
        return;
    }
    // A running guest's buses are what they are: nothing can be planned in.
    const unsigned bus_count =
        plugs_into_running_guest(domain) ? highest_pci_index(domain) + 1 : plan_bus_count(domain, machine);
    PciAddressSet set = build_address_set(domain, machine, PciAddressSet::Mode::Commit, bus_count);
    reserve_chipset_slots(domain, set, machine);
    place_devices(domain, set, machine);
    set_multifunction(domain);
    fill_pci_controller_defaults(domain);
    if (machine.is_pseries()) fill_phb_targets(domain);
    check_added_indexes(domain);
}

}  // namespace guestaddr::assigners
