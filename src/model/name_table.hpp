// A fixed table from names to values: it is looked up for every element of
// definitions with thousands of devices, where comparing a name with each
// entry in turn showed in the profile.
#pragma once

#include <optional>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

namespace guestaddr::model {

template <class Value>
class NameTable {
public:
    explicit NameTable(const std::vector<std::pair<std::string_view, Value>>& entries)
        : entries_(entries.begin(), entries.end()) {}

    std::optional<Value> find(std::string_view name) const {
        auto it = entries_.find(name);
        if (it == entries_.end()) return std::nullopt;
        return it->second;
    }

private:
    std::unordered_map<std::string_view, Value> entries_;
};

}  // namespace guestaddr::model
