#include "model/domain.hpp"

#include <algorithm>
#include <map>
#include <tuple>

namespace guestaddr::model {
namespace {

// Numbers the device just appended among those of its element and lists it
// by class; returns its index.
std::size_t enter_last(Domain& domain) {
    const std::size_t i = domain.devices.size() - 1;
    Device& d = domain.devices[i];
    // Found by the name's view: a string made for each device costs more than the lookup.
    auto count = domain.element_counts.find(d.element.view());
    if (count == domain.element_counts.end()) count = domain.element_counts.emplace(d.element.str(), 0).first;
    d.ordinal = static_cast<std::uint32_t>(count->second++);
    domain.by_class[static_cast<std::size_t>(d.cls)].push_back(i);
    return i;
}

}  // namespace

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

std::optional<std::size_t> Domain::find_controller_index(std::string_view type, unsigned index) const {
    return controller_table_.find(type, index);
}

void Domain::reindex_controllers() {
    controller_table_.rebuild(devices, controller_order);
    rebuild_controller_runs();
}

Device* Domain::find_controller(std::string_view type, unsigned index) {
    const std::optional<std::size_t> i = find_controller_index(type, index);
    return i ? &devices[*i] : nullptr;
}

const Device* Domain::find_controller(std::string_view type, unsigned index) const {
    return const_cast<Domain*>(this)->find_controller(type, index);
}

std::string Domain::describe(std::size_t i) const { return model::describe(devices[i], devices[i].ordinal); }

std::size_t Domain::add_parsed(Device&& device) {
    devices.push_back(std::move(device));
    return enter_last(*this);
}

Device& Domain::emplace_parsed(std::string_view element) {
    Device& d = devices.emplace_back();
    d.element = element;
    d.cls = device_class_from_element(element);
    enter_last(*this);
    return d;
}

std::size_t Domain::add_implicit(Device&& device) {
    device.implicit = true;
    devices.push_back(std::move(device));
    const std::size_t i = enter_last(*this);
    if (devices[i].cls == DeviceClass::Controller) {
        enter_controller(i);
        controller_table_.add(devices[i], i);
    }
    if (devices[i].cls == DeviceClass::Disk) disk_order.push_back(i);
    return i;
}

void Domain::rebuild_controller_runs() {
    controller_runs_.clear();
    controller_runs_apart_ = false;
    for (std::size_t pos = 0; pos < controller_order.size(); ++pos) {
        const std::string_view type = devices[controller_order[pos]].type.view();
        if (!controller_runs_.empty() && controller_runs_.back().type == type) {
            ++controller_runs_.back().end;
            continue;
        }
        if (controller_run(type) != nullptr) controller_runs_apart_ = true;
        controller_runs_.push_back({std::string(type), pos, pos + 1});
    }
}

Domain::ControllerRun* Domain::controller_run(std::string_view type) {
    for (ControllerRun& run : controller_runs_)
        if (run.type == type) return &run;
    return nullptr;
}

// Whether the runs still describe controller_order, checked at the ends of
// the one of `type` (constant time): a list changed behind their back (a
// controller's type set in place) has them worked out again.
bool Domain::controller_runs_match(std::string_view type) {
    const std::size_t size = controller_order.size();
    if (controller_runs_.empty()) return size == 0;
    if (controller_runs_.back().end != size) return false;
    const ControllerRun* run = controller_run(type);
    if (run == nullptr) return true;
    const auto type_at = [&](std::size_t pos) { return devices[controller_order[pos]].type.view(); };
    return type_at(run->begin) == type && type_at(run->end - 1) == type &&
           (run->begin == 0 || type_at(run->begin - 1) != type) && (run->end == size || type_at(run->end) != type);
}

// controller_order got an entry of `type` at `at`: its run grows, the later ones move.
void Domain::note_controller_entered(std::size_t at, std::string_view type) {
    ControllerRun* run = controller_run(type);
    if (run == nullptr) {
        controller_runs_apart_ = controller_runs_apart_ || at + 1 != controller_order.size();
        controller_runs_.push_back({std::string(type), at, at + 1});
        return;
    }
    if (at < run->begin || at > run->end) controller_runs_apart_ = true;
    for (ControllerRun& other : controller_runs_)
        if (&other != run && other.begin >= run->end) ++other.begin, ++other.end;
    ++run->end;
}

// Where libvirt enters an implicit controller `c` in its list: after the
// last controller of its type with a lower or equal index, else before the
// first of its type, else at the end. Between `first` and `last` of the list.
std::size_t Domain::controller_place(const Device& c, std::size_t first, std::size_t last) const {
    const unsigned index = c.index.value_or(0);
    std::optional<std::size_t> after, before;
    for (std::size_t pos = first; pos < last; ++pos) {
        const Device& other = devices[controller_order[pos]];
        if (other.type != c.type) continue;
        if (other.index.value_or(0) <= index) after = pos;
        else if (!before) before = pos;
    }
    return after ? *after + 1 : before.value_or(controller_order.size());
}

void Domain::enter_controller(std::size_t i) {
    const Device& c = devices[i];
    const std::string_view type = c.type.view();
    std::size_t at = controller_order.size();
    if (libvirt->implicit_controllers_join_their_type) {
        if (!controller_runs_match(type)) rebuild_controller_runs();
        const ControllerRun* run = controller_run(type);
        if (controller_runs_apart_) at = controller_place(c, 0, controller_order.size());
        // Controllers come in rising indexes (root ports, bridges): one that
        // is not below the last of its type goes right after it.
        else if (run && devices[controller_order[run->end - 1]].index.value_or(0) <= c.index.value_or(0)) at = run->end;
        else if (run) at = controller_place(c, run->begin, run->end);
    }
    controller_order.insert(controller_order.begin() + static_cast<std::ptrdiff_t>(at), i);
    note_controller_entered(at, type);
}

namespace {

// libvirt inserts each parsed controller and disk into its list, next to
// the others of its kind (its type, its bus); kinds stay in the order they
// first appear. These are the members of each kind, in document order.
template <class Kind>
std::vector<std::vector<std::size_t>> kinds_in_order(const std::vector<std::size_t>& members, Kind kind) {
    std::map<std::string_view, std::size_t> first_seen;
    std::vector<std::vector<std::size_t>> kinds;
    for (std::size_t i : members) {
        auto [it, added] = first_seen.emplace(kind(i), kinds.size());
        if (added) kinds.emplace_back();
        kinds[it->second].push_back(i);
    }
    return kinds;
}

// Within its kind a device goes before the first one it `goes_before`,
// else last. Where that relation is an order of keys, sorting gives the same
// list as inserting one by one (stably: equal keys keep document order).
template <class Key>
void sort_kind(std::vector<std::size_t>& kind, Key key) {
    std::vector<std::pair<decltype(key(0)), std::size_t>> keyed;  // each key worked out once
    keyed.reserve(kind.size());
    for (std::size_t i : kind) keyed.emplace_back(key(i), i);
    std::stable_sort(keyed.begin(), keyed.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    for (std::size_t n = 0; n < kind.size(); ++n) kind[n] = keyed[n].second;
}

template <class GoesBefore>
void insert_one_by_one(std::vector<std::size_t>& kind, GoesBefore goes_before) {
    std::vector<std::size_t> list;
    for (std::size_t i : kind)
        list.insert(std::find_if(list.begin(), list.end(), [&](std::size_t j) { return goes_before(i, j); }), i);
    kind = std::move(list);
}

// Where a controller that has its index stands among those of its type: by
// index, a USB master before the companions of its index.
std::pair<unsigned, bool> index_order(const Device& c) {
    return {c.index.value_or(0), c.extras().master_startport.has_value()};
}

// A controller goes before the first of its type that stands after it by
// index_order. One without an index (libvirt numbers it only later) is
// lower than any and goes last: later controllers pass it only to stand
// before a higher one. Without such controllers, this is a sort.
void order_controllers(const std::deque<Device>& devices, std::vector<std::size_t>& kind) {
    const bool all_indexed =
        std::all_of(kind.begin(), kind.end(), [&](std::size_t i) { return devices[i].index.has_value(); });
    if (all_indexed) {
        sort_kind(kind, [&](std::size_t i) { return index_order(devices[i]); });
        return;
    }
    insert_one_by_one(kind, [&](std::size_t added, std::size_t there) {
        const Device& a = devices[added];
        const Device& t = devices[there];
        return a.index && t.index && index_order(t) > index_order(a);
    });
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
    reindex_controllers();
}

std::vector<std::size_t> Domain::controllers_by_index() const {
    std::vector<std::size_t> order;
    for (std::vector<std::size_t>& kind :
         kinds_in_order(controller_order, [&](std::size_t i) -> std::string_view { return devices[i].type; })) {
        sort_kind(kind, [&](std::size_t i) { return index_order(devices[i]); });
        order.insert(order.end(), kind.begin(), kind.end());
    }
    return order;
}

void Domain::order_parsed_lists() {
    std::vector<std::size_t> controllers;
    std::vector<std::size_t> disks;
    for (std::size_t i = 0; i < devices.size(); ++i) {
        if (devices[i].implicit) continue;
        if (devices[i].cls == DeviceClass::Controller) controllers.push_back(i);
        if (devices[i].cls == DeviceClass::Disk) disks.push_back(i);
    }
    controller_order.clear();
    for (std::vector<std::size_t>& kind :
         kinds_in_order(controllers, [&](std::size_t i) -> std::string_view { return devices[i].type; })) {
        order_controllers(devices, kind);
        controller_order.insert(controller_order.end(), kind.begin(), kind.end());
    }
    reindex_controllers();
    disk_order.clear();
    for (std::vector<std::size_t>& kind :
         kinds_in_order(disks, [&](std::size_t i) -> std::string_view { return devices[i].bus; })) {
        sort_kind(kind, [&](std::size_t i) { return devices[i].target_index; });
        disk_order.insert(disk_order.end(), kind.begin(), kind.end());
    }
}

}  // namespace guestaddr::model
