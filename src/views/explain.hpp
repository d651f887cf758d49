// Why a device has its address: what `guestaddr explain` answers.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "guestaddr/guestaddr.hpp"

namespace guestaddr::views {

struct Explanation {
    std::size_t device = 0;  // its index among the addressed definition's devices
    std::string name;        // as errors name it
    std::string element;
    std::string summary;     // model or kind
    Address address;         // after assign
    std::string address_text;
    // Who gave the address: the definition (kept as written), the
    // definition in part (guestaddr filled in the rest), guestaddr, or
    // guestaddr for a device it added itself; "none" when the device sits
    // on no bus.
    std::string origin;  // "written", "completed", "chosen", "added", "none"
    std::string written_text;  // the address as the definition wrote it, "" for none

    struct Needs {
        std::string connection;  // "PCI Express device", "standard PCI device", "USB port", ...
        bool pci = false;
        bool hotplug = false;        // it must go where it can be hot-plugged (plugged into a running guest)
        std::optional<bool> place_takes_hotplug;  // PCI: whether the bus it is on takes hotplug
        bool multifunction = false;  // its slot has other functions in use, or it says so
        bool integrated = false;     // it must sit on bus 0
        bool shares_slots = false;   // it may share a slot with devices like it (root ports)
    } needs;

    std::string rule;       // a stable id (docs/json-schema.md), e.g. "pci-first-free"
    std::string rule_text;  // the rule in words

    struct Addition {
        std::string name;
        std::string rule;
        std::string text;
    };
    struct Applied {
        std::string rule;
        std::string text;
    };
    std::vector<Applied> policies;           // what the guest's policies gave it besides its address
    std::optional<Addition> added;           // why guestaddr added this device
    std::vector<Addition> added_for_it;      // the devices guestaddr added for this one, and why
};

// Assigns `definition` while noting why, and explains every device `query`
// names: an alias, a MAC, a disk target, an address ("0000:00:03.0",
// "pci:0000:00:03.0", "drive:0.0.0.1", "usb:0:1.2", "virtio-serial:0.0.1",
// "ccw:fe.0.0002", ...) or its name as errors and `tree` give it
// ("controller pci 1"). Errors: assign's, or no device matching.
Result<std::vector<Explanation>> explain(Definition definition, std::string_view query);

// Every name `explain` takes for each device of the filled-in definition
// (its alias, MAC, disk target and address, in the forms a query uses),
// with the device as errors name it: what completion offers for DEVICE.
struct DeviceName {
    std::string name;
    std::string device;
};
Result<std::vector<DeviceName>> device_names(Definition definition);

std::string explanation_text(const std::vector<Explanation>& explanations);
nlohmann::json explanation_json(const std::vector<Explanation>& explanations, std::string_view query);

}  // namespace guestaddr::views
