// Which device of a domain a device element names.
#pragma once

#include <functional>
#include <optional>

#include "model/element.hpp"

#include "model/domain.hpp"

namespace guestaddr::hotplug {

// The index of the device `wanted` identifies: an interface by MAC, a disk
// by target, a controller by type and index, a channel by name, a hostdev by
// its host source, otherwise by alias or by address. Throws Failure when
// nothing or more than one device matches.
// `element_of(i)` gives devices[i]'s element, for devices named by content.
std::size_t find_device(const model::Domain& domain, const model::Device& wanted, const model::Element& wanted_element,
                        const std::function<model::Element(std::size_t)>& element_of);

}  // namespace guestaddr::hotplug
