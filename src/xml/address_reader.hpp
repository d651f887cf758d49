// <address> element -> Address value.
#pragma once

#include <pugixml.hpp>

#include "guestaddr/address.hpp"
#include "xml/device_name.hpp"

namespace guestaddr::xml {

// Parses an <address> element; throws Failure naming `device` when an
// attribute is malformed or out of range.
Address read_address(const pugi::xml_node& element, const DeviceName& device);

}  // namespace guestaddr::xml
