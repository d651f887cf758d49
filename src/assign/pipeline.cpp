#include "assign/pipeline.hpp"

#include "assign/acpi_index.hpp"
#include "assign/ccw_assigner.hpp"
#include "assign/dimm_assigner.hpp"
#include "assign/drive_assigner.hpp"
#include "assign/pci_assigner.hpp"
#include "assign/spapr_vio_assigner.hpp"
#include "assign/usb_assigner.hpp"
#include "assign/virtio_mmio_assigner.hpp"
#include "assign/virtio_serial_assigner.hpp"
#include "assign/zpci_assigner.hpp"
#include "machine/device_defaults.hpp"
#include "machine/implicit_devices.hpp"
#include "machine/machine.hpp"
#include "rules/choice.hpp"
#include "validate/definition_rules.hpp"

#include <map>

#include "guestaddr/error.hpp"

namespace guestaddr::assigners {
namespace {

// Preferences written on device elements are stored under the device's
// identity, known once the defaults are in (a NIC's MAC) and controllers
// are numbered.
void key_inline_preferences(model::Domain& domain) {
    if (domain.intent.inline_prefs.empty()) return;
    std::map<std::uint32_t, std::size_t> by_node;
    for (std::size_t i = 0; i < domain.devices.size(); ++i) by_node.emplace(domain.devices[i].node, i);
    for (const auto& [node, prefer] : domain.intent.inline_prefs) {
        const auto found = by_node.find(node);
        if (found == by_node.end()) continue;
        const std::optional<model::DeviceKey> key = model::device_key(domain.devices[found->second]);
        if (!key)
            throw Failure(Error{ErrorKind::Placement, domain.describe(found->second),
                                "a placement preference is kept under the device's alias, MAC, disk target, controller "
                                "index or host source, and this device has none: give it <alias name='ua-...'/>"});
        model::set_preference(domain.intent, *key, prefer);
    }
    domain.intent.inline_prefs.clear();
}

}  // namespace

void assign_all(model::Domain& domain) {
    rules::follow_stamp(domain);  // nothing chosen yet (tree, explain, check-abi): the stamp's rules
    const machine::MachineProfile machine = machine::resolve_machine(domain);
    domain.machine = machine.canonical;
    if (domain.arch.empty()) domain.arch = machine::kDefaultArch;
    machine::fill_device_defaults(domain, machine);
    assign_drive_addresses(domain, machine);
    machine::fill_controller_indexes(domain);
    key_inline_preferences(domain);
    machine::add_implicit_devices(domain, machine);
    validation::check_definition_rules(domain, machine);
    assign_virtio_serial_addresses(domain);
    assign_spapr_vio_addresses(domain);
    assign_ccw_addresses(domain, machine);
    assign_virtio_mmio_addresses(domain, machine);
    const ZpciBefore zpci = zpci_before_pci_assignment(domain);
    assign_pci_addresses(domain, machine);
    assign_zpci_ids(domain, machine, zpci);
    assign_acpi_indexes(domain, machine);
    assign_usb_addresses(domain, machine);
    assign_dimm_slots(domain);
    machine::mirror_console_address(domain);
}

}  // namespace guestaddr::assigners
