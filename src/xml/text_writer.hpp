// The definition as text, laid out as libvirt writes it: two-space indent,
// single quotes, empty elements as <a/>.
//
// Written here rather than by pugixml's save so that the addresses guestaddr
// gives go straight from the model into the text: building 10,000 <address>
// elements in the tree only to print them cost as much as all the rest of an
// assign. The layout is otherwise pugixml's (format_indent |
// format_attribute_single_quote, " />" tightened to "/>"), which
// tests/unit/xml/text_writer_test.cpp checks byte for byte.
#pragma once

#include <string>
#include <unordered_map>

#include <pugixml.hpp>

#include "guestaddr/address.hpp"

namespace guestaddr::xml {

// For each device element that has one, the <address> to write as its last
// child, in place of any <address> children it has in the tree.
using AddressOverlay = std::unordered_map<const pugi::xml_node_struct*, const Address*>;

std::string write_text(const pugi::xml_document& document, const AddressOverlay& addresses);

}  // namespace guestaddr::xml
