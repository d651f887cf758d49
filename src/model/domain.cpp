#include "model/domain.hpp"

#include <algorithm>
#include <map>
#include <tuple>


namespace guestaddr::model {

std::vector<std::size_t> Domain::of_class(DeviceClass cls) const {
    if (cls == DeviceClass::Controller) return controller_order;
    if (cls == DeviceClass::Disk) return disk_order;
    std::vector<std::size_t> out = by_class[static_cast<std::size_t>(cls)];
    // An implicit device that libvirt puts first (the console mirroring the
    // first serial port) leads its list.
    std::stable_partition(out.begin(), out.end(), [&](std::size_t i) { return devices[i].leads_its_kind; });
    if (cls == DeviceClass::Video) {
        auto primary = std::find_if(out.begin(), out.end(), [&](std::size_t i) { return devices[i].primary; });
        if (primary != out.end()) std::rotate(out.begin(), primary, primary + 1);
    }
    return out;
}

Device* Domain::find_controller(std::string_view type, unsigned index) {
    for (std::size_t i : controller_order) {
        Device& c = devices[i];
        if (c.type == type && c.index == index) return &c;
    }
    return nullptr;
}

const Device* Domain::find_controller(std::string_view type, unsigned index) const {
    return const_cast<Domain*>(this)->find_controller(type, index);
}

std::string Domain::describe(std::size_t i) const { return model::describe(devices[i], devices[i].ordinal); }

std::size_t Domain::add_parsed(Device&& device) {
    device.ordinal = element_counts[device.element]++;
    by_class[static_cast<std::size_t>(device.cls)].push_back(devices.size());
    devices.push_back(std::move(device));
    return devices.size() - 1;
}

Device& Domain::emplace_parsed(std::string_view element) {
    Device& d = devices.emplace_back();
    d.element = element;
    d.cls = device_class_from_element(element);
    d.ordinal = element_counts[d.element]++;
    by_class[static_cast<std::size_t>(d.cls)].push_back(devices.size() - 1);
    return d;
}

std::size_t Domain::add_implicit(Device&& device) {
    device.implicit = true;
    device.ordinal = element_counts[device.element]++;
    by_class[static_cast<std::size_t>(device.cls)].push_back(devices.size());
    devices.push_back(std::move(device));
    std::size_t i = devices.size() - 1;
    if (devices[i].cls == DeviceClass::Controller) controller_order.push_back(i);
    if (devices[i].cls == DeviceClass::Disk) disk_order.push_back(i);
    return i;
}

namespace {

// libvirt inserts each parsed controller and disk into its list so that the
// devices of one kind stay together, in the order the kinds first appear,
// and are sorted within their kind (stably: equal keys keep document
// order). Sorting once gives the same list as inserting one by one.
template <class Kind, class Key>
std::vector<std::size_t> grouped_order(const std::vector<std::size_t>& members, Kind kind, Key key) {
    // Each member's group and key, worked out once rather than in every comparison.
    struct Entry {
        std::size_t group;
        decltype(key(0)) sort_key;
        std::size_t member;
    };
    std::map<std::string_view, std::size_t> first_seen;
    std::vector<Entry> entries;
    entries.reserve(members.size());
    for (std::size_t i : members)
        entries.push_back(Entry{first_seen.emplace(kind(i), first_seen.size()).first->second, key(i), i});
    std::stable_sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
        return std::tie(a.group, a.sort_key) < std::tie(b.group, b.sort_key);
    });
    std::vector<std::size_t> order;
    order.reserve(entries.size());
    for (const Entry& e : entries) order.push_back(e.member);
    return order;
}

}  // namespace

void Domain::remove(std::size_t i) {
    devices.erase(devices.begin() + static_cast<std::ptrdiff_t>(i));
    auto drop = [i](std::vector<std::size_t>& order) {
        std::erase(order, i);
        for (std::size_t& j : order)
            if (j > i) --j;
    };
    drop(controller_order);
    drop(disk_order);
    for (std::vector<std::size_t>& members : by_class) drop(members);
}

void Domain::order_parsed_lists() {
    std::vector<std::size_t> controllers;
    std::vector<std::size_t> disks;
    for (std::size_t i = 0; i < devices.size(); ++i) {
        if (devices[i].implicit) continue;
        if (devices[i].cls == DeviceClass::Controller) controllers.push_back(i);
        if (devices[i].cls == DeviceClass::Disk) disks.push_back(i);
    }
    // A controller without an index goes after the others of its type; a
    // USB companion after the master of its index.
    controller_order = grouped_order(
        controllers, [&](std::size_t i) -> std::string_view { return devices[i].type; },
        [&](std::size_t i) {
            const Device& c = devices[i];
            return std::tuple(!c.index.has_value(), c.index.value_or(0), c.master_startport.has_value());
        });
    disk_order = grouped_order(
        disks, [&](std::size_t i) -> std::string_view { return devices[i].bus; },
        [&](std::size_t i) { return devices[i].target_index; });
}

}  // namespace guestaddr::model
