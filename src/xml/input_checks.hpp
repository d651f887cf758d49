// Checks on the raw text and tree of an input before it is trusted: libvirt
// reads only UTF-8, never expands entities beyond XML's five, and libxml2
// refuses documents nested deeper than 256 levels.
#pragma once

#include <string_view>

#include <pugixml.hpp>

namespace guestaddr::xml {

inline constexpr std::size_t kMaxDepth = 256;

// Throws Failure (MalformedXml) for text that is not UTF-8, that declares a
// DOCTYPE, or that refers to an entity other than lt, gt, amp, apos, quot
// or a character reference. Nothing is expanded, no file is ever opened.
void check_text(std::string_view text);

// Throws Failure when the tree is nested deeper than kMaxDepth.
void check_depth(const pugi::xml_node& root);

}  // namespace guestaddr::xml
