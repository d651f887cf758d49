// Memory hotplug: <maxMemory slots='N'> and the memory devices (dimm,
// nvdimm, virtio-mem, virtio-pmem) that plug into it, as a libvirt version
// checks them. What differs between versions is a row of data.
#pragma once

#include <vector>

#include "guestaddr/error.hpp"
#include "model/domain.hpp"

namespace guestaddr::validation {

struct MemoryHotplugRules {
    // <maxMemory> needs slots='N' with N > 0.
    bool slots_required;
    // Memory hotplug (a <maxMemory>) needs a guest NUMA node.
    bool numa_required;
    // virtio-mem and virtio-pmem count against the slots as DIMMs do (they
    // take none: libvirt 11.3 counts only dimm and nvdimm).
    bool virtio_memory_counts;
};

// Measured with libvirt 9.0 (QEMU 7.2) and libvirt 11.3 (QEMU 10.0); the
// verdicts are kept in tests/unit/validate/memory_rules_test.cpp and
// tests/conformance/cases/memory-*. Only 9.0's rules are chosen today.
inline constexpr MemoryHotplugRules kLibvirt90Memory{.slots_required = true, .numa_required = true,
                                                     .virtio_memory_counts = true};
inline constexpr MemoryHotplugRules kLibvirt113Memory{.slots_required = false, .numa_required = false,
                                                      .virtio_memory_counts = false};

void check_memory_hotplug(const model::Domain& domain, const MemoryHotplugRules& rules, std::vector<Error>& errors);

}  // namespace guestaddr::validation
