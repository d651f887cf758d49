#include "validate/guest_changes.hpp"

#include <map>

#include <fmt/format.h>

namespace guestaddr::validation {
namespace {

using model::Device;
using model::Domain;

struct AddressText {
    std::string operator()(std::monostate) const { return "none"; }
    std::string operator()(const PciAddress& a) const { return "pci " + a.to_string(); }
    std::string operator()(const DriveAddress& a) const {
        return fmt::format("drive {}:{}:{}:{}", a.controller, a.bus, a.target, a.unit);
    }
    std::string operator()(const UsbAddress& a) const { return fmt::format("usb {}:{}", a.bus, a.port_string()); }
    std::string operator()(const VirtioSerialAddress& a) const {
        return fmt::format("virtio-serial {}:{}:{}", a.controller, a.bus, a.port);
    }
    std::string operator()(const CcidAddress& a) const { return fmt::format("ccid {}:{}", a.controller, a.slot); }
    std::string operator()(const OtherAddress& a) const {
        std::string out = a.type;
        for (const auto& [key, value] : a.attributes) out += fmt::format(" {}={}", key, value);
        return out;
    }
};

std::string address_text(const Device& d) { return std::visit(AddressText{}, d.address); }

// The devices the guest has, by the name messages give them.
std::map<std::string, const Device*> devices_by_name(const Domain& domain) {
    std::map<std::string, const Device*> out;
    for (std::size_t i = 0; i < domain.devices.size(); ++i)
        if (!domain.devices[i].discarded) out.emplace(domain.describe(i), &domain.devices[i]);
    return out;
}

void compare_device(const std::string& name, const Device& before, const Device& after, std::vector<std::string>& out) {
    if (before.model != after.model)
        out.push_back(fmt::format("{}: model '{}' becomes '{}'", name, before.model.view(), after.model.view()));
    if (address_text(before) != address_text(after))
        out.push_back(fmt::format("{}: address {} becomes {}", name, address_text(before), address_text(after)));
    if (before.target_port != after.target_port && before.cls == model::DeviceClass::Console)
        out.push_back(fmt::format("{}: target port {} becomes {}", name, before.target_port.value_or(0),
                                  after.target_port.value_or(0)));
}

// A device the machine has whether or not the definition lists it: q35's
// iTCO watchdog is a function of QEMU's ICH9 LPC bridge, in every q35
// machine, so writing it out (libvirt 11.3 does) shows the guest nothing new.
bool part_of_the_chipset(const Device& d) { return d.cls == model::DeviceClass::Watchdog && d.model == "itco"; }

}  // namespace

std::vector<std::string> guest_visible_changes(const Domain& before, const Domain& after) {
    std::vector<std::string> out;
    if (before.machine != after.machine)
        out.push_back(fmt::format("machine type '{}' becomes '{}'", before.machine, after.machine));
    const auto old_devices = devices_by_name(before);
    const auto new_devices = devices_by_name(after);
    for (const auto& [name, d] : old_devices) {
        auto it = new_devices.find(name);
        if (it == new_devices.end() && part_of_the_chipset(*d)) continue;
        if (it == new_devices.end()) out.push_back(fmt::format("{} ({}) is removed", name, address_text(*d)));
        else compare_device(name, *d, *it->second, out);
    }
    for (const auto& [name, d] : new_devices)
        if (!old_devices.contains(name) && !part_of_the_chipset(*d)) out.push_back(fmt::format("{} ({}) is added", name, address_text(*d)));
    return out;
}

}  // namespace guestaddr::validation
