// <address> element -> Address value.
#pragma once

#include <string>

#include <pugixml.hpp>

#include "guestaddr/address.hpp"

namespace guestaddr::xml {

// Parses an <address> element; throws Failure naming `device` when an
// attribute is malformed or out of range.
Address read_address(const pugi::xml_node& element, const std::string& device);

}  // namespace guestaddr::xml
