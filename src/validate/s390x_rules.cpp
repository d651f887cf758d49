#include "validate/s390x_rules.hpp"

#include <fmt/format.h>

namespace guestaddr::validation {
namespace {

using model::Device;
using model::DeviceClass;

// s390x has conventional PCI only (zPCI): pci-root and pci-bridges.
bool is_pcie_controller(std::string_view model) {
    return model == "pcie-root-port" || model == "pcie-switch-upstream-port" || model == "pcie-switch-downstream-port" ||
           model == "dmi-to-pci-bridge" || model == "pcie-to-pci-bridge" || model == "pcie-expander-bus";
}

bool is_virtio_scsi(std::string_view model) {
    return model == "virtio-scsi" || model == "virtio-transitional" || model == "virtio-non-transitional";
}

// What QEMU 7.2 for s390x lacks, by kind of device: the reason, or "".
std::string missing_in_qemu(const Device& d) {
    switch (d.cls) {
    case DeviceClass::Panic: return d.model == "s390" ? "" : fmt::format("the '{}' panic device", d.model);
    case DeviceClass::Sound:
        return d.model == "ich7" || d.model == "ich9" ? fmt::format("the '{}' sound device", d.model) : "";
    case DeviceClass::Memory: return "memory modules";
    case DeviceClass::Shmem: return fmt::format("the '{}' shared memory device", d.model);
    case DeviceClass::Video:
        return d.model == "virtio" || d.model == "none" ? "" : fmt::format("the '{}' video device", d.model);
    case DeviceClass::Disk:
        if (d.bus == "ide" || d.bus == "sata" || d.bus == "fdc" || d.bus == "usb")
            return fmt::format("{} disks", d.bus);
        return "";
    case DeviceClass::Controller:
        if (d.type == "ide" || d.type == "sata" || d.type == "fdc") return fmt::format("{} controllers", d.type);
        if (d.type == "scsi" && !is_virtio_scsi(d.model)) return fmt::format("the '{}' SCSI controller", d.model);
        if (d.type == "pci" && is_pcie_controller(d.model)) return fmt::format("the '{}' PCI Express controller", d.model);
        return "";
    case DeviceClass::Input:
        if (d.bus == "ps2") return "PS/2 inputs";
        return d.type == "passthrough" ? "virtio input passthrough" : "";
    case DeviceClass::Iommu: return "IOMMUs";
    case DeviceClass::Tpm: return "TPMs";
    case DeviceClass::Nvram: return "the pSeries NVRAM";
    case DeviceClass::Smartcard: return "smartcards";
    case DeviceClass::Parallel: return "parallel ports";
    default: return "";
    }
}

// The problem with a device on s390x, if it has one.
std::optional<Error> s390x_problem(const Device& d) {
    if (std::string missing = missing_in_qemu(d); !missing.empty())
        return Error{ErrorKind::Unsupported, "", fmt::format("QEMU for s390x lacks {}", missing)};
    // libvirt gives every s390x input the virtio bus, which an evdev input cannot have.
    if (d.cls == DeviceClass::Input && d.type == "evdev")
        return Error{ErrorKind::Unsupported, "", "an evdev input cannot be given to an s390x guest (it would need a bus)"};
    if (d.cls == DeviceClass::Watchdog && d.model != "diag288" && d.model != "i6300esb" && d.model != "ib700")
        return Error{ErrorKind::Unsupported, "", fmt::format("unknown watchdog model '{}'", d.model)};
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
