#include "machine/device_defaults.hpp"

#include <algorithm>
#include <optional>
#include <set>

#include <fmt/format.h>

#include "guestaddr/error.hpp"

namespace guestaddr::machine {
namespace {

using model::Device;
using model::DeviceClass;
using model::Domain;


// Serial target ports take two passes in libvirt: serials written as ISA
// serials take the lowest port no other ISA-typed serial has, every other
// serial one above the highest port so far.
void number_serial_ports(Domain& domain, const std::vector<std::size_t>& serials) {
    std::set<unsigned> isa_ports;
    for (std::size_t i : serials)
        if (domain.devices[i].target_port && domain.devices[i].target_type == "isa-serial")
            isa_ports.insert(*domain.devices[i].target_port);
    for (std::size_t i : serials) {
        Device& s = domain.devices[i];
        if (s.target_port || s.target_type != "isa-serial") continue;
        unsigned port = 0;
        while (isa_ports.contains(port)) ++port;
        s.target_port = port;
        isa_ports.insert(port);
    }
    std::set<unsigned> used;
    for (std::size_t i : serials)
        if (domain.devices[i].target_port) used.insert(*domain.devices[i].target_port);
    for (std::size_t i : serials) {
        Device& s = domain.devices[i];
        if (s.target_port) continue;
        s.target_port = used.empty() ? 0 : *used.rbegin() + 1;
        used.insert(*s.target_port);
    }
}

// Checked before untyped serials become ISA ones: libvirt only counts the
// serials written as ISA serials (an untyped one may end up on port 4).
void check_isa_serials(const Domain& domain, const std::vector<std::size_t>& serials) {
    std::set<unsigned> ports;
    for (std::size_t i : serials) {
        const Device& s = domain.devices[i];
        if (s.target_type != "isa-serial") continue;
        if (*s.target_port >= 4)
            throw Failure(Error{ErrorKind::Exhausted, domain.describe(i),
                                fmt::format("ISA serial port {} is out of range: at most 4 ISA serial ports "
                                            "(0 to 3) are supported",
                                            *s.target_port)});
        if (!ports.insert(*s.target_port).second)
            throw Failure(Error{ErrorKind::AddressConflict, domain.describe(i),
                                fmt::format("ISA serial port {} is already in use", *s.target_port)});
    }
}

// The target type of a serial port written with `written`: the machine's
// own for none, and for ISA where the machine has no ISA bus.
std::string_view serial_target_type(std::string_view written, const MachineProfile& machine) {
    const DefaultModels& defaults = default_models(machine);
    if (written.empty() || (written == "isa-serial" && !defaults.keeps_isa_serials)) return defaults.serial_target;
    return written;
}

void fill_serials(Domain& domain, const std::vector<std::size_t>& serials, const MachineProfile& machine) {
    number_serial_ports(domain, serials);
    check_isa_serials(domain, serials);
    for (std::size_t i : serials) {
        Device& s = domain.devices[i];
        s.target_type = std::string(serial_target_type(s.target_type, machine));
        if (s.extras().target_model.empty())
            s.edit_extras().target_model = std::string(serial_target_model(s.target_type, machine));
    }
}

// Consoles that are no serial port (virtio, SCLP on s390x) are numbered by
// their position, whatever the input says.
void number_consoles(Domain& domain, const std::vector<std::size_t>& consoles) {
    for (std::size_t n = 0; n < consoles.size(); ++n) {
        Device& c = domain.devices[consoles[n]];
        if (c.target_type != "serial") c.target_port = static_cast<unsigned>(n);
    }
}

void fill_consoles(Domain& domain, const std::vector<std::size_t>& consoles) {
    for (std::size_t n = 0; n < consoles.size(); ++n) {
        Device& c = domain.devices[consoles[n]];
        if (c.target_type.empty()) c.target_type = "serial";
    }
    number_consoles(domain, consoles);
}

Device serial_like(const Device& source, std::string target_type, unsigned port) {
    Device d = model::implicit_device(DeviceClass::Serial);
    d.type = source.type;
    d.target_type = std::move(target_type);
    d.target_port = port;
    return d;
}

// The first console and the first serial port are one device to the
// guest; libvirt writes both sides of the pair.
void pair_console_with_serial(Domain& domain, const std::vector<std::size_t>& serials,
                              const std::vector<std::size_t>& consoles, const MachineProfile& machine) {
    if (!consoles.empty() && domain.devices[consoles.front()].target_type == "serial") {
        Device& console = domain.devices[consoles.front()];
        if (serials.empty()) {
            // The serial port libvirt makes of the console is the machine's
            // own: SCLP on s390x, else an ISA one where the machine has ISA.
            const std::string_view type =
                machine.is_s390() ? std::string_view("sclp-serial") : serial_target_type("isa-serial", machine);
            Device serial = serial_like(console, std::string(type), 0);
            serial.edit_extras().target_model = std::string(serial_target_model(type, machine));
            serial.address = console.address;  // libvirt copies the whole console, address included
            console.target_port = 0;
            domain.add_implicit(std::move(serial));
            return;
        }
        const Device& first = domain.devices[serials.front()];
        console.type = first.type;
        console.target_port = first.target_port;
        return;
    }
    if (serials.empty()) return;
    // A serial port of no type libvirt knows (on ARM boards) has a console too.
    const model::Text& first_type = domain.devices[serials.front()].target_type;
    if (first_type != "isa-serial" && first_type != "system-serial" && first_type != "sclp-serial" &&
        first_type != "spapr-vio-serial" && !first_type.empty())
        return;
    const Device& first = domain.devices[serials.front()];
    Device console = serial_like(first, "serial", first.target_port.value_or(0));
    console.cls = DeviceClass::Console;
    console.element = "console";
    console.leads_its_kind = true;
    domain.add_implicit(std::move(console));
}

// A parallel port without a port number takes one above the highest of
// the parallel ports before it (libvirt numbers them while parsing).
void number_parallel_ports(Domain& domain) {
    std::optional<unsigned> highest;
    for (std::size_t i : domain.of_class(DeviceClass::Parallel)) {
        Device& p = domain.devices[i];
        if (!p.target_port) p.target_port = highest ? *highest + 1 : 0;
        highest = std::max(highest.value_or(0), *p.target_port);
    }
}

bool mirrors_first_serial(const Domain& domain, std::size_t console, std::size_t serial) {
    const Device& c = domain.devices[console];
    const Device& s = domain.devices[serial];
    return c.target_type == "serial" && c.target_port == s.target_port;
}

}  // namespace

std::string_view serial_target_model(std::string_view target_type, const MachineProfile& machine) {
    if (target_type == "isa-debug") return "isa-debugcon";
    if (target_type == "system-serial") return default_models(machine).system_serial_model;
    if (target_type == "sclp-serial") return "sclpconsole";
    if (target_type == "spapr-vio-serial") return "spapr-vty";
    return target_type;
}

bool serial_target_model_fits(std::string_view target_type, std::string_view model, const MachineProfile& machine) {
    // The SCLP serial is the line-mode console (sclplmconsole) as well.
    return model == serial_target_model(target_type, machine) || (target_type == "sclp-serial" && model == "sclplmconsole");
}

void mirror_console_address(Domain& domain) {
    const std::vector<std::size_t> serials = domain.of_class(DeviceClass::Serial);
    const std::vector<std::size_t> consoles = domain.of_class(DeviceClass::Console);
    if (serials.empty() || consoles.empty()) return;
    if (!mirrors_first_serial(domain, consoles.front(), serials.front())) return;
    domain.devices[consoles.front()].address = domain.devices[serials.front()].address;
    model::note_placement(domain, consoles.front(), "console-mirrors-serial", [&] {
        return fmt::format("the console is the first serial port, {}, and has its address", domain.describe(serials.front()));
    });
}

void fill_chardev_defaults(Domain& domain, const MachineProfile& machine) {
    number_parallel_ports(domain);
    const std::vector<std::size_t> serials = domain.of_class(DeviceClass::Serial);
    const std::vector<std::size_t> consoles = domain.of_class(DeviceClass::Console);
    fill_serials(domain, serials, machine);
    fill_consoles(domain, consoles);
    pair_console_with_serial(domain, serials, consoles, machine);
    if (machine.rules().console_port_counts_serial_console)
        number_consoles(domain, domain.of_class(DeviceClass::Console));
}

}  // namespace guestaddr::machine
