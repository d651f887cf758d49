// The PCI buses of a guest and which of their functions are taken: reserve
// an exact address, or allocate the first free compatible one.
#pragma once

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "guestaddr/address.hpp"
#include "model/device_label.hpp"
#include "topology/connect_flags.hpp"
#include "topology/controller_rules.hpp"

namespace guestaddr::topology {

// Where an address comes from: the user's XML (placement rules are relaxed:
// a PCI endpoint may sit in a PCIe slot and vice versa) or our own choice.
enum class AddressOrigin { User, Chosen };

// Why planning added a bus: the device that asked for it and how it connects.
struct PciGrowth {
    model::DeviceLabel who;
    ConnectFlags flags;
    bool named_by_address;  // its written address is on the bus; otherwise it found no free slot
    // Placement by intent: added below an expander bus of this guest NUMA
    // node (a preference), or as hotplug capacity (the guest's policy).
    std::optional<unsigned> numa = std::nullopt;
    bool capacity = false;
};

struct PciBus {
    const ControllerRule* rule = nullptr;  // null while no model is known
    ConnectFlags accepts;
    unsigned min_slot = 0;
    unsigned max_slot = 0;
    std::array<std::uint8_t, 32> functions{};  // bit f set = function f taken
    std::array<bool, 32> aggregate{};          // slot shared by aggregate-capable devices
    std::optional<unsigned> numa;              // the guest NUMA node of the expander bus above it
    std::optional<PciGrowth> grown_for;        // planning added it (for explain)

    bool empty() const;
};

class PciAddressSet {
public:
    // Planning may add buses when a device finds no room (libvirt's dry
    // run); committing never does.
    enum class Mode { Plan, Commit };

    explicit PciAddressSet(Mode mode);

    // Gives bus `index` the model's rules, adding buses up to it as needed.
    void set_bus(unsigned index, const ControllerRule& rule, bool hotplug);
    // Gives every bus without a model `rule`.
    void fill_missing(const ControllerRule& rule);
    // Planning adds a bus of `rule` for a conventional PCI device that finds
    // no room (a pSeries PHB), instead of a pci-bridge.
    void grow_pci_with(const ControllerRule& rule) { pci_growth_ = &rule; }
    Mode mode() const { return mode_; }
    std::size_t bus_count() const { return buses_.size(); }
    const PciBus& bus(unsigned index) const { return buses_.at(index); }

    // Reserves exactly `address` for a device connecting as `flags`; returns
    // the address reserved (planning may move it one bus up when it has to
    // add a bridge pair first, as libvirt does). Throws Failure naming `who`.
    PciAddress reserve(PciAddress address, ConnectFlags flags, AddressOrigin origin, const model::DeviceLabel& who);
    // The first free compatible function (first fit, bus 0 up), reserved.
    // `function` asks for that function number in an otherwise free slot;
    // `numa` keeps to the buses below an expander bus of that node.
    PciAddress allocate(ConnectFlags flags, std::optional<unsigned> function, const model::DeviceLabel& who,
                        std::optional<unsigned> numa = std::nullopt);
    // The guest NUMA node of a bus (below an expander bus with <node>).
    void set_numa(unsigned index, std::optional<unsigned> node) { buses_.at(index).numa = node; }
    // Planning for a node: the expander bus to add (pxb, pxb-pcie).
    void grow_expanders_with(const ControllerRule* rule) { expander_growth_ = rule; }
    // Planning: adds the bus a device connecting as `flags` would get when
    // it finds no room (a root port, a bridge), for hotplug capacity.
    void add_capacity(ConnectFlags flags, const model::DeviceLabel& who);
    // Free slots that take hot-plugged devices connecting as `type`
    // (PciDevice or PcieDevice): free ports, free bridge slots.
    std::size_t free_hotplug_places(Connect type) const;
    // The same on one bus.
    std::size_t free_hotplug_places(unsigned bus, Connect type) const;
    // Frees a function (unplug); the slot may be taken again.
    void release(const PciAddress& address);

    bool slot_in_use(unsigned bus, unsigned slot) const;
    // True when no bus has a completely free slot left.
    bool fully_reserved() const;
    // Checks that `address` exists on this topology and suits a device
    // with `flags`; throws Failure naming `who` otherwise.
    void validate(const PciAddress& address, ConnectFlags flags, AddressOrigin origin,
                  const model::DeviceLabel& who) const;

private:
    std::optional<PciAddress> find_free(ConnectFlags flags, std::optional<unsigned> function,
                                        std::optional<unsigned> numa);
    // Adds the buses a device of node `numa` needs: a root port (with the
    // pxb-pcie before it when no bus of the node has room for the port), or
    // a pxb; returns the address on the last one added.
    PciAddress grow_for_node(ConnectFlags flags, unsigned numa, const model::DeviceLabel& who);
    bool node_has_room(ConnectFlags flags, unsigned numa) const;
    std::optional<unsigned> free_function_on_bus(unsigned bus, unsigned& slot, ConnectFlags flags,
                                                 std::optional<unsigned> function) const;
    // Adds buses so that `address.bus` exists; returns the (maybe moved) address.
    PciAddress grow_to(PciAddress address, ConnectFlags flags, const model::DeviceLabel& who, bool named_by_address);
    bool any_bus_accepts(Connect type) const;

    Mode mode_;
    const ControllerRule* pci_growth_ = nullptr;
    const ControllerRule* expander_growth_ = nullptr;
    std::vector<PciBus> buses_;
    // First-fit resumes where the last search for the same request stopped:
    // reservations only ever fill slots, so nothing before the cursor can
    // have become free (release resets the cursors). This keeps assignment
    // near-linear in the number of devices.
    std::map<std::uint64_t, std::pair<unsigned, unsigned>> cursors_;
};

}  // namespace guestaddr::topology
