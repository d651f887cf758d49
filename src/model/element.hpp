// A plain copy of an XML element (name, attributes, children, text), for
// front ends that need more of a device than addressing does, such as the
// backends on a QEMU command line. Keeps pugixml out of everything but xml/.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace guestaddr::model {

struct Element {
    std::string name;
    std::vector<std::pair<std::string, std::string>> attributes;
    std::vector<Element> children;
    std::string text;

    // The attribute's value, or nullopt.
    std::optional<std::string_view> attribute(std::string_view key) const;
    // The value, or `fallback`.
    std::string_view attribute_or(std::string_view key, std::string_view fallback) const;
    // The first child with this name, or nullptr.
    const Element* child(std::string_view child_name) const;
    // A descendant along a path such as "source/address", or nullptr.
    const Element* find(std::string_view path) const;
};

}  // namespace guestaddr::model
