#include "validate/arm_rules.hpp"

#include <fmt/format.h>

namespace guestaddr::validation {
namespace {

using model::Device;
using model::DeviceClass;

// QEMU 7.2 builds no QXL for ARM.
constexpr std::string_view kMissingVideoModels[] = {"qxl"};

// Why the device cannot be part of an ARM guest, if it cannot.
std::optional<std::string> refusal(const Device& d) {
    switch (d.cls) {
    case DeviceClass::Input:
        if (d.bus == "ps2") return "ARM machines have no PS/2 bus";
        break;
    case DeviceClass::Panic:
        // The ISA panic device is a PC one; the others are for x86 (hyperv),
        // pSeries or s390 guests.
        return fmt::format("panic model '{}' is not supported on ARM", d.model.empty() ? "isa" : d.model.view());
    case DeviceClass::Iommu:
        if (d.model == "intel") return "an intel IOMMU needs a q35 machine type";
        if (d.model != "smmuv3" && d.model != "virtio")
            return fmt::format("IOMMU model '{}' is not supported on ARM", d.model);
        break;
    case DeviceClass::Serial:
        if (d.target_type == "isa-debug") return "ARM machines have no ISA debug port";
        break;
    case DeviceClass::Nvram:
        return "an nvram device is for pSeries guests only";
    case DeviceClass::Memory:
        if (d.model == "virtio-pmem") return "QEMU 7.2 has no virtio-pmem on ARM";
        break;
    case DeviceClass::Tpm:
        // QEMU's ARM machines have a TIS (sysbus) TPM only.
        if (d.model != "tpm-tis") return fmt::format("TPM model '{}' is not supported by QEMU on ARM", d.model);
        break;
    case DeviceClass::Video:
        for (std::string_view missing : kMissingVideoModels)
            if (d.model == missing) return fmt::format("video model '{}' is not supported by QEMU on ARM", d.model);
        break;
    default:
        break;
    }
    return std::nullopt;
}

}  // namespace

std::vector<Error> broken_arm_rules(const model::Domain& domain, const machine::MachineProfile& machine) {
    std::vector<Error> errors;
    if (!machine.is_arm()) return errors;
    // QEMU's ARM machines have no switch for the ACPI S3/S4 sleep states.
    if (domain.sets_sleep_states)
        errors.push_back(Error{ErrorKind::Unsupported, "", "<pm> sleep states cannot be set on ARM"});
    // ARM guests find their ACPI tables through UEFI.
    if (domain.acpi && !domain.uefi)
        errors.push_back(Error{ErrorKind::Unsupported, "", "ACPI (<features><acpi/>) on ARM needs UEFI firmware "
                                                           "(<os firmware='efi'> or a pflash <loader>)"});
    for (std::size_t i = 0; i < domain.devices.size(); ++i)
        if (std::optional<std::string> why = refusal(domain.devices[i]))
            errors.push_back(Error{ErrorKind::Unsupported, domain.describe(i), std::move(*why)});
    return errors;
}

}  // namespace guestaddr::validation
