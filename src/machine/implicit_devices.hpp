// The devices libvirt adds to every definition of a machine: root bus, USB,
// SATA, memballoon, PS/2 inputs, video for graphics, and the controllers
// that disks, channels and smartcards refer to.
#pragma once

#include <optional>
#include <string>

#include "machine/machine.hpp"
#include "model/domain.hpp"

namespace guestaddr::machine {

void add_implicit_devices(model::Domain& domain, const MachineProfile& machine);

// The highest controller index the devices' addresses name, and the device
// that names it.
struct HighestController {
    unsigned index = 0;
    std::size_t device = 0;
    // Keeps the higher of the two.
    static std::optional<HighestController> max(std::optional<HighestController> a, HighestController b) {
        return a && a->index >= b.index ? a : b;
    }
};

// Adds the controllers of `type` with indexes 0..highest that are missing.
// Throws Failure naming the device when no guest could have that many.
void add_controllers_up_to(model::Domain& domain, const std::string& type, std::optional<HighestController> highest,
                           const std::string& model);

}  // namespace guestaddr::machine
