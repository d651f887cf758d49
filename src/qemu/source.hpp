// What a command line is built from: the assigned device model, plus plain
// copies of the XML details addressing does not read (disk sources, NIC
// backends, chardev sources, memory sizes, ...).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "guestaddr/guestaddr.hpp"
#include "machine/machine.hpp"
#include "qemu/arch_profile.hpp"
#include "model/domain.hpp"
#include "model/element.hpp"

namespace guestaddr::qemu {

struct Source {
    const model::Domain& domain;
    machine::MachineProfile machine;
    const ArchProfile& arch;               // the guest architecture's row (arch_profile.hpp)
    model::Element header;                 // <domain> without <devices>
    std::vector<model::Element> elements;  // by device index; empty for implicit devices
    std::vector<std::string> ids;          // the QEMU id (libvirt alias) by device index, see device_ids.hpp
    std::vector<unsigned> boot_indexes;    // from <os><boot>, by device index (boot_order.hpp)
    std::vector<std::size_t> controllers;  // in the order of a started guest's list (Domain::controllers_by_index)

    const model::Device& device(std::size_t i) const { return domain.devices[i]; }
    const model::Element& element(std::size_t i) const { return elements[i]; }
    // The id of the controller of this type and index ("" when there is none).
    std::string controller_id(std::string_view type, unsigned index) const;
};

// Copies what the command line needs out of an assigned definition; the
// definition must outlive the Source.
Source make_source(const Definition& definition);

}  // namespace guestaddr::qemu
