#include "assign/dimm_assigner.hpp"

#include <set>

#include <fmt/format.h>

#include "guestaddr/error.hpp"

#include "xml/numbers.hpp"

namespace guestaddr::assigners {
namespace {

using model::Device;
using model::DeviceClass;

bool is_dimm(const Device& d) { return d.cls == DeviceClass::Memory && (d.model == "dimm" || d.model == "nvdimm"); }

}  // namespace

std::optional<unsigned> dimm_slot(const Device& d) {
    const auto* a = std::get_if<OtherAddress>(&d.address);
    if (a == nullptr || a->type != "dimm") return std::nullopt;
    const std::optional<std::string_view> slot = a->attribute("slot");
    return slot ? xml::parse_unsigned(*slot, xml::Radix::Decimal) : std::nullopt;
}

void assign_dimm_slots(model::Domain& domain) {
    std::set<unsigned> used;
    for (std::size_t i = 0; i < domain.devices.size(); ++i) {
        const Device& d = domain.devices[i];
        auto slot = dimm_slot(d);
        if (is_dimm(d) && slot && !used.insert(*slot).second)
            throw Failure(Error{ErrorKind::AddressConflict, domain.describe(i),
                                fmt::format("memory slot {} is already used by another memory device", *slot)});
    }
    unsigned next = 0;
    for (Device& d : domain.devices) {
        if (!is_dimm(d) || d.has_address()) continue;
        while (used.contains(next)) ++next;
        d.address = OtherAddress{"dimm", {{"slot", std::to_string(next)}}};
        used.insert(next);
    }
}

}  // namespace guestaddr::assigners
