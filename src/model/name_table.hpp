// A fixed table from names to values, searched by halving: it is looked up
// for every element of definitions with thousands of devices.
#pragma once

#include <algorithm>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace guestaddr::model {

template <class Value>
class NameTable {
public:
    explicit NameTable(std::vector<std::pair<std::string_view, Value>> entries) : entries_(std::move(entries)) {
        std::sort(entries_.begin(), entries_.end(),
                  [](const auto& a, const auto& b) { return a.first < b.first; });
    }

    std::optional<Value> find(std::string_view name) const {
        auto it = std::lower_bound(entries_.begin(), entries_.end(), name,
                                   [](const auto& entry, std::string_view n) { return entry.first < n; });
        if (it == entries_.end() || it->first != name) return std::nullopt;
        return it->second;
    }

private:
    std::vector<std::pair<std::string_view, Value>> entries_;
};

}  // namespace guestaddr::model
