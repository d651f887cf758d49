#include "validate/memory_rules.hpp"

#include <fmt/format.h>

#include "assign/dimm_assigner.hpp"

namespace guestaddr::validation {
namespace {

using model::Device;
using model::DeviceClass;
using model::Domain;

bool takes_slot(const Device& d) { return d.model == "dimm" || d.model == "nvdimm"; }

// <maxMemory>: a size and slots, or (where the rules allow) a size alone.
void check_max_memory(const Domain& domain, const MemoryHotplugRules& rules, std::vector<Error>& errors) {
    if (!domain.max_memory && domain.memory_slots > 0)
        errors.push_back(Error{ErrorKind::Unsupported, "",
                               rules.slots_required
                                   ? "both maximum memory size and memory slot count must be specified (<maxMemory slots>)"
                                   : "maximum memory size must be specified when specifying number of memory slots"});
    else if (domain.max_memory && domain.memory_slots == 0 && rules.slots_required)
        errors.push_back(Error{ErrorKind::Unsupported, "",
                               "both maximum memory size and memory slot count must be specified (<maxMemory slots>)"});
    if (domain.max_memory && domain.numa_cells == 0 && rules.numa_required)
        errors.push_back(Error{ErrorKind::Unsupported, "",
                               "At least one numa node has to be configured when enabling memory hotplug "
                               "(<maxMemory> needs <cpu><numa>)"});
}

// The guest's memory as libvirt totals it: the NUMA cells plus the memory
// devices where there are cells, else <memory>, which then includes the
// devices (and must hold them). A size guestaddr could not read (0) is
// not judged.
void check_memory_total(const Domain& domain, std::vector<Error>& errors) {
    std::uint64_t devices_kib = 0;
    for (std::size_t i : domain.of_class(DeviceClass::Memory))
        devices_kib += domain.devices[i].extras().size_kib.value_or(0);
    if (domain.numa_cells == 0 && domain.memory_kib > 0 && devices_kib > domain.memory_kib) {
        errors.push_back(Error{ErrorKind::Unsupported, "", "Total size of memory devices exceeds the total memory size"});
        return;
    }
    const std::uint64_t total_kib = domain.numa_cells > 0 ? domain.numa_memory_kib + devices_kib : domain.memory_kib;
    if (domain.max_memory_kib > 0 && domain.max_memory_kib < total_kib)
        errors.push_back(Error{ErrorKind::Unsupported, "",
                               fmt::format("maximum memory size must be equal or greater than the actual memory size "
                                           "(<maxMemory> {} KiB, memory {} KiB)",
                                           domain.max_memory_kib, total_kib)});
}

}  // namespace

void check_memory_hotplug(const Domain& domain, const MemoryHotplugRules& rules, std::vector<Error>& errors) {
    check_memory_total(domain, errors);
    check_max_memory(domain, rules, errors);
    const std::vector<std::size_t> memories = domain.of_class(DeviceClass::Memory);
    if (memories.empty()) return;
    if (!domain.max_memory) {
        errors.push_back(Error{ErrorKind::Unsupported, domain.describe(memories.front()),
                               "cannot use/hotplug a memory device when domain 'maxMemory' is not defined"});
        return;
    }
    std::size_t counted = 0;
    for (std::size_t i : memories) {
        const Device& d = domain.devices[i];
        if (rules.virtio_memory_counts || takes_slot(d)) ++counted;
        const std::optional<unsigned> slot = assigners::dimm_slot(d);
        if (slot && *slot >= domain.memory_slots)
            errors.push_back(Error{ErrorKind::InvalidAddress, domain.describe(i),
                                   fmt::format("memory device slot '{}' exceeds slots count '{}'", *slot,
                                               domain.memory_slots)});
    }
    if (counted > domain.memory_slots)
        errors.push_back(Error{ErrorKind::Exhausted, "",
                               fmt::format("memory device count '{}' exceeds slots count '{}' (<maxMemory slots>)",
                                           counted, domain.memory_slots)});
}

}  // namespace guestaddr::validation
