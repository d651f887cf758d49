#include "validate/pseries_rules.hpp"

#include <fmt/format.h>

namespace guestaddr::validation {
namespace {

using model::Device;
using model::DeviceClass;
using model::Domain;

void report(std::vector<Error>& errors, const Domain& domain, std::size_t i, ErrorKind kind, std::string message) {
    errors.push_back(Error{kind, domain.describe(i), std::move(message)});
}

// PHB numbers are 0-30; PHB 0 is controller 0 and no other (spec §2.3).
void check_phb_targets(const Domain& domain, std::vector<Error>& errors) {
    for (std::size_t i : domain.controller_order) {
        const Device& c = domain.devices[i];
        const std::optional<unsigned> target = c.extras().ctarget.index;
        if (c.type != "pci" || c.model != "pci-root" || !target) continue;
        if (*target > 30)
            report(errors, domain, i, ErrorKind::InvalidAddress,
                   fmt::format("PHB target index {} is out of range; it must be 0 to 30", *target));
        else if ((*target == 0) != (c.index.value_or(0) == 0))
            report(errors, domain, i, ErrorKind::InvalidAddress,
                   "only the PCI controller with index 0 can have target index 0, and it must have it");
    }
}

void check_panic_models(const Domain& domain, std::vector<Error>& errors) {
    for (std::size_t i : domain.of_class(DeviceClass::Panic))
        if (domain.devices[i].model != "pseries")
            report(errors, domain, i, ErrorKind::Unsupported,
                   fmt::format("panic model '{}' is not supported on pSeries", domain.devices[i].model));
}

// Devices a pSeries cannot have: qemu-system-ppc64 7.2 lacks them, or they
// need an ISA bus. A disk on the IDE bus counts: it would need an IDE
// controller.
std::optional<std::string> missing_from_qemu(const Device& d) {
    if ((d.cls == DeviceClass::Controller && d.type == "ide") || (d.cls == DeviceClass::Disk && d.bus == "ide"))
        return "IDE controllers are not supported by QEMU for this machine type";
    if (d.cls == DeviceClass::Video && (d.model == "qxl" || d.model == "ramfb"))
        return fmt::format("video model '{}' is not supported by QEMU for this machine type", d.model);
    if (d.cls == DeviceClass::Memory && (d.model == "virtio-pmem" || d.model == "virtio-mem"))
        return fmt::format("memory model '{}' is not supported by QEMU for this machine type", d.model);
    if (d.cls == DeviceClass::Tpm && (d.model == "tpm-tis" || d.model == "tpm-crb"))
        return fmt::format("TPM model '{}' is not supported by QEMU for this machine type", d.model);
    if (d.cls == DeviceClass::Parallel) return "parallel ports are not supported";
    if (d.cls == DeviceClass::Serial && d.target_type == "isa-debug") return "isa-debug serial ports are only valid on x86";
    return std::nullopt;
}

void check_single_nvram(const Domain& domain, std::vector<Error>& errors) {
    const std::vector<std::size_t> nvrams = domain.of_class(DeviceClass::Nvram);
    if (nvrams.size() > 1) report(errors, domain, nvrams[1], ErrorKind::Unsupported, "only a single nvram device is supported");
}

void check_qemu_devices(const Domain& domain, std::vector<Error>& errors) {
    for (std::size_t i = 0; i < domain.devices.size(); ++i)
        if (std::optional<std::string> why = missing_from_qemu(domain.devices[i]))
            report(errors, domain, i, ErrorKind::Unsupported, *why);
}

}  // namespace

void check_pseries_rules(const Domain& domain, std::vector<Error>& errors) {
    check_phb_targets(domain, errors);
    check_panic_models(domain, errors);
    check_qemu_devices(domain, errors);
    check_single_nvram(domain, errors);
}

}  // namespace guestaddr::validation
