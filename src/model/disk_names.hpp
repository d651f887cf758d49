// Disk target names (vda, sdb, hdc, fdaa, ...) and the index they encode.
#pragma once

#include <optional>
#include <string_view>

namespace guestaddr::model {

// The prefix of a disk name ("vd", "sd", "hd", "fd", "xvd", "ubd"), or ""
// for a name without a known prefix.
std::string_view disk_name_prefix(std::string_view name);

// The index the letters after the prefix encode, as a bijective base-26
// number (a=0, z=25, aa=26, ...); trailing digits (partitions) are ignored.
// nullopt for a name libvirt cannot read.
std::optional<unsigned> disk_name_index(std::string_view name);

}  // namespace guestaddr::model
