#include "assign/spapr_vio_assigner.hpp"

#include <cstdint>
#include <map>
#include <set>
#include <vector>

#include <fmt/format.h>

#include "guestaddr/error.hpp"
#include "xml/numbers.hpp"

namespace guestaddr::assigners {
namespace {

using model::Device;
using model::DeviceClass;

constexpr std::uint64_t kRegStep = 0x1000;

// Where each kind of VIO device starts looking for a free register.
std::optional<std::uint64_t> start_register(const Device& d) {
    if (d.cls == DeviceClass::Interface && d.model == "spapr-vlan") return 0x1000;
    if (d.cls == DeviceClass::Controller && d.type == "scsi" && d.model == "ibmvscsi") return 0x2000;
    if (d.cls == DeviceClass::Nvram) return 0x3000;
    if (d.cls == DeviceClass::Tpm && d.model == "tpm-spapr") return 0x4000;
    if (d.cls == DeviceClass::Serial && d.target_type == "spapr-vio-serial") return 0x30000000;
    return std::nullopt;
}

bool is_serial_console(const Device& d) { return d.cls == DeviceClass::Console && d.target_type == "serial"; }

std::optional<std::uint64_t> explicit_register(const Device& d) {
    const auto* a = std::get_if<OtherAddress>(&d.address);
    if (a == nullptr || a->type != "spapr-vio") return std::nullopt;
    const std::optional<std::string_view> reg = a->attribute("reg");
    return reg ? xml::parse_unsigned(*reg, xml::Radix::Hex) : std::nullopt;
}

std::uint64_t two_fields(unsigned low, unsigned high) { return low | (std::uint64_t{high} << 32); }

// libvirt switches a VIO device written with another address type to
// spapr-vio without clearing what that address held: its first two 32-bit
// fields become the register, and the low byte of the third says whether
// the register is set. The register it then has, if any.
std::optional<std::uint64_t> register_left_by(const Address& address) {
    auto set_if = [](unsigned third, std::uint64_t reg) -> std::optional<std::uint64_t> {
        if ((third & 0xffu) == 0) return std::nullopt;
        return reg;
    };
    if (const auto* a = std::get_if<PciAddress>(&address)) return set_if(a->slot, two_fields(a->domain, a->bus));
    if (const auto* a = std::get_if<DriveAddress>(&address)) return set_if(a->target, two_fields(a->controller, a->bus));
    if (const auto* a = std::get_if<VirtioSerialAddress>(&address))
        return set_if(a->port, two_fields(a->controller, a->bus));
    if (const auto* a = std::get_if<UsbAddress>(&address); a && a->port.size() > 1)
        return set_if(a->port[1], two_fields(a->bus, a->port[0]));
    return std::nullopt;
}

Address vio_address(std::uint64_t reg) { return OtherAddress{"spapr-vio", {{"reg", fmt::format("{:#010x}", reg)}}}; }

// Every VIO device ends with a spapr-vio address: one of another type
// becomes one (with the register it leaves, else none yet).
void switch_to_vio(model::Domain& domain) {
    for (Device& d : domain.devices) {
        if (!start_register(d) || !d.has_address() || explicit_register(d)) continue;
        const std::optional<std::uint64_t> left = register_left_by(d.address);
        d.address = left ? vio_address(*left) : Address{};
    }
}

// libvirt gives out registers kind by kind: NICs, controllers, serial
// ports, NVRAM, TPMs. A kind's start value may already be taken by an
// earlier kind (the second spapr-vlan NIC takes the vscsi start 0x2000).
std::vector<std::size_t> vio_order(const model::Domain& domain) {
    std::vector<std::size_t> order = domain.of_class(DeviceClass::Interface);
    order.insert(order.end(), domain.controller_order.begin(), domain.controller_order.end());
    for (DeviceClass cls : {DeviceClass::Serial, DeviceClass::Nvram, DeviceClass::Tpm}) {
        const std::vector<std::size_t> more = domain.of_class(cls);
        order.insert(order.end(), more.begin(), more.end());
    }
    return order;
}

}  // namespace

void assign_spapr_vio_addresses(model::Domain& domain) {
    switch_to_vio(domain);
    std::set<std::uint64_t> used;
    for (std::size_t i = 0; i < domain.devices.size(); ++i) {
        // A serial console is the first serial port itself: it carries the
        // port's register, which is no second use of it.
        if (is_serial_console(domain.devices[i])) continue;
        auto reg = explicit_register(domain.devices[i]);
        if (reg && !used.insert(*reg).second)
            throw Failure(Error{ErrorKind::AddressConflict, domain.describe(i),
                                fmt::format("spapr-vio address {:#x} is already in use", *reg)});
    }
    // Registers are only ever taken, so a kind's search goes on from where
    // its last one stopped: thousands of VIO NICs stay linear.
    std::map<std::uint64_t, std::uint64_t> resume_at;
    for (std::size_t i : vio_order(domain)) {
        Device& d = domain.devices[i];
        const std::optional<std::uint64_t> start = start_register(d);
        if (!start || explicit_register(d)) continue;
        std::uint64_t& reg = resume_at.try_emplace(*start, *start).first->second;
        while (used.contains(reg)) reg += kRegStep;
        used.insert(reg);
        d.address = vio_address(reg);
        model::note_placement(domain, i, "spapr-vio-first-free", [&] {
            return fmt::format("the first free register from its kind's start {:#x}, in steps of {:#x}: {:#x}", *start,
                               kRegStep, reg);
        });
    }
}

}  // namespace guestaddr::assigners
