// The USB port tree: a root hub per controller index, and hubs plugged into
// ports. Speaks reserve / allocate like the PCI address set.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "guestaddr/address.hpp"
#include "model/device_label.hpp"

namespace guestaddr::assigners {

class UsbHub {
public:
    explicit UsbHub(unsigned ports) : taken_(ports, false), children_(ports) {}

    unsigned port_count() const { return static_cast<unsigned>(taken_.size()); }
    // The first free port: this hub's own ports first, then depth-first
    // through the hubs plugged into it, in port order.
    std::optional<std::vector<unsigned>> first_free() const;

private:
    friend class UsbTopology;
    std::vector<bool> taken_;
    std::vector<std::unique_ptr<UsbHub>> children_;
    unsigned free_below_ = 0;  // free ports in this hub and every hub below it
};

class UsbTopology {
public:
    void add_controller(unsigned bus, unsigned ports);
    bool has_bus(unsigned bus) const { return roots_.contains(bus); }

    // Reserves an exact port; a hub plugged there offers `hub_ports` more.
    // Throws Failure naming `who`.
    void reserve(const UsbAddress& address, unsigned hub_ports, const model::DeviceLabel& who);
    // The first free port on `bus` (or on any bus, lowest first), reserved.
    UsbAddress allocate(std::optional<unsigned> bus, unsigned hub_ports, const model::DeviceLabel& who);

private:
    void take(const UsbAddress& address, unsigned hub_ports);
    std::map<unsigned, std::unique_ptr<UsbHub>> roots_;
};

}  // namespace guestaddr::assigners
