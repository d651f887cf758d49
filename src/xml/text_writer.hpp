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

#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <pugixml.hpp>

#include "guestaddr/address.hpp"

namespace guestaddr::xml {

// For each device element that has one, the <address> to write as its last
// child, in place of any <address> children it has in the tree.
class AddressOverlay {
public:
    // Keyed by pointer: comparing pugixml handles is a call.
    using Key = const pugi::xml_node_struct*;
    using Entry = std::pair<Key, const Address*>;
    // `devices`: the element whose children the entries are.
    AddressOverlay(pugi::xml_node devices, std::vector<Entry> entries);

    bool covers_children_of(pugi::xml_node element) const { return element == devices_; }
    const Address* find(pugi::xml_node device) const;

private:
    pugi::xml_node devices_;
    // Sorted by element, for halving searches without a hash map's allocations.
    std::vector<Entry> entries_;
};

// Where the text goes, a piece at a time.
using TextSink = std::function<void(std::string_view)>;

// `expected_size`: a generous guess at the length of the text, reserved up front.
std::string write_text(const pugi::xml_document& document, const AddressOverlay& addresses,
                       std::size_t expected_size = 0);
// The same text, given to `sink` in pieces of about 64 KiB: a large
// definition is never whole in memory.
void write_text(const pugi::xml_document& document, const AddressOverlay& addresses, const TextSink& sink);

}  // namespace guestaddr::xml
