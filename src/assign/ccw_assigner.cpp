#include "assign/ccw_assigner.hpp"

#include <array>
#include <compare>
#include <set>

#include <fmt/format.h>

#include "guestaddr/error.hpp"
#include "model/device_order.hpp"
#include "xml/numbers.hpp"

namespace guestaddr::assigners {
namespace {

using model::Device;
using model::DeviceClass;
using model::Domain;

constexpr unsigned kVirtualCssid = 0xfe;
constexpr unsigned kHighestSsid = 3;
constexpr unsigned kHighestDevno = 0xffff;

struct CcwId {
    unsigned cssid = 0;
    unsigned ssid = 0;
    unsigned devno = 0;
    auto operator<=>(const CcwId&) const = default;
};

const OtherAddress* ccw_address(const Device& d) {
    const auto* a = std::get_if<OtherAddress>(&d.address);
    return a != nullptr && a->type == "ccw" ? a : nullptr;
}

[[noreturn]] void refuse(const Domain& domain, std::size_t i, ErrorKind kind, std::string message) {
    throw Failure(Error{kind, domain.describe(i), std::move(message)});
}

// A bare <address type='ccw'/> asks for an address, as no address does.
bool is_bare(const OtherAddress& a) { return !a.attribute("cssid") && !a.attribute("ssid") && !a.attribute("devno"); }

// The written address, or nullopt for a bare one. cssid, ssid and devno go
// together.
std::optional<CcwId> written_id(const Domain& domain, std::size_t i, const OtherAddress& a) {
    constexpr std::array<std::string_view, 3> kParts{"cssid", "ssid", "devno"};
    std::array<std::optional<std::string_view>, 3> text;
    std::size_t given = 0;
    for (std::size_t n = 0; n < kParts.size(); ++n) given += (text[n] = a.attribute(kParts[n])).has_value();
    if (given == 0) return std::nullopt;
    if (given < kParts.size())
        refuse(domain, i, ErrorKind::InvalidAddress, "a CCW address needs all of cssid, ssid and devno, or none");
    std::array<std::optional<unsigned>, 3> value;
    for (std::size_t n = 0; n < kParts.size(); ++n) value[n] = xml::parse_unsigned(*text[n], xml::Radix::Auto);
    const bool in_range = value[0] && value[1] && value[2] && *value[0] <= kVirtualCssid && *value[1] <= kHighestSsid &&
                          *value[2] <= kHighestDevno;
    if (!in_range)
        refuse(domain, i, ErrorKind::InvalidAddress,
               fmt::format("invalid CCW address cssid='{}' ssid='{}' devno='{}': cssid goes up to 0xfe, ssid to 3 "
                           "and devno to 0xffff",
                           *text[0], *text[1], *text[2]));
    return CcwId{*value[0], *value[1], *value[2]};
}

// The devices QEMU puts on the channel subsystem when they have no address
// of another type: the virtio ones, and the host's channel devices.
bool sits_on_ccw(const Device& d) {
    switch (d.cls) {
    case DeviceClass::Disk: return d.bus == "virtio";
    case DeviceClass::Interface: return d.type != "hostdev" && d.model.starts_with("virtio");
    case DeviceClass::Controller:
        return d.type == "virtio-serial" || (d.type == "scsi" && d.model.starts_with("virtio"));
    case DeviceClass::Hostdev: return (d.type == "mdev" && d.model == "vfio-ccw") || d.type == "scsi_host";
    case DeviceClass::Input: return d.bus == "virtio";
    case DeviceClass::Video: return d.model == "virtio";
    case DeviceClass::Memballoon:
    case DeviceClass::Rng: return d.model.starts_with("virtio");
    case DeviceClass::Filesystem:
    case DeviceClass::Vsock: return true;
    case DeviceClass::Crypto: return d.model == "virtio";  // kept only where the rules keep crypto
    default: return false;
    }
}

bool wants_ccw_address(const Device& d) {
    if (d.discarded || !sits_on_ccw(d)) return false;
    if (!d.has_address()) return true;
    const OtherAddress* a = ccw_address(d);
    return a != nullptr && is_bare(*a);
}

OtherAddress make_address(const CcwId& id) {
    return OtherAddress{"ccw",
                        {{"cssid", fmt::format("{:#x}", id.cssid)},
                         {"ssid", fmt::format("{:#x}", id.ssid)},
                         {"devno", fmt::format("{:#06x}", id.devno)}}};
}

std::set<CcwId> reserve_written_addresses(Domain& domain, const std::vector<std::size_t>& order) {
    std::set<CcwId> used;
    for (std::size_t i : order) {
        const OtherAddress* a = ccw_address(domain.devices[i]);
        if (a == nullptr) continue;
        const std::optional<CcwId> id = written_id(domain, i, *a);
        if (!id) continue;
        if (!used.insert(*id).second)
            refuse(domain, i, ErrorKind::AddressConflict,
                   fmt::format("CCW device number {:x}.{:x}.{:04x} is already in use", id->cssid, id->ssid, id->devno));
        // Written back in libvirt's notation.
        domain.devices[i].address = make_address(*id);
    }
    return used;
}

}  // namespace

void assign_ccw_addresses(Domain& domain, const machine::MachineProfile& machine) {
    if (!machine.is_s390()) return;
    const std::vector<std::size_t> order = model::device_iteration_order(domain);
    const std::set<CcwId> used = reserve_written_addresses(domain, order);
    // The next free device number only grows: the walk stays linear.
    CcwId next{kVirtualCssid, 0, 0};
    for (std::size_t i : order) {
        if (!wants_ccw_address(domain.devices[i])) continue;
        while (next.devno <= kHighestDevno && used.contains(next)) ++next.devno;
        if (next.devno > kHighestDevno)
            refuse(domain, i, ErrorKind::Exhausted, "no free CCW device number is left in subchannel set 0 of 0xfe");
        domain.devices[i].address = make_address(next);
        model::note_placement(domain, i, "ccw-lowest-free", [&] {
            return fmt::format("the lowest free device number of subchannel set 0 of channel subsystem 0xfe, in "
                               "libvirt's device order: {:04x}", next.devno);
        });
        ++next.devno;
    }
}

}  // namespace guestaddr::assigners
