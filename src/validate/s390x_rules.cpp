#include "validate/s390x_rules.hpp"

#include <fmt/format.h>

namespace guestaddr::validation {
namespace {

using model::Device;
using model::DeviceClass;

// The problem with a device on s390x, if it has one.
std::optional<Error> s390x_problem(const Device& d) {
    auto unsupported = [](std::string message) { return Error{ErrorKind::Unsupported, "", std::move(message)}; };
    if (d.cls == DeviceClass::Panic && d.model != "s390")
        return unsupported(fmt::format("panic model '{}' is not supported on s390x (only 's390')", d.model));
    if (d.cls == DeviceClass::Sound)
        return unsupported(fmt::format("the sound model '{}' is not supported by QEMU on s390x", d.model));
    if (d.cls == DeviceClass::Watchdog && d.model != "diag288" && d.model != "i6300esb")
        return unsupported(fmt::format("unknown watchdog model '{}'", d.model));
    if (d.cls == DeviceClass::Shmem)
        return unsupported(fmt::format("shared memory model '{}' is not supported by QEMU on s390x", d.model));
    if (d.cls == DeviceClass::Input && d.bus == "ps2")
        return unsupported("s390x guests have no PS/2 bus");
    return std::nullopt;
}

}  // namespace

bool is_s390x_console_target(std::string_view target_type) {
    return target_type == "serial" || target_type == "virtio" || target_type == "sclp" || target_type == "sclplm";
}

void check_s390x_devices(const model::Domain& domain, std::vector<Error>& errors) {
    for (std::size_t i = 0; i < domain.devices.size(); ++i) {
        std::optional<Error> problem = s390x_problem(domain.devices[i]);
        if (!problem) continue;
        problem->device = domain.describe(i);
        errors.push_back(std::move(*problem));
    }
}

}  // namespace guestaddr::validation
