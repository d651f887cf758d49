#include "assign/pseries_phbs.hpp"

#include <set>

#include <fmt/format.h>

#include "guestaddr/error.hpp"

namespace guestaddr::assigners {
namespace {

using model::Device;

// The highest PHB number libvirt accepts.
constexpr unsigned kHighestPhbNumber = 30;

bool is_phb(const Device& d) { return d.cls == model::DeviceClass::Controller && d.type == "pci" && d.model == "pci-root"; }

}  // namespace

// libvirt numbers the PHBs in index order and only looks at the numbers of
// the PHBs before the one it numbers: a later PHB's explicit number may be
// given out again (QEMU then refuses the guest).
void fill_phb_targets(model::Domain& domain) {
    std::set<unsigned> taken;
    unsigned next = 1;
    for (std::size_t i : domain.controller_order) {
        Device& c = domain.devices[i];
        if (!is_phb(c)) continue;
        if (c.extras().model_name.empty()) c.edit_extras().model_name = "spapr-pci-host-bridge";
        if (c.extras().ctarget.index) {
            taken.insert(*c.extras().ctarget.index);
            continue;
        }
        if (c.index.value_or(0) == 0) {
            c.edit_extras().ctarget.index = 0;
            continue;
        }
        while (taken.contains(next)) ++next;
        if (next > kHighestPhbNumber)
            throw Failure(Error{ErrorKind::Exhausted, domain.describe(i),
                                fmt::format("no usable target index is left for the PCI host bridge (at most {})",
                                            kHighestPhbNumber)});
        c.edit_extras().ctarget.index = next;
        taken.insert(next);
    }
}

}  // namespace guestaddr::assigners
