// zPCI ids (spec §1.4): on s390x each PCI function has a uid and a fid, what
// the guest sees of it. Ids the definition gives are kept (and must be
// unique); the others are the lowest free ones: uid from 1, fid from 0.
#pragma once

#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

#include "machine/machine.hpp"
#include "model/domain.hpp"

namespace guestaddr::assigners {

// What zPCI assignment needs to know from before PCI assignment, which
// writes new PCI addresses without ids and adds the controllers it needs.
struct ZpciBefore {
    struct Written {
        std::size_t device = 0;
        std::optional<unsigned> uid;
        std::optional<unsigned> fid;
    };
    std::vector<Written> written;  // the ids in the definition
    std::size_t devices = 0;       // the devices there were
};

ZpciBefore zpci_before_pci_assignment(const model::Domain& domain);

// After PCI assignment: every PCI function of an s390x guest gets its ids,
// except the controllers PCI assignment added (libvirt gives them none).
void assign_zpci_ids(model::Domain& domain, const machine::MachineProfile& machine, const ZpciBefore& before);

}  // namespace guestaddr::assigners
