#include "topology/pci_address_set.hpp"

#include <fmt/format.h>

#include "guestaddr/error.hpp"

namespace guestaddr::topology {
namespace {

[[noreturn]] void fail(ErrorKind kind, const std::string& who, std::string message) {
    throw Failure(Error{kind, who, std::move(message)});
}

// Why a device with `dev` flags cannot use `addr` on a bus accepting `bus`,
// or nullopt when it can (spec §2.2).
std::optional<std::string> incompatibility(const PciAddress& addr, ConnectFlags bus, ConnectFlags dev,
                                           AddressOrigin origin) {
    if (dev.has(Connect::Integrated)) {
        if (addr.bus != 0)
            return fmt::format("PCI address {} is not on bus 0, but the device is integrated and must be on bus 0",
                               addr.to_string());
        bus |= Connect::AutoAssign;
    }
    if (origin == AddressOrigin::User) {
        if (bus.is_endpoint()) bus = bus.with_endpoints();
        if (dev.has(Connect::PciBridge)) dev |= Connect::PciDevice;
    } else if (dev.has(Connect::AutoAssign) && !bus.has(Connect::AutoAssign)) {
        return fmt::format("the controller of PCI address {} does not take automatically placed devices",
                           addr.to_string());
    }
    if (dev.has(Connect::Hotpluggable) && !bus.has(Connect::Hotpluggable))
        return fmt::format("the device needs hotplug, but the controller of PCI address {} (index {}) has none",
                           addr.to_string(), addr.bus);
    if (!dev.shares_type_with(bus))
        return fmt::format("the device at PCI address {} cannot be plugged into the PCI controller with index='{}'; "
                           "it needs a controller that accepts a {}",
                           addr.to_string(), addr.bus, connect_description(dev));
    return std::nullopt;
}

std::uint64_t cursor_key(ConnectFlags flags, std::optional<unsigned> function, std::optional<unsigned> numa) {
    const std::uint64_t node = numa ? *numa + 1u : 0u;
    return (node << 40) | (std::uint64_t{flags.bits()} << 8) | (function ? *function : 0xFFu);
}

bool on_node(const PciBus& bus, std::optional<unsigned> numa) { return !numa || bus.numa == numa; }

}  // namespace

bool PciBus::empty() const {
    for (std::uint8_t f : functions)
        if (f != 0) return false;
    return true;
}

PciAddressSet::PciAddressSet(Mode mode) : mode_(mode) {}

void PciAddressSet::set_bus(unsigned index, const ControllerRule& rule, bool hotplug) {
    if (index >= buses_.size()) buses_.resize(index + 1);
    PciBus& bus = buses_[index];
    bus.rule = &rule;
    bus.accepts = hotplug ? rule.accepts : rule.accepts.without(Connect::Hotpluggable);
    bus.min_slot = rule.min_slot;
    bus.max_slot = rule.max_slot;
}

void PciAddressSet::fill_missing(const ControllerRule& rule) {
    for (unsigned i = 0; i < buses_.size(); ++i)
        if (buses_[i].rule == nullptr) set_bus(i, rule, true);
}

bool PciAddressSet::slot_in_use(unsigned bus, unsigned slot) const {
    return bus < buses_.size() && slot < 32 && buses_[bus].functions[slot] != 0;
}

bool PciAddressSet::fully_reserved() const {
    for (const PciBus& bus : buses_)
        for (unsigned slot = bus.min_slot; slot <= bus.max_slot; ++slot)
            if (bus.functions[slot] == 0) return false;
    return true;
}

bool PciAddressSet::any_bus_accepts(Connect type) const {
    for (const PciBus& bus : buses_)
        if (bus.accepts.has(type)) return true;
    return false;
}

void PciAddressSet::validate(const PciAddress& a, ConnectFlags flags, AddressOrigin origin,
                             const model::DeviceLabel& who) const {
    if (buses_.empty()) fail(ErrorKind::Placement, who(), "the machine has no PCI buses");
    if (a.domain != 0)
        fail(ErrorKind::InvalidAddress, who(),
             fmt::format("invalid PCI address {}: only PCI domain 0 is available", a.to_string()));
    if (a.bus >= buses_.size())
        fail(ErrorKind::InvalidAddress, who(),
             fmt::format("invalid PCI address {}: only PCI buses up to {} are available", a.to_string(),
                         buses_.size() - 1));
    const PciBus& bus = buses_[a.bus];
    if (auto why = incompatibility(a, bus.accepts, flags, origin)) fail(ErrorKind::Placement, who(), *why);
    if (bus.min_slot != 0 && a.slot < bus.min_slot)
        fail(ErrorKind::InvalidAddress, who(),
             fmt::format("invalid PCI address {}: slot must be >= {}", a.to_string(), bus.min_slot));
    if (a.slot > bus.max_slot)
        fail(ErrorKind::InvalidAddress, who(),
             fmt::format("invalid PCI address {}: slot must be <= {}", a.to_string(), bus.max_slot));
}

PciAddress PciAddressSet::reserve(PciAddress a, ConnectFlags flags, AddressOrigin origin,
                                  const model::DeviceLabel& who) {
    if (mode_ == Mode::Plan && a.bus >= buses_.size()) a = grow_to(a, flags, who, true);
    validate(a, flags, origin, who);
    PciBus& bus = buses_[a.bus];
    std::uint8_t bit = static_cast<std::uint8_t>(1u << a.function);
    if (bus.functions[a.slot] & bit)
        fail(ErrorKind::AddressConflict, who(), fmt::format("double use of PCI address {}", a.to_string()));
    if (bus.functions[a.slot] == 0) bus.aggregate[a.slot] = flags.has(Connect::AggregateSlot);
    bus.functions[a.slot] |= bit;
    return a;
}

void PciAddressSet::release(const PciAddress& a) {
    if (a.bus >= buses_.size()) return;
    buses_[a.bus].functions[a.slot] &= static_cast<std::uint8_t>(~(1u << a.function));
    cursors_.clear();
}

std::optional<unsigned> PciAddressSet::free_function_on_bus(unsigned bus_index, unsigned& slot, ConnectFlags flags,
                                                            std::optional<unsigned> function) const {
    const PciBus& bus = buses_[bus_index];
    unsigned first_function = function.value_or(0);
    unsigned last_function = function.value_or(7);
    for (; slot <= bus.max_slot; ++slot) {
        if (bus.functions[slot] == 0) return first_function;
        if (!flags.has(Connect::AggregateSlot) || !bus.aggregate[slot]) continue;
        for (unsigned f = first_function; f <= last_function; ++f)
            if ((bus.functions[slot] & (1u << f)) == 0) return f;
    }
    return std::nullopt;
}

std::optional<PciAddress> PciAddressSet::find_free(ConnectFlags flags, std::optional<unsigned> function,
                                                   std::optional<unsigned> numa) {
    auto [cursor, inserted] = cursors_.try_emplace(cursor_key(flags, function, numa), 0u, 0u);
    for (unsigned b = cursor->second.first; b < buses_.size(); ++b) {
        const PciBus& bus = buses_[b];
        if (!on_node(bus, numa)) continue;
        PciAddress probe{0, b, bus.min_slot, 0};
        if (incompatibility(probe, bus.accepts, flags, AddressOrigin::Chosen)) continue;
        unsigned slot = b == cursor->second.first ? std::max(cursor->second.second, bus.min_slot) : bus.min_slot;
        if (auto f = free_function_on_bus(b, slot, flags, function)) {
            cursor->second = {b, slot};
            return PciAddress{0, b, slot, *f};
        }
    }
    cursor->second = {static_cast<unsigned>(buses_.size()), 0};
    return std::nullopt;
}

PciAddress PciAddressSet::allocate(ConnectFlags flags, std::optional<unsigned> function,
                                   const model::DeviceLabel& who, std::optional<unsigned> numa) {
    if (buses_.empty()) fail(ErrorKind::Placement, who(), "the machine has no PCI buses");
    std::optional<PciAddress> found = find_free(flags, function, numa);
    if (!found) {
        if (mode_ == Mode::Commit && numa)
            fail(ErrorKind::Exhausted, who(), fmt::format("no free slot below an expander bus of NUMA node {}", *numa));
        if (mode_ == Mode::Commit) fail(ErrorKind::Exhausted, who(), "no more available PCI slots");
        if (flags.has(Connect::Integrated))
            fail(ErrorKind::Exhausted, who(), "no free slot on bus 0 for an integrated device");
        if (numa) return reserve(grow_for_node(flags, *numa, who), flags, AddressOrigin::Chosen, who);
        PciAddress first_new{0, static_cast<unsigned>(buses_.size()), 0, function.value_or(0)};
        found = grow_to(first_new, flags, who, false);
        found->slot = buses_[found->bus].min_slot;
    }
    return reserve(*found, flags, AddressOrigin::Chosen, who);
}

// Growth (spec §5.6): the flags of the device that found no room decide
// which controllers are added.
PciAddress PciAddressSet::grow_to(PciAddress a, ConnectFlags flags, const model::DeviceLabel& who,
                                  bool named_by_address) {
    unsigned add = a.bus + 1 - static_cast<unsigned>(buses_.size());
    const ControllerRule* bulk = nullptr;
    bool need_bridge_pair = false;
    const bool pcie_root = !buses_.empty() && buses_[0].rule && buses_[0].rule->model == "pcie-root";
    if (flags.has(Connect::PciDevice) && pci_growth_ != nullptr) {
        bulk = pci_growth_;
    } else if (flags.has(Connect::PciDevice)) {
        bulk = controller_rule("pci-bridge");
        // A pure PCIe topology has nowhere to plug a pci-bridge: add a root
        // port and a pcie-to-pci-bridge first.
        need_bridge_pair = !any_bus_accepts(Connect::PciBridge);
        if (need_bridge_pair && add == 1) {
            ++add;
            ++a.bus;
        }
    } else if ((flags.has(Connect::SwitchUpstreamPort) || flags.has(Connect::PcieDevice)) && pcie_root) {
        bulk = controller_rule("pcie-root-port");
    } else if (const ControllerRule* needed = rule_plugging_as(flags)) {
        fail(ErrorKind::Exhausted, who(),
             fmt::format("a PCI slot is needed to connect a PCI controller model='{}', but none is available, "
                         "and it cannot be automatically added",
                         needed->model));
    } else {
        fail(ErrorKind::Exhausted, who(), "no PCI bus can take this device and none can be added automatically");
    }
    unsigned next = static_cast<unsigned>(buses_.size());
    const unsigned end = next + add;
    const PciGrowth growth{who, flags, named_by_address};
    if (need_bridge_pair) {
        const ControllerRule& port = *controller_rule("pcie-root-port");
        set_bus(next, port, true);
        // Only the bridge may use this port while planning, so that the
        // spare-port reservation cannot take it.
        buses_[next].accepts = Connect::PcieToPciBridge;
        set_bus(next + 1, *controller_rule("pcie-to-pci-bridge"), true);
        buses_[next].grown_for = buses_[next + 1].grown_for = growth;
        next += 2;
    }
    for (; next < end; ++next) {
        set_bus(next, *bulk, true);
        buses_[next].grown_for = growth;
    }
    return a;
}

bool PciAddressSet::node_has_room(ConnectFlags flags, unsigned numa) const {
    for (unsigned b = 0; b < buses_.size(); ++b) {
        const PciBus& bus = buses_[b];
        if (bus.numa != numa || incompatibility(PciAddress{0, b, bus.min_slot, 0}, bus.accepts, flags, AddressOrigin::Chosen))
            continue;
        unsigned slot = bus.min_slot;
        if (free_function_on_bus(b, slot, flags, std::nullopt)) return true;
    }
    return false;
}

PciAddress PciAddressSet::grow_for_node(ConnectFlags flags, unsigned numa, const model::DeviceLabel& who) {
    if (expander_growth_ == nullptr)
        fail(ErrorKind::Exhausted, who(), fmt::format("no free slot below an expander bus of NUMA node {}", numa));
    const ControllerRule& port = *controller_rule("pcie-root-port");
    const bool below_pcie_expander = expander_growth_->accepts.has(Connect::PcieRootPort);
    if (below_pcie_expander && !flags.has(Connect::PcieDevice))
        fail(ErrorKind::Exhausted, who(),
             fmt::format("no free slot of this type below a pcie-expander-bus of NUMA node {}, and only root ports "
                         "are added there automatically",
                         numa));
    auto add = [&](const ControllerRule& rule) {
        const unsigned index = static_cast<unsigned>(buses_.size());
        set_bus(index, rule, true);
        buses_[index].numa = numa;
        buses_[index].grown_for = PciGrowth{who, flags, false, numa};
        return PciAddress{0, index, rule.min_slot, 0};
    };
    // Below a pxb a device plugs in directly, unless it must hot-plug, which
    // a pxb's bus does not: then into a pci-bridge below the pxb.
    const ControllerRule* downstream = below_pcie_expander ? &port
                                       : flags.has(Connect::Hotpluggable) ? controller_rule("pci-bridge")
                                                                           : nullptr;
    // The expander goes first: a controller's index is above its bus's.
    if (downstream == nullptr) return add(*expander_growth_);
    if (!node_has_room(downstream->plugs_as, numa)) add(*expander_growth_);
    return add(*downstream);
}

void PciAddressSet::add_capacity(ConnectFlags flags, const model::DeviceLabel& who) {
    const unsigned first = static_cast<unsigned>(buses_.size());
    grow_to(PciAddress{0, first, 0, 0}, flags, who, false);
    for (unsigned b = first; b < buses_.size(); ++b)
        if (buses_[b].grown_for) buses_[b].grown_for->capacity = true;
}

std::size_t PciAddressSet::free_hotplug_places(unsigned index, Connect type) const {
    const PciBus& bus = buses_.at(index);
    if (!bus.accepts.has(type) || !bus.accepts.has(Connect::Hotpluggable) || !bus.accepts.has(Connect::AutoAssign))
        return 0;
    std::size_t free = 0;
    for (unsigned slot = bus.min_slot; slot <= bus.max_slot; ++slot)
        if (bus.functions[slot] == 0) ++free;
    return free;
}

std::size_t PciAddressSet::free_hotplug_places(Connect type) const {
    std::size_t free = 0;
    for (unsigned b = 0; b < buses_.size(); ++b) free += free_hotplug_places(b, type);
    return free;
}

}  // namespace guestaddr::topology
