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

}  // namespace

void check_memory_hotplug(const Domain& domain, const MemoryHotplugRules& rules, std::vector<Error>& errors) {
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
