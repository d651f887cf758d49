// pSeries PCI host bridges (spec §2.3, §3.4): every pci-root controller is
// a spapr-pci-host-bridge with a PHB number of its own.
#pragma once

#include "model/domain.hpp"

namespace guestaddr::assigners {

// Fills <model name='spapr-pci-host-bridge'/> and <target index>: PHB 0 for
// controller 0, the lowest number no other PHB has for the others. Throws
// Failure naming the controller when no number is left.
void fill_phb_targets(model::Domain& domain);

}  // namespace guestaddr::assigners
