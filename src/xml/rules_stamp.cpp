#include "xml/rules_stamp.hpp"

#include <string>
#include <string_view>

#include "guestaddr/error.hpp"

namespace guestaddr::xml {
namespace {

std::string_view prefix_of(std::string_view name) {
    const std::size_t colon = name.find(':');
    return colon == std::string_view::npos ? std::string_view() : name.substr(0, colon);
}

std::string_view local_name(std::string_view name) {
    const std::size_t colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

// The namespace an element's prefix stands for, through the declarations in scope.
std::string_view namespace_of(pugi::xml_node e) {
    const std::string_view prefix = prefix_of(e.name());
    const std::string attr = prefix.empty() ? "xmlns" : "xmlns:" + std::string(prefix);
    for (pugi::xml_node n = e; n; n = n.parent())
        if (pugi::xml_attribute a = n.attribute(attr.c_str())) return a.value();
    return {};
}

pugi::xml_node our_child(pugi::xml_node parent, std::string_view local) {
    for (pugi::xml_node c : parent.children())
        if (c.type() == pugi::node_element && local_name(c.name()) == local && namespace_of(c) == kGuestaddrNamespace)
            return c;
    return {};
}

// libvirt writes <metadata> after the name, uuid, title and description.
pugi::xml_node metadata_or_new(pugi::xml_node root) {
    if (pugi::xml_node m = root.child("metadata")) return m;
    pugi::xml_node after;
    for (const char* name : {"name", "uuid", "genid", "title", "description"})
        if (pugi::xml_node n = root.child(name)) after = n;
    return after ? root.insert_child_after("metadata", after) : root.prepend_child("metadata");
}

pugi::xml_node our_element_or_new(pugi::xml_node root) {
    pugi::xml_node metadata = metadata_or_new(root);
    if (pugi::xml_node ours = our_child(metadata, "guestaddr")) return ours;
    pugi::xml_node ours = metadata.append_child("guestaddr:guestaddr");
    ours.append_attribute("xmlns:guestaddr").set_value(kGuestaddrNamespace);
    return ours;
}

void set(pugi::xml_node e, const char* name, const std::string& value) {
    pugi::xml_attribute a = e.attribute(name);
    if (!a) a = e.append_attribute(name);
    a.set_value(value.c_str());
}

}  // namespace

std::optional<model::RulesStamp> read_rules_stamp(const pugi::xml_node& root) {
    pugi::xml_node ours = our_child(root.child("metadata"), "guestaddr");
    pugi::xml_node rules = ours ? our_child(ours, "rules") : pugi::xml_node();
    if (!rules) return std::nullopt;
    model::RulesStamp stamp{rules.attribute("libvirt").value(), rules.attribute("qemu").value()};
    if (stamp.libvirt.empty())
        throw Failure(Error{ErrorKind::MalformedXml, "metadata", "<guestaddr:rules> has no libvirt version"});
    return stamp;
}

void write_rules_stamp(pugi::xml_node root, const model::Domain& domain) {
    if (!domain.stamp_changed || !domain.stamp) return;
    pugi::xml_node ours = our_element_or_new(root);
    pugi::xml_node rules = our_child(ours, "rules");
    if (!rules) {
        const std::string_view prefix = prefix_of(ours.name());
        const std::string name = prefix.empty() ? "rules" : std::string(prefix) + ":rules";
        rules = ours.prepend_child(name.c_str());
    }
    set(rules, "libvirt", domain.stamp->libvirt);
    set(rules, "qemu", domain.stamp->qemu);
}

}  // namespace guestaddr::xml
