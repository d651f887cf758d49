#include "assign/spapr_vio_assigner.hpp"

#include <set>

#include <fmt/format.h>

#include "guestaddr/error.hpp"
#include "xml/numbers.hpp"

namespace guestaddr::assigners {
namespace {

using model::Device;
using model::DeviceClass;

constexpr unsigned kRegStep = 0x1000;

// Where each kind of VIO device starts looking for a free register.
std::optional<unsigned> start_register(const Device& d) {
    if (d.cls == DeviceClass::Interface && d.model == "spapr-vlan") return 0x1000;
    if (d.cls == DeviceClass::Controller && d.type == "scsi" && d.model == "ibmvscsi") return 0x2000;
    if (d.cls == DeviceClass::Serial && d.target_type == "spapr-vio-serial") return 0x30000000;
    return std::nullopt;
}

std::optional<unsigned> explicit_register(const Device& d) {
    const auto* a = std::get_if<OtherAddress>(&d.address);
    if (a == nullptr || a->type != "spapr-vio") return std::nullopt;
    const std::optional<std::string_view> reg = a->attribute("reg");
    return reg ? xml::parse_unsigned(*reg, xml::Radix::Hex) : std::nullopt;
}

}  // namespace

void assign_spapr_vio_addresses(model::Domain& domain) {
    std::set<unsigned> used;
    for (std::size_t i = 0; i < domain.devices.size(); ++i) {
        auto reg = explicit_register(domain.devices[i]);
        if (reg && !used.insert(*reg).second)
            throw Failure(Error{ErrorKind::AddressConflict, domain.describe(i),
                                fmt::format("spapr-vio address {:#x} is already in use", *reg)});
    }
    for (Device& d : domain.devices) {
        std::optional<unsigned> reg = start_register(d);
        if (!reg || d.has_address()) continue;
        while (used.contains(*reg)) *reg += kRegStep;
        used.insert(*reg);
        d.address = OtherAddress{"spapr-vio", {{"reg", fmt::format("{:#010x}", *reg)}}};
    }
}

}  // namespace guestaddr::assigners
