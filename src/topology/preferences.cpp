#include "topology/preferences.hpp"

#include <fmt/format.h>

#include "guestaddr/error.hpp"

namespace guestaddr::topology {
namespace {

using model::BusPreference;

[[noreturn]] void refuse(const std::string& who, std::string why) {
    throw Failure(Error{ErrorKind::Placement, who, std::move(why)});
}

ConnectFlags with_type(ConnectFlags flags, Connect type) {
    return flags.without(Connect::PciDevice).without(Connect::PcieDevice) | type;
}

// hotplug='no' on a PCIe machine: an integrated endpoint on pcie-root,
// which hot-plugs nothing; it excludes what only a hot-plugging bus offers.
ConnectFlags integrated(ConnectFlags flags, const model::Preference& p, const std::string& who) {
    if (p.bus == BusPreference::Pcie)
        refuse(who, "hotplug='no' puts the device on pcie-root as an integrated endpoint, but bus='pcie' asks for a "
                    "root port, which exists for hotplug: give one of the two");
    if (p.bus == BusPreference::Pci)
        refuse(who, "hotplug='no' puts the device on pcie-root as an integrated PCI Express endpoint, but bus='pci' "
                    "asks for a conventional slot, which only a (hot-plugging) pcie-to-pci-bridge has: give one of the two");
    if (p.numa)
        refuse(who, fmt::format("hotplug='no' puts the device on pcie-root, but numa='{}' asks for a place below a "
                                "pcie-expander-bus, which has only root ports: give one of the two",
                                *p.numa));
    return with_type(flags, Connect::PcieDevice) | Connect::Integrated;
}

void check_numa(unsigned node, const model::Domain& domain, const machine::MachineProfile& machine,
                const std::string& who) {
    if (expander_rule(machine) == nullptr)
        refuse(who, fmt::format("numa='{}': machine type '{}' has no PCI expander buses", node, machine.canonical));
    if (node >= domain.numa_cells)
        refuse(who, fmt::format("numa='{}': the guest has no NUMA node {} (its <cpu><numa> has {} cell{})", node, node,
                                domain.numa_cells, domain.numa_cells == 1 ? "" : "s"));
}

}  // namespace

const ControllerRule* expander_rule(const machine::MachineProfile& machine) {
    switch (machine.chipset) {
    case machine::Chipset::I440fx: return controller_rule("pci-expander-bus");
    case machine::Chipset::Q35:
    case machine::Chipset::ArmVirt: return controller_rule("pcie-expander-bus");
    default: return nullptr;
    }
}

PciRequest preferred_request(ConnectFlags flags, const model::Preference& p, const model::Domain& domain,
                             const machine::MachineProfile& machine, const std::string& who) {
    if (p.numa) check_numa(*p.numa, domain, machine, who);
    if (p.hotplug == false && flags.has(Connect::Hotpluggable))
        refuse(who, "hotplug='no': the device cannot be plugged into a running guest");
    if (p.hotplug == false && machine.has_pcie_root()) return {integrated(flags, p, who), std::nullopt};
    if (p.bus == BusPreference::Pcie && !machine.has_pcie_root())
        refuse(who, fmt::format("bus='pcie': machine type '{}' has no PCI Express buses", machine.canonical));
    if (p.bus == BusPreference::Pcie) flags = with_type(flags, Connect::PcieDevice);
    if (p.bus == BusPreference::Pci) flags = with_type(flags, Connect::PciDevice);
    // Below a pcie-expander-bus there are root ports: a conventional PCI
    // device goes on one too (QEMU and libvirt take it there), unless it
    // asks for a conventional slot.
    if (p.numa && machine.has_pcie_root() && p.bus == BusPreference::Any) flags = with_type(flags, Connect::PcieDevice);
    if (p.hotplug == true) flags |= Connect::Hotpluggable;
    return {flags, p.numa};
}

}  // namespace guestaddr::topology
