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

struct WrittenZpci {
    std::size_t device = 0;
    std::optional<unsigned> uid;
    std::optional<unsigned> fid;
};

// The ids written in the definition, taken before PCI assignment (which
// writes new PCI addresses without them).
std::vector<WrittenZpci> written_zpci_ids(const model::Domain& domain);

// After PCI assignment: every PCI function of an s390x guest gets its ids.
void assign_zpci_ids(model::Domain& domain, const machine::MachineProfile& machine,
                     const std::vector<WrittenZpci>& written);

}  // namespace guestaddr::assigners
