#include "model/element.hpp"

namespace guestaddr::model {

std::optional<std::string_view> Element::attribute(std::string_view key) const {
    for (const auto& [k, v] : attributes)
        if (k == key) return v;
    return std::nullopt;
}

std::string_view Element::attribute_or(std::string_view key, std::string_view fallback) const {
    return attribute(key).value_or(fallback);
}

const Element* Element::child(std::string_view child_name) const {
    for (const Element& c : children)
        if (c.name == child_name) return &c;
    return nullptr;
}

const Element* Element::find(std::string_view path) const {
    const Element* at = this;
    while (at != nullptr && !path.empty()) {
        const std::size_t slash = path.find('/');
        at = at->child(path.substr(0, slash));
        path = slash == std::string_view::npos ? std::string_view() : path.substr(slash + 1);
    }
    return at;
}

}  // namespace guestaddr::model
