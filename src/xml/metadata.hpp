// guestaddr's own element of <metadata> (namespace model::kGuestaddrNamespace):
// the rule stamp (<guestaddr:rules libvirt='9.0' qemu='7.2'/>), preferences
// and policies; and the <guestaddr:prefer> a device element may carry.
// libvirt keeps <metadata> as it is but drops unknown elements of devices,
// so a preference written on a device is moved into <metadata>; every other
// child of <metadata> stays untouched.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <pugixml.hpp>

#include "model/domain.hpp"
#include "model/intent.hpp"

namespace guestaddr::xml {

// Reads <metadata><guestaddr:guestaddr> into domain.intent and domain.stamp.
// Throws Failure naming the entry on a value it does not know, and on a
// stamp without its libvirt version.
void read_metadata(const pugi::xml_node& root, model::Domain& domain);

// Removes the <guestaddr:prefer> child of a device element and returns what
// it says (nullopt when there is none). Throws Failure naming `who`.
std::optional<model::Preference> take_inline_preference(pugi::xml_node device, const std::string& who);

// Parses "hotplug=no,bus=pcie,numa=1" (the CLI's --prefer).
model::Preference parse_preference_text(std::string_view text, const std::string& who);

// Writes the stamp and the intent into <metadata>, each only when it
// changed; other children of guestaddr's element, and every other
// <metadata> child, stay as they are.
void write_metadata(pugi::xml_node root, const model::Domain& domain);

}  // namespace guestaddr::xml
