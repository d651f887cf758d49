#include "qemu/start_limits.hpp"

#include <array>

#include <fmt/format.h>

#include "machine/capabilities.hpp"
#include "machine/machine.hpp"
#include "qemu/drivers.hpp"
#include "qemu/source.hpp"

namespace guestaddr::qemu {
namespace {

using model::Device;

// Drive buses whose controller has a fixed number of ports, one unit on
// each (the -device bus is "<controller>.<unit>"): libvirt 9.0 takes any
// unit, QEMU creates buses for the ports only ("Bus 'ide.6' not found").
struct PortLimit {
    std::string_view disk_bus;
    std::string_view controller;  // as errors name it
    unsigned ports;
};
constexpr std::array kPortLimits{
    PortLimit{"sata", "AHCI controller (ich9-ahci and ahci have 6 ports)", 6},
};

}  // namespace

std::vector<Error> unstartable(const Definition& definition) {
    std::vector<Error> out;
    const model::Domain& domain = definition.domain();
    for (std::size_t i : domain.of_class(model::DeviceClass::Disk)) {
        const Device& d = domain.devices[i];
        const auto* a = std::get_if<DriveAddress>(&d.address);
        if (a == nullptr) continue;
        for (const PortLimit& limit : kPortLimits)
            if (d.bus == limit.disk_bus && a->unit >= limit.ports)
                out.push_back(Error{ErrorKind::InvalidAddress, domain.describe(i),
                                    fmt::format("unit {} is past the last port of its {}, units 0 to {}: libvirt 9.0 "
                                                "accepts the definition, but QEMU 7.2 cannot start it (there is no "
                                                "bus for the unit); give the disk a free unit below {}",
                                                a->unit, limit.controller, limit.ports - 1, limit.ports)});
    }
    return out;
}

std::vector<Error> refused_at_start(const Definition& definition) {
    std::vector<Error> out;
    const model::Domain& domain = definition.domain();
    const machine::MachineProfile machine = machine::resolve_machine(domain);
    if (machine.qemu == nullptr) return out;
    for (std::size_t i : domain.of_class(model::DeviceClass::Controller)) {
        const Device& c = domain.devices[i];
        if (c.type != "usb") continue;
        const std::string_view driver = usb_controller_driver(c.model);
        if (driver.empty() || machine.qemu->has_device_type(driver)) continue;
        out.push_back(Error{ErrorKind::Unsupported, domain.describe(i),
                            fmt::format("USB controller model '{}' not supported in this QEMU binary (QEMU {} for {} "
                                        "has no {} device)",
                                        c.model.view(), machine.qemu->version.to_string(), domain.arch, driver)});
    }
    return out;
}

}  // namespace guestaddr::qemu
