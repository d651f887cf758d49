// Checks on the raw text of an input before pugixml reads it. pugixml is fast
// but lenient (it takes an attribute given twice, a bare '&', text after the
// root element, '&#0;' ...); libvirt's parser, libxml2, refuses every document
// that is not well-formed XML 1.0, and so does guestaddr, here, in one pass
// over the text. What pugixml then builds is a well-formed document's tree,
// so whatever guestaddr writes from it is well-formed too.
#pragma once

#include <string>
#include <string_view>

#include <pugixml.hpp>

namespace guestaddr::xml {

// libxml2 refuses an element nested deeper than 256 levels below the root.
inline constexpr std::size_t kMaxDepth = 256;

// Throws Failure (MalformedXml), naming the line and column, for text that is
// not a well-formed XML 1.0 document in UTF-8, that declares a DOCTYPE, that
// refers to an entity other than lt, gt, amp, apos, quot or a character
// reference, or that nests elements deeper than kMaxDepth. Nothing is
// expanded, no file is ever opened.
void check_text(std::string_view text);

// Parses `text` in place into `tree`, refusing it as check_text does (with
// cheaper checks on the tree of the common, plain text: see the .cpp).
void load_well_formed(pugi::xml_document& tree, std::string& text);

}  // namespace guestaddr::xml
