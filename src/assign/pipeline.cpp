#include "assign/pipeline.hpp"

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

namespace guestaddr::assigners {

void assign_all(model::Domain& domain) {
    rules::follow_stamp(domain);  // nothing chosen yet (tree, explain, check-abi): the stamp's rules
    const machine::MachineProfile machine = machine::resolve_machine(domain);
    domain.machine = machine.canonical;
    if (domain.arch.empty()) domain.arch = machine::kDefaultArch;
    machine::fill_device_defaults(domain, machine);
    assign_drive_addresses(domain, machine);
    machine::fill_controller_indexes(domain);
    machine::add_implicit_devices(domain, machine);
    validation::check_definition_rules(domain, machine);
    assign_virtio_serial_addresses(domain);
    assign_spapr_vio_addresses(domain);
    assign_ccw_addresses(domain, machine);
    assign_virtio_mmio_addresses(domain, machine);
    const ZpciBefore zpci = zpci_before_pci_assignment(domain);
    assign_pci_addresses(domain, machine);
    assign_zpci_ids(domain, machine, zpci);
    assign_usb_addresses(domain, machine);
    assign_dimm_slots(domain);
    machine::mirror_console_address(domain);
}

}  // namespace guestaddr::assigners
