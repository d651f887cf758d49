#include "guestaddr/hotplug.hpp"

#include <algorithm>
#include <array>

#include <fmt/format.h>

#include "api/definition_impl.hpp"
#include "assign/pipeline.hpp"
#include "rules/choice.hpp"
#include "hotplug/device_identity.hpp"
#include "machine/machine.hpp"
#include "xml/metadata.hpp"

namespace guestaddr {
namespace {

using model::Device;
using model::DeviceClass;

// A running guest cannot gain controllers or hubs along with the device.
void check_nothing_else_added(const model::Domain& domain, std::size_t devices_before) {
    for (std::size_t i = devices_before; i < domain.devices.size(); ++i)
        throw Failure(Error{ErrorKind::Exhausted, domain.describe(i),
                            "hot-plugging the device would need this added too, which a running guest cannot "
                            "get; attach it to the definition of the stopped guest instead"});
}

// Device kinds libvirt 9.0 cannot attach to a definition (attach-device
// --config refuses them): define the guest anew instead.
void check_attachable(const model::Device& d) {
    static constexpr std::array kFixed{DeviceClass::Panic, DeviceClass::Video, DeviceClass::Iommu,
                                       DeviceClass::Hub,   DeviceClass::Graphics, DeviceClass::Smartcard,
                                       DeviceClass::Crypto};
    if (std::find(kFixed.begin(), kFixed.end(), d.cls) != kFixed.end())
        throw Failure(Error{ErrorKind::Unsupported, model::describe(d, 0),
                            fmt::format("a <{}> cannot be attached; change the definition and define it again", d.element)});
}

// libvirt fills no defaults into a PCI controller it attaches: the device
// XML must say what the controller is.
void check_controller_spelled_out(const model::Device& d) {
    if (d.cls != DeviceClass::Controller || d.type != "pci") return;
    const bool port = d.model == "pcie-root-port" || d.model == "pcie-switch-downstream-port";
    const bool expander = d.model == "pci-expander-bus" || d.model == "pcie-expander-bus";
    const bool complete = !d.extras().model_name.empty() && (d.model != "pci-bridge" || d.extras().ctarget.chassis_nr) &&
                          (!port || (d.extras().ctarget.chassis && d.extras().ctarget.port)) && (!expander || d.extras().ctarget.bus_nr);
    if (!complete)
        throw Failure(Error{ErrorKind::Unsupported, model::describe(d, 0),
                            "an attached PCI controller must give its <model name> and <target> options "
                            "(chassisNr, chassis and port, or busNr) as libvirt fills none in"});
}

// The first serial port attached to a guest without a console gets one
// mirroring it, whatever its kind (a definition read whole gets one only
// for an ISA serial).
void add_console_for_first_serial(model::Domain& domain, std::size_t index) {
    const Device& serial = domain.devices[index];
    if (serial.cls != DeviceClass::Serial || domain.of_class(DeviceClass::Serial).size() != 1 ||
        !domain.of_class(DeviceClass::Console).empty())
        return;
    Device console = model::implicit_device(DeviceClass::Console);
    console.type = serial.type;
    console.target_type = "serial";
    console.target_port = serial.target_port;
    console.address = serial.address;
    domain.add_implicit(std::move(console));
}

// A running PC learns of PCI hotplug only through ACPI: QEMU signals it
// with an ACPI event (and on q35 grants the guest native PCIe hotplug only
// through its ACPI tables). A guest without <acpi/> (QEMU's -no-acpi) gets
// the firmware's own fallback tables instead: on q35 their hotplug handler
// reads a register block the machine does not have and ejects every device
// of the root bus, and the guest never hears of a native PCIe hotplug; on pc
// QEMU refuses the hotplug. Either way the guest would not see the device
// where the definition puts it, so the change waits for the next boot.
void check_guest_hears_pci_hotplug(const model::Domain& domain, std::size_t index) {
    const bool pc = domain.arch == "x86_64" || domain.arch == "i686";
    if (!pc || domain.acpi || domain.devices[index].pci() == nullptr) return;
    throw Failure(Error{ErrorKind::Unsupported, domain.describe(index),
                        "a guest without ACPI (<features><acpi/>) cannot take PCI hotplug: QEMU signals it "
                        "through ACPI, and on q35 the guest would answer by dropping every PCI device; "
                        "change the stopped guest's definition (without --qmp) and restart it"});
}

// Where QEMU 7.2 takes no hotplug at all, by machine and address type
// (tried on qemu-system-aarch64, -ppc64 and -s390x 7.2, paused under TCG):
// a live attach or detach there is refused before QEMU is asked.
struct NoHotplug {
    std::optional<machine::Chipset> chipset;  // nullopt: every machine
    std::string_view address_type;
    bool root_bus_only;  // only a PCI address on bus 0
    std::string_view reason;
};
constexpr NoHotplug kNoHotplug[]{
    {std::nullopt, "virtio-mmio", false,
     "virtio-mmio transports are part of the board, made when QEMU starts: QEMU 7.2 hot-plugs nothing onto them "
     "(give the device a PCI address on a pcie-root-port instead, or change the stopped guest's definition)"},
    {machine::Chipset::Pseries, "spapr-vio", false,
     "QEMU 7.2's spapr-vio bus takes no hotplug (a pSeries hot-plugs PCI devices on its PHBs only): change the "
     "stopped guest's definition, or use a PCI model (virtio, e1000, virtio-scsi)"},
    {machine::Chipset::ArmVirt, "pci", true,
     "the root bus pcie.0 of aarch64 virt takes no hotplug in QEMU 7.2 (the machine has no ACPI PCI hotplug): "
     "a hot-plugged PCI device needs a free pcie-root-port, or a pcie-to-pci-bridge slot"},
};

void check_machine_takes_hotplug(const model::Domain& domain, std::size_t index) {
    const model::Device& d = domain.devices[index];
    const std::string type = address_type_name(d.address);
    if (type.empty()) return;
    machine::Chipset chipset;
    try {
        chipset = machine::resolve_machine(domain.arch.empty() ? machine::kDefaultArch : domain.arch, domain.machine).chipset;
    } catch (const Failure&) {
        return;
    }
    for (const NoHotplug& rule : kNoHotplug) {
        if ((rule.chipset && *rule.chipset != chipset) || rule.address_type != type) continue;
        if (rule.root_bus_only && (d.pci() == nullptr || d.pci()->bus != 0)) continue;
        throw Failure(Error{ErrorKind::Unsupported, domain.describe(index), std::string(rule.reason)});
    }
}

}  // namespace

Result<Attachment> attach(Definition definition, std::string_view device_xml, Plug plug, std::string_view prefer) {
    try {
        const model::Device attached = xml::read_device_element(device_xml);
        check_attachable(attached);
        check_controller_spelled_out(attached);
        Definition::Impl& impl = definition.impl();
        const std::size_t before = impl.domain.devices.size();
        const std::size_t index = xml::append_device(impl.document, impl.domain, device_xml);
        if (!prefer.empty()) {
            const model::Device& added = impl.domain.devices[index];
            impl.domain.intent.inline_prefs.emplace_back(
                added.node, xml::parse_preference_text(prefer, impl.domain.describe(index)));
            impl.domain.intent.changed = true;
        }
        impl.domain.devices[index].hotplugged = plug == Plug::Live;
        rules::follow_stamp(impl.domain);
        assigners::assign_all(impl.domain);
        impl.domain.devices[index].hotplugged = false;
        if (plug == Plug::Live) {
            check_nothing_else_added(impl.domain, before + 1);
            check_guest_hears_pci_hotplug(impl.domain, index);
            check_machine_takes_hotplug(impl.domain, index);
        }
        add_console_for_first_serial(impl.domain, index);
        return Attachment{std::move(definition), index};
    } catch (const Failure& f) {
        return f.error();
    }
}

Result<std::size_t> find_device(const Definition& definition, std::string_view device_xml) {
    try {
        const Definition::Impl& impl = definition.impl();
        return hotplug::find_device(impl.domain, xml::read_device_element(device_xml), xml::copy_device_xml(device_xml),
                                    [&](std::size_t i) { return xml::element_of_device(impl.document, impl.domain, i); });
    } catch (const Failure& f) {
        return f.error();
    }
}

Result<Definition> detach(Definition definition, std::size_t index) {
    try {
        Definition::Impl& impl = definition.impl();
        model::drop_preference(impl.domain.intent, impl.domain.devices.at(index));
        xml::remove_device(impl.document, impl.domain, index);
        // As libvirt does on the next define: what the machine always has
        // (a PS/2 input, the root bus, the controller a device still sits
        // on) comes back, at the same address.
        rules::follow_stamp(impl.domain);
        assigners::assign_all(impl.domain);
        return definition;
    } catch (const Failure& f) {
        return f.error();
    }
}

std::optional<Error> live_plug_refusal(const Definition& definition, std::size_t index) {
    try {
        check_guest_hears_pci_hotplug(definition.domain(), index);
        check_machine_takes_hotplug(definition.domain(), index);
        return std::nullopt;
    } catch (const Failure& f) {
        return f.error();
    }
}

}  // namespace guestaddr
