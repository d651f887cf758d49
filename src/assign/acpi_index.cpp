#include "assign/acpi_index.hpp"

#include <algorithm>
#include <array>
#include <set>

#include <fmt/format.h>

#include "guestaddr/error.hpp"

namespace guestaddr::assigners {
namespace {

using model::Device;
using model::DeviceClass;

// The range systemd and QEMU give ACPI indexes.
constexpr unsigned kHighestIndex = 16383;

// Where QEMU 7.2 tells the guest a device's ACPI index: only in the slots
// of a bus with ACPI PCI hotplug (QEMU 8.0 added the root buses' other
// slots). One row per chipset: the controllers of such buses.
struct AcpiHotplugBuses {
    machine::Chipset chipset;
    std::array<std::string_view, 2> models;
};
constexpr std::array kAcpiHotplugBuses{
    AcpiHotplugBuses{machine::Chipset::I440fx, {"pci-root", "pci-bridge"}},
    AcpiHotplugBuses{machine::Chipset::Q35, {"pcie-root-port", ""}},
};

// Why the guest would not see an index on devices[i]; nullopt when it would.
std::optional<std::string> unhonoured(const model::Domain& domain, const Device& d,
                                      const machine::MachineProfile& machine) {
    if (!domain.acpi) return "an ACPI index needs ACPI (<features><acpi/>)";
    const PciAddress* a = d.pci();
    if (a == nullptr) return "an ACPI index needs a PCI device";
    const auto row = std::find_if(kAcpiHotplugBuses.begin(), kAcpiHotplugBuses.end(),
                                  [&](const AcpiHotplugBuses& r) { return r.chipset == machine.chipset; });
    if (row == kAcpiHotplugBuses.end())
        return fmt::format("QEMU 7.2 has no ACPI PCI hotplug on machine type '{}', which an ACPI index needs",
                           machine.canonical);
    const Device* bus = domain.find_controller("pci", a->bus);
    const std::string_view model = bus ? std::string_view(bus->model) : std::string_view();
    const bool hotplug = bus && bus->extras().ctarget.hotplug.value_or(true);
    if (hotplug && std::find(row->models.begin(), row->models.end(), model) != row->models.end()) return std::nullopt;
    return fmt::format("QEMU 7.2 gives the guest an ACPI index only in a slot with ACPI PCI hotplug ({}), and "
                       "bus {} ({}{}) has none",
                       machine.chipset == machine::Chipset::Q35 ? "a pcie-root-port" : "pci-root or a pci-bridge",
                       a->bus, model.empty() ? "unknown" : model, hotplug ? "" : ", hotplug='off'");
}

bool gets_name(const Device& d) { return d.cls == DeviceClass::Interface && d.pci() != nullptr; }

[[noreturn]] void refuse(const model::Domain& domain, std::size_t i, std::string why) {
    throw Failure(Error{ErrorKind::Placement, domain.describe(i), std::move(why)});
}

}  // namespace

void assign_acpi_indexes(model::Domain& domain, const machine::MachineProfile& machine) {
    std::set<unsigned> taken;
    const bool policy = domain.intent.policy.stable_nic_names;
    for (std::size_t i = 0; i < domain.devices.size(); ++i) {
        const std::optional<unsigned> index = domain.devices[i].extras().acpi_index;
        if (!index) continue;
        if (*index == 0 || *index > kHighestIndex)
            refuse(domain, i, fmt::format("'acpi index' value '{}' is not in range [1-{}]", *index, kHighestIndex));
        if (!taken.insert(*index).second) refuse(domain, i, fmt::format("non unique 'acpi index' {} found", *index));
    }
    if (!policy) return;
    unsigned next = 1;
    for (std::size_t i = 0; i < domain.devices.size(); ++i) {
        Device& d = domain.devices[i];
        if (!gets_name(d)) continue;
        if (auto why = unhonoured(domain, d, machine)) refuse(domain, i, "stable-nic-names: " + *why);
        if (d.extras().acpi_index) continue;
        while (taken.count(next)) ++next;
        if (next > kHighestIndex) refuse(domain, i, "no free ACPI index is left");
        d.edit_extras().acpi_index = next;
        taken.insert(next);
        model::note_policy(domain, i, "stable-nic-names", [&] {
            return fmt::format("the guest's stable-nic-names policy gave it ACPI index {}, the lowest free one: the "
                               "guest names it eno{} (systemd's onboard name) whatever its slot",
                               next, next);
        });
    }
}

}  // namespace guestaddr::assigners
