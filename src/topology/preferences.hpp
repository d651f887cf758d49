// Placement preferences as a narrowing of libvirt's first-free-slot search:
// a preference changes the flags a device connects with, and may bind it to
// the buses below the expander bus of one guest NUMA node.
#pragma once

#include <optional>
#include <string>

#include "machine/machine.hpp"
#include "model/domain.hpp"
#include "model/intent.hpp"
#include "topology/connect_flags.hpp"
#include "topology/controller_rules.hpp"

namespace guestaddr::topology {

struct PciRequest {
    ConnectFlags flags;
    std::optional<unsigned> numa;  // only buses below an expander bus of this node
};

// The request of a device connecting as `flags` with preference `prefer`.
// Throws Failure naming `who` for preferences that conflict or that the
// machine cannot meet (a bus type it lacks, a NUMA node the guest lacks).
PciRequest preferred_request(ConnectFlags flags, const model::Preference& prefer, const model::Domain& domain,
                             const machine::MachineProfile& machine, const std::string& who);

// The expander bus of the machine's root (pxb on pci-root, pxb-pcie on
// pcie-root), or null where the machine has none.
const ControllerRule* expander_rule(const machine::MachineProfile& machine);

}  // namespace guestaddr::topology
