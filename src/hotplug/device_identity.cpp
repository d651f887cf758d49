#include "hotplug/device_identity.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>

#include "guestaddr/error.hpp"

namespace guestaddr::hotplug {
namespace {

using model::Device;
using model::DeviceClass;

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
    return s;
}

bool same_address(const Device& a, const Device& b) {
    return a.has_address() && a.address == b.address;
}

std::string_view trimmed(std::string_view s) {
    const auto first = s.find_first_not_of(" \t\r\n");
    if (first == std::string_view::npos) return {};
    return s.substr(first, s.find_last_not_of(" \t\r\n") - first + 1);
}

// Whether everything `wanted` says is also said by `candidate` (libvirt
// finds devices without an identity by their content).
bool contains(const model::Element& candidate, const model::Element& wanted) {
    if (candidate.name != wanted.name) return false;
    for (const auto& [key, value] : wanted.attributes)
        if (candidate.attribute(key) != value) return false;
    if (!trimmed(wanted.text).empty() && trimmed(candidate.text) != trimmed(wanted.text)) return false;
    for (const model::Element& child : wanted.children) {
        bool found = false;
        for (const model::Element& c : candidate.children) found = found || contains(c, child);
        if (!found) return false;
    }
    return true;
}

enum class Match { No, Yes, ByContent };

// Whether `d` is the device `wanted` names, by the strongest identity the
// element carries; ByContent when it carries none.
Match identity_match(const Device& d, const Device& wanted) {
    if (d.cls != wanted.cls) return Match::No;
    if (!wanted.extras().alias.empty()) return d.extras().alias == wanted.extras().alias ? Match::Yes : Match::No;
    switch (wanted.cls) {
    case DeviceClass::Interface:
        if (!wanted.mac.empty()) return lower(d.mac.str()) == lower(wanted.mac.str()) ? Match::Yes : Match::No;
        break;
    case DeviceClass::Disk:
        if (!wanted.target_dev.empty()) return d.target_dev == wanted.target_dev ? Match::Yes : Match::No;
        break;
    case DeviceClass::Controller:
        if (wanted.index) return d.type == wanted.type && d.index == wanted.index ? Match::Yes : Match::No;
        break;
    case DeviceClass::Channel:
        if (!wanted.target_name.empty()) return d.target_name == wanted.target_name ? Match::Yes : Match::No;
        break;
    case DeviceClass::Hostdev:
        if (!wanted.extras().source_key.empty() && wanted.extras().source_key != wanted.type)
            return d.extras().source_key == wanted.extras().source_key ? Match::Yes : Match::No;
        break;
    default:
        break;
    }
    if (wanted.has_address()) return same_address(d, wanted) ? Match::Yes : Match::No;
    return Match::ByContent;
}

}  // namespace

std::size_t find_device(const model::Domain& domain, const model::Device& wanted, const model::Element& wanted_element,
                        const std::function<model::Element(std::size_t)>& element_of) {
    std::optional<std::size_t> found;
    for (std::size_t i = 0; i < domain.devices.size(); ++i) {
        const Match match = identity_match(domain.devices[i], wanted);
        if (match == Match::No) continue;
        // Without an identity, the first device whose content matches is the one.
        if (match == Match::ByContent) {
            if (contains(element_of(i), wanted_element)) return i;
            continue;
        }
        // libvirt takes the first match, but refuses to guess between NICs
        // sharing a MAC.
        if (!found) found = i;
        else if (wanted.cls == DeviceClass::Interface)
            throw Failure(Error{ErrorKind::Placement, model::describe(wanted, 0),
                                "more than one interface has this MAC address; name it by alias or address"});
    }
    if (!found)
        throw Failure(Error{ErrorKind::Placement, model::describe(wanted, 0), "no such device in the definition"});
    return *found;
}

}  // namespace guestaddr::hotplug
