#include "assign/dimm_assigner.hpp"

#include <cstdint>
#include <set>

#include <fmt/format.h>

#include "guestaddr/error.hpp"

#include "xml/numbers.hpp"

namespace guestaddr::assigners {
namespace {

using model::Device;
using model::DeviceClass;

bool is_dimm(const Device& d) { return d.cls == DeviceClass::Memory && (d.model == "dimm" || d.model == "nvdimm"); }

// libvirt 9.0 gives a DIMM that has a PCI address a DIMM slot, and keeps as
// its base address what the PCI slot and function leave in the same memory
// (slot + function << 32): a libvirt quirk, kept so that both store the
// same guest.
std::optional<std::uint64_t> base_left_by(const Address& address) {
    const auto* pci = std::get_if<PciAddress>(&address);
    if (pci == nullptr) return std::nullopt;
    const std::uint64_t base = pci->slot | (static_cast<std::uint64_t>(pci->function) << 32);
    return base == 0 ? std::nullopt : std::optional(base);
}

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
    for (std::size_t i = 0; i < domain.devices.size(); ++i) {
        Device& d = domain.devices[i];
        if (!is_dimm(d) || dimm_slot(d)) continue;
        while (used.contains(next)) ++next;
        OtherAddress dimm{"dimm", {{"slot", std::to_string(next)}}};
        if (std::optional<std::uint64_t> base = base_left_by(d.address))
            dimm.attributes.emplace_back("base", fmt::format("{:#x}", *base));
        d.address = std::move(dimm);
        used.insert(next);
        model::note_placement(domain, i, "dimm-lowest-free",
                              [&] { return fmt::format("the lowest free memory slot: {}", next); });
    }
}

}  // namespace guestaddr::assigners
