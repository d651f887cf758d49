// One row per PCI controller model: how it plugs in upstream, what its bus
// accepts, which slots it offers. Every PCI controller rule lives here.
#pragma once

#include <optional>
#include <string_view>

#include "topology/connect_flags.hpp"

namespace guestaddr::topology {

struct ControllerRule {
    std::string_view model;        // libvirt's model name
    std::string_view qemu_device;  // the <model name> filled in ("" for root buses)
    ConnectFlags plugs_as;         // what it needs from the bus it plugs into
    ConnectFlags accepts;          // what its own bus takes (Hotpluggable unless hotplug='off')
    unsigned min_slot;
    unsigned max_slot;
    std::string_view connect_name;  // how messages name its connection type
    bool auto_addable;              // growth may add it (spec §5.6)
};

// The rule of a model, or nullopt for a model libvirt does not know.
const ControllerRule* controller_rule(std::string_view model);

// pci-expander-bus or pcie-expander-bus: a root bus of its own (busNr, a
// guest NUMA node).
inline bool is_expander_bus(std::string_view model) {
    return model == "pci-expander-bus" || model == "pcie-expander-bus";
}

// The controller model a connection type needs ("pcie-root-port" for
// PcieRootPort), used to say which controller could not be added.
const ControllerRule* rule_plugging_as(ConnectFlags type);

// Words for what a device with these flags needs, for messages.
std::string_view connect_description(ConnectFlags flags);

}  // namespace guestaddr::topology
