// libvirt 9.0's rules for s390-ccw-virtio guests, where the x86 ones of
// definition_rules.cpp (models, consoles, watchdogs) do not apply.
#pragma once

#include <string_view>
#include <vector>

#include "guestaddr/error.hpp"
#include "model/domain.hpp"

namespace guestaddr::validation {

// The console target types QEMU has on s390x.
bool is_s390x_console_target(std::string_view target_type);

// Adds an error for every device QEMU 7.2 cannot give an s390x guest.
void check_s390x_devices(const model::Domain& domain, std::vector<Error>& errors);

}  // namespace guestaddr::validation
