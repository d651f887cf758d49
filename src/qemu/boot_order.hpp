// Boot order as QEMU takes it: a bootindex per device. libvirt turns the
// <os><boot dev='hd|cdrom|fd|network'/> list (default: one 'hd') into
// bootindexes on the first device of each kind; a device's own <boot order>
// replaces the list.
#pragma once

#include <vector>

namespace guestaddr::qemu {

struct Source;

// By device index; 0 = no bootindex.
std::vector<unsigned> boot_indexes(const Source& source);

}  // namespace guestaddr::qemu
