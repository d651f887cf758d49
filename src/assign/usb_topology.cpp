#include "assign/usb_topology.hpp"

#include <fmt/format.h>

#include "guestaddr/error.hpp"

namespace guestaddr::assigners {
namespace {

[[noreturn]] void fail(ErrorKind kind, const std::string& who, std::string message) {
    throw Failure(Error{kind, who, std::move(message)});
}

std::string describe(const UsbAddress& a) { return fmt::format("bus {} port {}", a.bus, a.port_string()); }

}  // namespace

std::optional<std::vector<unsigned>> UsbHub::first_free() const {
    if (free_below_ == 0) return std::nullopt;
    for (unsigned p = 0; p < taken_.size(); ++p)
        if (!taken_[p]) return std::vector<unsigned>{p + 1};
    for (unsigned p = 0; p < children_.size(); ++p) {
        if (!children_[p]) continue;
        if (auto below = children_[p]->first_free()) {
            below->insert(below->begin(), p + 1);
            return below;
        }
    }
    return std::nullopt;
}

void UsbTopology::add_controller(unsigned bus, unsigned ports) {
    auto& root = roots_[bus];
    if (!root) {
        root = std::make_unique<UsbHub>(ports);
        root->free_below_ = ports;
        return;
    }
    // USB2 companions share their master's bus: the ports add up.
    auto grown = std::make_unique<UsbHub>(root->port_count() + ports);
    grown->free_below_ = root->free_below_ + ports;
    root = std::move(grown);
}

void UsbTopology::reserve(const UsbAddress& a, unsigned hub_ports, const model::DeviceLabel& who) {
    auto root = roots_.find(a.bus);
    if (root == roots_.end())
        fail(ErrorKind::Placement, who(), fmt::format("there is no USB controller with index {}", a.bus));
    UsbHub* hub = root->second.get();
    for (std::size_t level = 0; level + 1 < a.port.size(); ++level) {
        unsigned p = a.port[level];
        if (p > hub->port_count() || !hub->children_[p - 1])
            fail(ErrorKind::Placement, who(),
                 fmt::format("there is no hub at port {} in USB address {}", p, describe(a)));
        hub = hub->children_[p - 1].get();
    }
    unsigned last = a.port.back();
    if (last > hub->port_count())
        fail(ErrorKind::InvalidAddress, who(),
             fmt::format("requested USB port {} not present on USB bus {}", last, a.bus));
    if (hub->taken_[last - 1])
        fail(ErrorKind::AddressConflict, who(), fmt::format("USB address {} is already in use", describe(a)));
    take(a, hub_ports);
}

void UsbTopology::take(const UsbAddress& a, unsigned hub_ports) {
    UsbHub* hub = roots_.at(a.bus).get();
    std::vector<UsbHub*> path{hub};
    for (std::size_t level = 0; level + 1 < a.port.size(); ++level) {
        hub = hub->children_[a.port[level] - 1].get();
        path.push_back(hub);
    }
    const unsigned last = a.port.back() - 1;
    hub->taken_[last] = true;
    for (UsbHub* h : path) h->free_below_ = h->free_below_ - 1 + hub_ports;
    if (hub_ports == 0) return;
    hub->children_[last] = std::make_unique<UsbHub>(hub_ports);
    hub->children_[last]->free_below_ = hub_ports;
}

UsbAddress UsbTopology::allocate(std::optional<unsigned> bus, unsigned hub_ports, const model::DeviceLabel& who) {
    for (auto& [index, root] : roots_) {
        if (bus && index != *bus) continue;
        if (auto path = root->first_free()) {
            UsbAddress a{index, std::move(*path)};
            take(a, hub_ports);
            return a;
        }
    }
    fail(ErrorKind::Exhausted, who(), bus ? fmt::format("no free USB port on bus {}", *bus) : "no free USB port");
}

}  // namespace guestaddr::assigners
