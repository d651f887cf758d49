// Whether a new definition may replace a running guest's: the guest ABI
// check libvirt makes before a migration or a restore, every difference.
#pragma once

#include <string>
#include <vector>

#include "guestaddr/guestaddr.hpp"

namespace guestaddr {

// One way the guest NEW describes differs from OLD's.
struct AbiDifference {
    // The device as errors name it ("interface 52:54:00:00:00:02", "disk
    // 'sda'", "video #0"); empty for the domain itself.
    std::string device;
    // What differs: "machine", "arch", "vcpus", "memory", ... for the
    // domain; "address", "model", "bus", "heads", ... for a device; "added"
    // and "removed" for a device only one side has; "order" for a device
    // both have at different places in libvirt's list of its kind.
    std::string what;
    std::string old_value;  // "" when OLD has none
    std::string new_value;  // "" when NEW has none

    // "interface 52:54:00:00:00:02: model e1000e in OLD, virtio in NEW"
    GUESTADDR_API std::string to_string() const;
};

// Assigns both definitions (libvirt fills in its defaults and addresses
// before it compares; an error names OLD or NEW), then compares: machine
// type and architecture, vCPUs, memory, features, and for every kind of
// device the same devices in the same order with the same address and the
// same guest-visible properties. Empty when NEW keeps OLD's guest ABI.
// libvirt stops at the first difference; this lists them all.
GUESTADDR_API Result<std::vector<AbiDifference>> check_abi(Definition old_definition, Definition new_definition);

}  // namespace guestaddr
