// The controllers of a domain by type and index, so that finding the one a
// device sits on costs the same with 2,000 controllers as with 2 (a guest
// with thousands of disks has hundreds of SCSI controllers, and each disk,
// channel and bus looks its controller up).
#pragma once

#include <cstddef>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "model/device.hpp"

namespace guestaddr::model {

class ControllerTable {
public:
    // The controllers `order` lists (indexes into `devices`); of those that
    // share a type and an index (a USB master and its companions) the first.
    void rebuild(const std::deque<Device>& devices, const std::vector<std::size_t>& order);
    // Enters devices[i], the controller `c`, unless one of its type and index is there.
    void add(const Device& c, std::size_t i);
    std::optional<std::size_t> find(std::string_view type, unsigned index) const;

private:
    // Few types (pci, usb, scsi, ...): a list, then a hash of the indexes.
    using Indexes = std::unordered_map<unsigned, std::size_t>;
    std::vector<std::pair<std::string, Indexes>> by_type_;
};

}  // namespace guestaddr::model
