#include "rules/libvirt_rules.hpp"

#include <array>
#include <utility>

namespace guestaddr::rules {
namespace {

// "9.0.0" names the 9.0 rules: a micro release changes no address.
std::string_view major_minor(std::string_view version) {
    const std::size_t first = version.find('.');
    if (first == std::string_view::npos) return version;
    const std::size_t second = version.find('.', first + 1);
    return second == std::string_view::npos ? version : version.substr(0, second);
}

}  // namespace

std::span<const LibvirtRules* const> known_libvirts() {
    static const std::array<const LibvirtRules*, 2> all{&libvirt_9_0(), &libvirt_11_3()};
    return all;
}

const LibvirtRules* find_libvirt(std::string_view version) {
    for (const LibvirtRules* rules : known_libvirts())
        if (rules->version == major_minor(version)) return rules;
    return nullptr;
}

const LibvirtRules& newest_libvirt() { return *known_libvirts().back(); }

namespace {

// "10.0" as {10, 0}.
std::pair<int, int> qemu_pair(std::string_view version) {
    int major = 0, minor = 0;
    std::size_t at = 0;
    while (at < version.size() && version[at] >= '0' && version[at] <= '9') major = major * 10 + (version[at++] - '0');
    if (at < version.size() && version[at] == '.') ++at;
    while (at < version.size() && version[at] >= '0' && version[at] <= '9') minor = minor * 10 + (version[at++] - '0');
    return {major, minor};
}

}  // namespace

const LibvirtRules& libvirt_paired_with(int major, int minor) {
    const LibvirtRules* chosen = known_libvirts().front();
    for (const LibvirtRules* rules : known_libvirts())
        if (qemu_pair(rules->paired_qemu) <= std::pair{major, minor}) chosen = rules;
    return *chosen;
}

}  // namespace guestaddr::rules
