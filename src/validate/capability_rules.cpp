#include "validate/capability_rules.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "machine/capabilities.hpp"

namespace guestaddr::validation {
namespace {

using model::DeviceClass;

// guestaddr's table: the QEMU device types (qom-list-types) that make a
// libvirt device model available; any one of them will do. libvirt offers
// a model only when its QEMU has the type, and refuses others in these words.
struct ModelTypes {
    DeviceClass cls;
    std::string_view model;
    std::array<std::string_view, 3> qemu_types;
};
constexpr ModelTypes kModelTypes[] = {
    {DeviceClass::Video, "vga", {"VGA"}},
    {DeviceClass::Video, "cirrus", {"cirrus-vga"}},
    {DeviceClass::Video, "vmvga", {"vmware-svga"}},
    {DeviceClass::Video, "qxl", {"qxl"}},  // Debian: qemu-system-modules-spice
    {DeviceClass::Video, "virtio", {"virtio-gpu-pci", "virtio-gpu-ccw", "virtio-gpu-device"}},
    {DeviceClass::Video, "bochs", {"bochs-display"}},
    {DeviceClass::Video, "ramfb", {"ramfb"}},
    {DeviceClass::Rng, "virtio", {"virtio-rng-pci", "virtio-rng-ccw", "virtio-rng-device"}},
};

const ModelTypes* model_types(DeviceClass cls, std::string_view model) {
    auto it = std::ranges::find_if(kModelTypes, [&](const ModelTypes& m) { return m.cls == cls && m.model == model; });
    return it == std::end(kModelTypes) ? nullptr : &*it;
}

bool has_any(const machine::EmulatorCapabilities& caps, const ModelTypes& types) {
    return std::ranges::any_of(types.qemu_types,
                               [&](std::string_view t) { return !t.empty() && caps.has_device_type(t); });
}

}  // namespace

void check_emulator_capabilities(const model::Domain& domain, const machine::MachineProfile& machine,
                                 std::vector<Error>& errors) {
    if (!machine.qemu) return;
    const machine::EmulatorCapabilities& caps = *machine.qemu;
    // A device another rule already refuses (the boards' own lists of what
    // they lack) is not reported twice.
    auto refused = [&](const std::string& who) {
        return std::ranges::any_of(errors, [&](const Error& e) { return e.device == who; });
    };
    for (std::size_t i = 0; i < domain.devices.size(); ++i) {
        const model::Device& d = domain.devices[i];
        if (d.cls != DeviceClass::Graphics && d.cls != DeviceClass::Video && d.cls != DeviceClass::Rng) continue;
        if (refused(domain.describe(i))) continue;
        if (d.cls == DeviceClass::Graphics && d.type == "spice" && !caps.spice) {
            errors.push_back(Error{ErrorKind::Unsupported, domain.describe(i), "spice graphics are not supported with this QEMU"});
            continue;
        }
        const ModelTypes* types = model_types(d.cls, d.model);
        if (types && !has_any(caps, *types))
            errors.push_back(Error{ErrorKind::Unsupported, domain.describe(i),
                                   fmt::format("domain configuration does not support {} model '{}'",
                                               model::element_name(d.cls), d.model.view())});
    }
}

}  // namespace guestaddr::validation
