// The rule stamp in <metadata>: <guestaddr:rules libvirt='9.0' qemu='7.2'/>
// inside guestaddr's own element (namespace model::kGuestaddrNamespace).
// libvirt keeps <metadata> as it is; every other child stays untouched.
#pragma once

#include <optional>

#include <pugixml.hpp>

#include "model/domain.hpp"

namespace guestaddr::xml {

inline constexpr const char* kGuestaddrNamespace = "https://guestaddr.dev/xmlns/domain/1";

// The stamp of <domain> `root`, if it has one. Throws Failure on a stamp
// without its libvirt version.
std::optional<model::RulesStamp> read_rules_stamp(const pugi::xml_node& root);

// Writes domain.stamp when domain.stamp_changed.
void write_rules_stamp(pugi::xml_node root, const model::Domain& domain);

}  // namespace guestaddr::xml
