#include "topology/controller_rules.hpp"

#include <array>

namespace guestaddr::topology {
namespace {

using C = Connect;

// spec §2.3.
constexpr std::array<ControllerRule, 10> kControllerRules{{
    {"pci-root", "", ConnectFlags(), C::Hotpluggable | C::AutoAssign | C::PciDevice | C::PciBridge | C::PciExpanderBus,
     1, 31, "pci-root", false},
    {"pcie-root", "", ConnectFlags(), C::PcieDevice | C::PcieRootPort | C::DmiToPciBridge | C::PcieExpanderBus,
     1, 31, "pcie-root", false},
    {"pci-bridge", "pci-bridge", C::PciBridge, C::Hotpluggable | C::AutoAssign | C::PciDevice | C::PciBridge,
     1, 31, "pci-bridge", true},
    {"dmi-to-pci-bridge", "i82801b11-bridge", C::DmiToPciBridge, C::PciDevice | C::PciBridge,
     0, 31, "dmi-to-pci-bridge", true},
    {"pcie-to-pci-bridge", "pcie-pci-bridge", C::PcieToPciBridge,
     C::Hotpluggable | C::AutoAssign | C::PciDevice | C::PciBridge, 1, 31, "pcie-to-pci-bridge", true},
    {"pcie-root-port", "pcie-root-port", C::PcieRootPort | C::AggregateSlot,
     C::Hotpluggable | C::AutoAssign | C::PcieDevice | C::SwitchUpstreamPort | C::PcieToPciBridge, 0, 0,
     "pcie-root-port", true},
    {"pcie-switch-upstream-port", "x3130-upstream", C::SwitchUpstreamPort, C::SwitchDownstreamPort,
     0, 31, "pcie-switch-upstream-port", false},
    {"pcie-switch-downstream-port", "xio3130-downstream", C::SwitchDownstreamPort,
     C::Hotpluggable | C::AutoAssign | C::PcieDevice | C::SwitchUpstreamPort | C::PcieToPciBridge, 0, 0,
     "pcie-switch-downstream-port", false},
    // libvirt counts a pxb's bus as hot-plugging, but QEMU refuses every
    // device_add onto it ("Bus 'pxb1' does not support hotplugging", QEMU
    // 7.2 and 10.0): a device that must hot-plug goes on a pci-bridge below.
    {"pci-expander-bus", "pxb", C::PciExpanderBus, C::AutoAssign | C::PciDevice | C::PciBridge,
     0, 31, "pci-expander-bus", false},
    {"pcie-expander-bus", "pxb-pcie", C::PcieExpanderBus, C::PcieRootPort | C::DmiToPciBridge,
     0, 31, "pcie-expander-bus", false},
}};

}  // namespace

const ControllerRule* controller_rule(std::string_view model) {
    for (const ControllerRule& rule : kControllerRules)
        if (rule.model == model) return &rule;
    return nullptr;
}

const ControllerRule* rule_plugging_as(ConnectFlags type) {
    for (const ControllerRule& rule : kControllerRules)
        if (rule.plugs_as.any() && rule.plugs_as.types() == type.types()) return &rule;
    return nullptr;
}

std::string_view connect_description(ConnectFlags flags) {
    if (flags.has(Connect::PciDevice)) return "standard PCI device";
    if (flags.has(Connect::PcieDevice)) return "PCI Express device";
    if (const ControllerRule* rule = rule_plugging_as(flags)) return rule->connect_name;
    return "PCI device";
}

}  // namespace guestaddr::topology
