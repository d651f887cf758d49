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

// Adds the controllers of `type` with indexes 0..highest that are missing.
void add_controllers_up_to(model::Domain& domain, const std::string& type, std::optional<unsigned> highest,
                           const std::string& model);

}  // namespace guestaddr::machine
