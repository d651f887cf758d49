#include "assign/virtio_serial_assigner.hpp"

#include <map>
#include <set>

#include <fmt/format.h>

#include "guestaddr/error.hpp"

namespace guestaddr::assigners {
namespace {

using model::Device;
using model::DeviceClass;
using model::Domain;

constexpr unsigned kDefaultPorts = 31;

struct SerialController {
    unsigned ports = kDefaultPorts;
    std::set<unsigned> reserved;  // the ports written in the input
    unsigned next = 1;  // no port below it is free: ports are taken in order, by take()

    std::optional<unsigned> first_free() {
        while (next < ports && reserved.contains(next)) ++next;
        if (next >= ports) return std::nullopt;
        return next;
    }
    std::optional<unsigned> take() {
        std::optional<unsigned> port = first_free();
        if (port) next = *port + 1;
        return port;
    }
};

using Controllers = std::map<unsigned, SerialController>;

bool is_virtio_channel(const Device& d) { return d.cls == DeviceClass::Channel && d.target_type == "virtio"; }
bool is_virtio_console(const Device& d) { return d.cls == DeviceClass::Console && d.target_type == "virtio"; }

Controllers controllers_of(const Domain& domain) {
    Controllers out;
    for (std::size_t i : domain.controller_order) {
        const Device& c = domain.devices[i];
        if (c.type == "virtio-serial") out[c.index.value_or(0)].ports = c.extras().ports.value_or(kDefaultPorts);
    }
    return out;
}

void reserve_explicit(Domain& domain, Controllers& controllers) {
    for (std::size_t i = 0; i < domain.devices.size(); ++i) {
        const Device& d = domain.devices[i];
        const auto* a = std::get_if<VirtioSerialAddress>(&d.address);
        if (!(is_virtio_channel(d) || is_virtio_console(d)) || a == nullptr || a->port == 0) continue;
        auto c = controllers.find(a->controller);
        if (c == controllers.end() || a->port >= c->second.ports)
            throw Failure(Error{ErrorKind::InvalidAddress, domain.describe(i),
                                fmt::format("virtio-serial controller {} does not have port {}", a->controller,
                                            a->port)});
        if (!c->second.reserved.insert(a->port).second)
            throw Failure(Error{ErrorKind::AddressConflict, domain.describe(i),
                                fmt::format("virtio-serial port {} of controller {} is already in use", a->port,
                                            a->controller)});
    }
}

unsigned add_controller(Domain& domain, std::size_t for_device, Controllers& controllers) {
    unsigned index = 0;
    while (controllers.contains(index)) ++index;
    const std::size_t added = domain.add_implicit(model::implicit_controller("virtio-serial", index, ""));
    model::note_addition(
        domain, added, "controller-for-device",
        [&] { return fmt::format("every virtio-serial port was taken when {} needed one", domain.describe(for_device)); },
        for_device);
    controllers[index];
    return index;
}

// `open` is the first controller that may have a free port: ports are only
// taken, never given back, so a controller found full is not looked at
// again (a guest can have hundreds of controllers, full one after another).
VirtioSerialAddress choose_port(Domain& domain, std::size_t i, Controllers& controllers, Controllers::iterator& open) {
    if (const auto* a = std::get_if<VirtioSerialAddress>(&domain.devices[i].address)) {
        auto c = controllers.find(a->controller);
        std::optional<unsigned> port = c == controllers.end() ? std::nullopt : c->second.take();
        if (!port)
            throw Failure(Error{ErrorKind::Exhausted, domain.describe(i),
                                fmt::format("virtio-serial controller {} has no free port", a->controller)});
        model::note_placement(domain, i, "virtio-serial-first-free-port", [&] {
            return fmt::format("the first free port of virtio-serial controller {}, which its address names", a->controller);
        });
        return VirtioSerialAddress{a->controller, 0, *port};
    }
    for (; open != controllers.end(); ++open) {
        if (auto port = open->second.take()) {
            model::note_placement(domain, i, "virtio-serial-first-free-port", [&, index = open->first] {
                return fmt::format("the first free port, controller by controller: controller {}", index);
            });
            return VirtioSerialAddress{open->first, 0, *port};
        }
    }
    // Every controller is full: the one added is the only one with room.
    const unsigned added = add_controller(domain, i, controllers);
    model::note_placement(domain, i, "virtio-serial-first-free-port", [&] {
        return fmt::format("the first port of virtio-serial controller {}, added for it", added);
    });
    open = controllers.find(added);
    return VirtioSerialAddress{added, 0, *open->second.take()};
}

// A virtio console with a virtio-serial address but no port uses up the
// first free port of controller 0, whatever controller it names, and its
// address keeps port 0: libvirt 9.0 reserves it so and never writes it back.
void reserve_console_ports(Domain& domain, Controllers& controllers) {
    for (std::size_t i : domain.of_class(DeviceClass::Console)) {
        const auto* a = std::get_if<VirtioSerialAddress>(&domain.devices[i].address);
        if (!is_virtio_console(domain.devices[i]) || a == nullptr || a->port != 0) continue;
        auto first = controllers.find(0);
        if (first == controllers.end())
            throw Failure(Error{ErrorKind::Placement, domain.describe(i),
                                "a virtio console without a port needs virtio-serial controller 0, which is missing"});
        if (!first->second.take())
            throw Failure(Error{ErrorKind::Exhausted, domain.describe(i), "virtio-serial controller 0 has no free port"});
    }
}

}  // namespace

void assign_virtio_serial_addresses(Domain& domain) {
    Controllers controllers = controllers_of(domain);
    reserve_explicit(domain, controllers);
    reserve_console_ports(domain, controllers);
    auto open = controllers.begin();
    for (std::size_t i : domain.of_class(DeviceClass::Channel)) {
        const Device& d = domain.devices[i];
        const auto* a = std::get_if<VirtioSerialAddress>(&d.address);
        if (!is_virtio_channel(d) || (a != nullptr && a->port != 0)) continue;
        domain.devices[i].address = choose_port(domain, i, controllers, open);
    }
}

}  // namespace guestaddr::assigners
