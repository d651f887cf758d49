// Which libvirt rules and which QEMU a run follows, chosen once before the
// pipeline: the definition's stamp, then what the caller asks, then what
// the host has, then the newest built-in pair.
#pragma once

#include <string>
#include <vector>

#include "guestaddr/guestaddr.hpp"
#include "model/domain.hpp"

namespace guestaddr::rules {

// Sets domain.libvirt, domain.qemu and the stamp to write; returns why, one
// line per choice. Throws Failure for a version guestaddr has no table of,
// and for a libvirt other than the stamp's without options.restamp.
std::vector<std::string> choose(model::Domain& domain, const AssignOptions& options);

// For a domain nothing was chosen for: choose(domain, AssignOptions{}), the
// stamp's rules, else the newest built-in pair (the library does not look at
// the host; the CLI chooses before with what it found there).
void follow_stamp(model::Domain& domain);

}  // namespace guestaddr::rules
