#include "model/controller_table.hpp"

#include <algorithm>

namespace guestaddr::model {

void ControllerTable::rebuild(const std::deque<Device>& devices, const std::vector<std::size_t>& order) {
    by_type_.clear();
    for (std::size_t i : order) add(devices[i], i);
}

void ControllerTable::add(const Device& c, std::size_t i) {
    if (!c.index) return;  // numbered later (fill_controller_indexes), and entered then
    auto type = std::find_if(by_type_.begin(), by_type_.end(), [&](const auto& t) { return t.first == c.type.view(); });
    if (type == by_type_.end()) type = by_type_.insert(by_type_.end(), {c.type.str(), Indexes{}});
    type->second.try_emplace(*c.index, i);
}

std::optional<std::size_t> ControllerTable::find(std::string_view type, unsigned index) const {
    auto t = std::find_if(by_type_.begin(), by_type_.end(), [&](const auto& entry) { return entry.first == type; });
    if (t == by_type_.end()) return std::nullopt;
    auto found = t->second.find(index);
    if (found == t->second.end()) return std::nullopt;
    return found->second;
}

}  // namespace guestaddr::model
