// The device topology of an addressed guest as a tree: every bus, the
// places on it, what sits in each place, and the free places left. What
// `guestaddr tree` prints, as text, Graphviz or JSON.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "machine/machine.hpp"
#include "model/domain.hpp"

namespace guestaddr::views {

struct TreeNode {
    enum class Kind {
        Guest,    // the root
        Group,    // devices of one address type with no controller of their own ("CCW", "no address")
        Device,   // a device of the definition
        Chipset,  // a function the chipset occupies, no device of the definition
        Free,     // free places
    };
    Kind kind = Kind::Device;
    std::string place;   // where it sits on its parent: "0000:00:02.0", "port 1.3", "unit 0"; "" for none
    std::string name;    // the device as errors name it ("disk 'vda'"), a group's or free places' title
    std::string detail;  // the model or kind ("pcie-root-port", "cdrom"); for free places their range
    std::optional<std::size_t> device;  // its index among the definition's devices
    bool chosen = false;   // guestaddr chose the address (the definition had none)
    bool added = false;    // guestaddr added the device (libvirt would)
    // Free places: how many, of which kind ("PCI Express slot", "USB port"),
    // and whether a device can be hot-plugged into them.
    unsigned free_count = 0;
    std::string free_kind;
    bool hotplug = false;
    std::vector<TreeNode> children;
};

// How many devices can still be hot-plugged into each kind of place.
struct HotplugCapacity {
    std::string kind;  // "PCI Express slot", "PCI slot", "USB port", "virtio-serial port", "SCSI unit"
    unsigned count = 0;
};

// What the guest's capacity policy keeps free (keep-free-hotplug in
// guestaddr's <metadata>), beside what is free.
struct KeptFree {
    std::string kind;    // "PCI Express slot", "PCI slot"
    unsigned count = 0;  // at least this many are kept free
    std::string policy;  // "keep-free-hotplug", "keep-free-hotplug-pci"
};

struct Tree {
    TreeNode root;
    std::vector<HotplugCapacity> hotplug;
    std::vector<KeptFree> kept_free;
};

// The tree of `domain`, which assign has addressed. written[i] says whether
// the input gave devices[i] its address (false for devices guestaddr added).
Tree build_tree(const model::Domain& domain, const std::vector<bool>& written, const machine::MachineProfile& machine);

// An indented tree for a terminal, like `lspci -tv`.
std::string tree_text(const Tree& tree);
// A Graphviz digraph of the same tree: each node named "node-N", devices
// carrying their names as labels.
std::string tree_dot(const Tree& tree);

// A few words on what a device is, beside its name: its model or kind.
std::string device_summary(const model::Device& device);

// Whether the input gave each device an address of its own (an empty PCI
// address asks for one), before assign.
std::vector<bool> written_addresses(const model::Domain& input);

}  // namespace guestaddr::views
