#include "assign/usb_assigner.hpp"

#include <array>

#include <fmt/format.h>

#include "assign/usb_topology.hpp"
#include "guestaddr/error.hpp"

namespace guestaddr::assigners {
namespace {

using model::Device;
using model::DeviceClass;
using model::Domain;

constexpr unsigned kHubPorts = kUsbHubPorts;

struct UsbPortCount {
    std::string_view model;
    unsigned ports;
};

// Root hub sizes (spec §7); ICH9 UHCI companions add no ports of their own.
constexpr std::array<UsbPortCount, 14> kUsbPorts{{
    {"piix3-uhci", 2}, {"piix4-uhci", 2}, {"vt82c686b-uhci", 2}, {"ehci", 6}, {"ich9-ehci1", 6},
    {"ich9-uhci1", 0}, {"ich9-uhci2", 0}, {"ich9-uhci3", 0}, {"pci-ohci", 3}, {"nec-xhci", 4},
    {"qemu-xhci", 4}, {"qusb1", 8}, {"qusb2", 8}, {"none", 0},
}};


void take_usb_kind(const Domain& domain, rules::UsbKind kind, std::vector<std::size_t>& out) {
    auto take = [&](DeviceClass cls, auto&& is_usb) {
        for (std::size_t i : domain.of_class(cls))
            if (is_usb(domain.devices[i])) out.push_back(i);
    };
    using rules::UsbKind;
    switch (kind) {
    case UsbKind::Hub: return take(DeviceClass::Hub, is_usb_hub);
    case UsbKind::Hostdev: return take(DeviceClass::Hostdev, [](const Device& d) { return d.type == "usb"; });
    case UsbKind::Disk: return take(DeviceClass::Disk, [](const Device& d) { return d.bus == "usb"; });
    case UsbKind::CcidController: return take(DeviceClass::Controller, [](const Device& d) { return d.type == "ccid"; });
    case UsbKind::Input: return take(DeviceClass::Input, [](const Device& d) { return d.bus == "usb"; });
    case UsbKind::Serial: return take(DeviceClass::Serial, [](const Device& d) { return d.target_type == "usb-serial"; });
    case UsbKind::Sound: return take(DeviceClass::Sound, [](const Device& d) { return d.model == "usb"; });
    case UsbKind::Redirdev: return take(DeviceClass::Redirdev, [](const Device& d) { return d.bus == "usb"; });
    }
}

// The USB devices in the order libvirt gives them ports.
std::vector<std::size_t> usb_devices(const Domain& domain) {
    std::vector<std::size_t> out;
    for (rules::UsbKind kind : domain.libvirt->usb_port_order) take_usb_kind(domain, kind, out);
    return out;
}

unsigned build_controllers(const Domain& domain, UsbTopology& usb) {
    unsigned total = 0;
    for (std::size_t i : domain.controller_order) {
        const Device& c = domain.devices[i];
        if (c.type != "usb" || c.model == "none") continue;
        usb.add_controller(c.index.value_or(0), usb_root_ports(c));
        total += usb_root_ports(c);
    }
    return total;
}

// libvirt adds hubs when there are more USB devices than ports; each hub
// brings eight ports and takes one.
void add_hubs_for_overflow(Domain& domain, unsigned controller_ports) {
    const std::vector<std::size_t> devices = usb_devices(domain);
    unsigned available = controller_ports;
    for (std::size_t i : devices)
        if (is_usb_hub(domain.devices[i])) available += kHubPorts;
    const unsigned count = static_cast<unsigned>(devices.size());
    if (count <= available) return;
    const unsigned hubs = (count - available + 1 + 6) / 7;
    for (unsigned n = 0; n < hubs; ++n) {
        Device hub = model::implicit_device(DeviceClass::Hub);
        hub.type = "usb";
        const std::size_t added = domain.add_implicit(std::move(hub));
        model::note_addition(domain, added, "usb-hub-for-overflow", [&] {
            return fmt::format("the guest has {} USB devices for {} ports; libvirt adds hubs of {} ports (each takes one)",
                               count, available, kHubPorts);
        });
    }
}

unsigned ports_offered(const Device& d) { return is_usb_hub(d) ? kHubPorts : 0; }

void reserve_explicit(Domain& domain, const std::vector<std::size_t>& devices, UsbTopology& usb, bool hubs) {
    for (std::size_t i : devices) {
        const Device& d = domain.devices[i];
        const auto* a = std::get_if<UsbAddress>(&d.address);
        if (a == nullptr || a->port.empty() || is_usb_hub(d) != hubs) continue;
        usb.reserve(*a, ports_offered(d), model::DeviceLabel(domain, i));
    }
}

void check_usb_available(const Domain& domain, const std::vector<std::size_t>& devices, const UsbTopology& usb) {
    for (std::size_t i : devices) {
        const auto* a = std::get_if<UsbAddress>(&domain.devices[i].address);
        const unsigned bus = a ? a->bus : 0;
        if (!usb.has_bus(bus) && (a || !usb.has_bus(0)))
            throw Failure(Error{ErrorKind::Placement, domain.describe(i),
                                a ? fmt::format("USB bus {} does not exist (no USB controller with that index)", bus)
                                  : "the device needs USB, but the guest has no usable USB controller"});
    }
}

void assign_smartcards(Domain& domain) {
    unsigned next_slot = 0;
    for (std::size_t i : domain.of_class(DeviceClass::Smartcard))
        if (const auto* a = std::get_if<CcidAddress>(&domain.devices[i].address); a && a->controller == 0)
            next_slot = std::max(next_slot, a->slot + 1);
    for (std::size_t i : domain.of_class(DeviceClass::Smartcard)) {
        Device& card = domain.devices[i];
        if (card.has_address()) continue;
        card.address = CcidAddress{0, next_slot++};
        model::note_placement(domain, i, "ccid-next-slot", [&] {
            return fmt::format("the slot after the highest one used on CCID controller 0: slot {}", next_slot - 1);
        });
    }
}

}  // namespace

unsigned usb_root_ports(const Device& c) {
    if (c.extras().ports && c.model != "none") return *c.extras().ports;
    for (const UsbPortCount& row : kUsbPorts)
        if (row.model == c.model) return row.ports;
    return 2;
}

bool is_usb_hub(const Device& d) { return d.cls == DeviceClass::Hub && (d.type.empty() || d.type == "usb"); }

void assign_usb_addresses(Domain& domain, const machine::MachineProfile&) {
    assign_smartcards(domain);
    UsbTopology usb;
    const unsigned controller_ports = build_controllers(domain, usb);
    add_hubs_for_overflow(domain, controller_ports);
    const std::vector<std::size_t> devices = usb_devices(domain);
    if (devices.empty()) return;
    check_usb_available(domain, devices, usb);
    reserve_explicit(domain, devices, usb, true);
    reserve_explicit(domain, devices, usb, false);
    for (std::size_t i : devices) {
        Device& d = domain.devices[i];
        const auto* a = std::get_if<UsbAddress>(&d.address);
        if (d.has_address() && (a == nullptr || !a->port.empty())) continue;
        std::optional<unsigned> bus = a ? std::optional<unsigned>(a->bus) : std::nullopt;
        d.address = usb.allocate(bus, ports_offered(d), model::DeviceLabel(domain, i));
        model::note_placement(domain, i, "usb-first-free-port", [&] {
            return fmt::format("the first free USB port{} (root ports first, then depth-first through the hubs, in "
                               "libvirt's device order)",
                               bus ? fmt::format(" of bus {}, which its address names", *bus) : " of the lowest bus");
        });
    }
}

}  // namespace guestaddr::assigners
