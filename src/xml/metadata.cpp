#include "xml/metadata.hpp"

#include <algorithm>
#include <iterator>

#include <fmt/format.h>

#include "guestaddr/error.hpp"
#include "xml/numbers.hpp"

namespace guestaddr::xml {
namespace {

using model::BusPreference;
using model::KeyKind;
using model::Preference;

constexpr std::string_view kPrefix = "guestaddr";

[[noreturn]] void fail(const std::string& who, std::string message) {
    throw Failure(Error{ErrorKind::MalformedXml, who, std::move(message)});
}

std::string_view local_name(std::string_view name) {
    const std::size_t colon = name.find(':');
    return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

// The namespace an element's prefix stands for, looked up through the
// declarations in scope.
std::string_view namespace_of(pugi::xml_node e) {
    const std::string_view name = e.name();
    const std::size_t colon = name.find(':');
    const std::string attr = colon == std::string_view::npos ? "xmlns" : "xmlns:" + std::string(name.substr(0, colon));
    for (pugi::xml_node n = e; n; n = n.parent())
        if (pugi::xml_attribute a = n.attribute(attr.c_str())) return a.value();
    return {};
}

// An element of guestaddr's namespace; an undeclared "guestaddr:" prefix
// counts too (a DEVICE.xml written by hand), as guestaddr rewrites it anyway.
bool is_ours(pugi::xml_node e, std::string_view local) {
    if (e.type() != pugi::node_element || local_name(e.name()) != local) return false;
    const std::string_view ns = namespace_of(e);
    if (ns == model::kGuestaddrNamespace) return true;
    const std::string_view name = e.name();
    return ns.empty() && name.substr(0, name.find(':')) == kPrefix;
}

pugi::xml_node our_child(pugi::xml_node parent, std::string_view local) {
    for (pugi::xml_node c : parent.children())
        if (is_ours(c, local)) return c;
    return {};
}

std::optional<bool> yes_no(std::string_view value, std::string_view what, const std::string& who) {
    if (value.empty()) return std::nullopt;
    if (value == "yes") return true;
    if (value == "no") return false;
    fail(who, fmt::format("{}='{}' must be 'yes' or 'no'", what, value));
}

void set_field(Preference& p, std::string_view name, std::string_view value, const std::string& who) {
    if (name == "hotplug") {
        p.hotplug = yes_no(value, name, who);
    } else if (name == "bus") {
        if (value == "pci") p.bus = BusPreference::Pci;
        else if (value == "pcie") p.bus = BusPreference::Pcie;
        else fail(who, fmt::format("bus='{}' must be 'pci' or 'pcie'", value));
    } else if (name == "numa") {
        p.numa = parse_unsigned(value, Radix::Decimal);
        if (!p.numa) fail(who, fmt::format("numa='{}' is not a guest NUMA node number", value));
    } else {
        fail(who, fmt::format("unknown placement preference '{}' (known: hotplug, bus, numa)", name));
    }
}

constexpr KeyKind kKeyKinds[]{KeyKind::Alias, KeyKind::Mac, KeyKind::Target, KeyKind::Controller, KeyKind::Hostdev};

bool is_key_attribute(std::string_view name) {
    return std::any_of(std::begin(kKeyKinds), std::end(kKeyKinds),
                       [&](KeyKind kind) { return model::key_attribute(kind) == name; });
}

Preference read_preference(pugi::xml_node e, const std::string& who) {
    Preference p;
    for (pugi::xml_attribute a : e.attributes()) {
        const std::string_view name = a.name();
        if (is_key_attribute(name) || name.substr(0, 5) == "xmlns") continue;
        set_field(p, name, a.value(), who);
    }
    return p;
}

model::DeviceKey read_key(pugi::xml_node e) {
    for (KeyKind kind : kKeyKinds) {
        const std::string attr(model::key_attribute(kind));
        if (pugi::xml_attribute a = e.attribute(attr.c_str())) return {kind, a.value()};
    }
    fail("metadata", "<guestaddr:device> must name its device by alias, mac, target, controller or hostdev");
}

std::optional<unsigned> count_attribute(pugi::xml_node e, const char* name) {
    pugi::xml_attribute a = e.attribute(name);
    if (!a) return std::nullopt;
    std::optional<unsigned> n = parse_unsigned(a.value(), Radix::Decimal);
    if (!n) fail("metadata", fmt::format("<guestaddr:policy> {}='{}' is not a number", name, a.value()));
    return n;
}

void read_policy(pugi::xml_node e, model::Policy& policy) {
    policy.keep_free_hotplug = count_attribute(e, "keep-free-hotplug");
    policy.keep_free_hotplug_pci = count_attribute(e, "keep-free-hotplug-pci");
    policy.stable_nic_names = yes_no(e.attribute("stable-nic-names").value(), "stable-nic-names", "metadata").value_or(false);
}

pugi::xml_node our_element(pugi::xml_node root) {
    return our_child(root.child("metadata"), "guestaddr");
}

// libvirt writes <metadata> after the name, uuid, title and description.
pugi::xml_node metadata_or_new(pugi::xml_node root) {
    if (pugi::xml_node m = root.child("metadata")) return m;
    pugi::xml_node after;
    for (const char* name : {"name", "uuid", "genid", "title", "description"})
        if (pugi::xml_node n = root.child(name)) after = n;
    return after ? root.insert_child_after("metadata", after) : root.prepend_child("metadata");
}

// The name a new child of our element takes: our element's own prefix, or
// none where our namespace is its default one; a prefix with no declaration
// in scope (a hand-written "guestaddr:") gets one.
std::string child_name(pugi::xml_node ours, std::string_view local) {
    const std::string_view name = ours.name();
    const std::size_t colon = name.find(':');
    if (colon == std::string_view::npos && namespace_of(ours) == model::kGuestaddrNamespace) return std::string(local);
    const std::string prefix(colon == std::string_view::npos ? kPrefix : name.substr(0, colon));
    if (namespace_of(ours).empty())
        ours.append_attribute(("xmlns:" + prefix).c_str()).set_value(std::string(model::kGuestaddrNamespace).c_str());
    return fmt::format("{}:{}", prefix, local);
}

pugi::xml_node our_element_or_new(pugi::xml_node root) {
    if (pugi::xml_node ours = our_element(root)) return ours;
    pugi::xml_node ours = metadata_or_new(root).append_child("guestaddr:guestaddr");
    ours.append_attribute("xmlns:guestaddr").set_value(std::string(model::kGuestaddrNamespace).c_str());
    return ours;
}

void remove_ours(pugi::xml_node parent, std::string_view local) {
    for (pugi::xml_node c = parent.first_child(); c;) {
        pugi::xml_node next = c.next_sibling();
        if (is_ours(c, local)) parent.remove_child(c);
        c = next;
    }
}

void write_preference(pugi::xml_node e, const Preference& p) {
    if (p.hotplug) e.append_attribute("hotplug").set_value(*p.hotplug ? "yes" : "no");
    if (p.bus != BusPreference::Any) e.append_attribute("bus").set_value(p.bus == BusPreference::Pci ? "pci" : "pcie");
    if (p.numa) e.append_attribute("numa").set_value(*p.numa);
}

void write_policy(pugi::xml_node ours, const model::Policy& policy) {
    if (policy == model::Policy{}) return;
    pugi::xml_node e = ours.append_child(child_name(ours, "policy").c_str());
    if (policy.keep_free_hotplug) e.append_attribute("keep-free-hotplug").set_value(*policy.keep_free_hotplug);
    if (policy.keep_free_hotplug_pci) e.append_attribute("keep-free-hotplug-pci").set_value(*policy.keep_free_hotplug_pci);
    if (policy.stable_nic_names) e.append_attribute("stable-nic-names").set_value("yes");
}

void read_intent(pugi::xml_node ours, model::Intent& intent) {
    if (pugi::xml_node policy = our_child(ours, "policy")) read_policy(policy, intent.policy);
    for (pugi::xml_node c : ours.children()) {
        if (!is_ours(c, "device")) continue;
        model::DeviceKey key = read_key(c);
        const std::string who = fmt::format("metadata device {}='{}'", model::key_attribute(key.kind), key.value);
        intent.devices.push_back({std::move(key), read_preference(c, who)});
    }
}

std::optional<model::RulesStamp> read_stamp(pugi::xml_node ours) {
    pugi::xml_node rules = our_child(ours, "rules");
    if (!rules) return std::nullopt;
    model::RulesStamp stamp{rules.attribute("libvirt").value(), rules.attribute("qemu").value()};
    if (stamp.libvirt.empty()) fail("metadata", "<guestaddr:rules> has no libvirt version");
    return stamp;
}

void set(pugi::xml_node e, const char* name, const std::string& value) {
    pugi::xml_attribute a = e.attribute(name);
    if (!a) a = e.append_attribute(name);
    a.set_value(value.c_str());
}

// The stamp goes first in our element, and is rewritten only when the
// rules changed, so that a guest's stamp never moves in its file.
void write_stamp(pugi::xml_node root, const model::Domain& domain) {
    if (!domain.stamp_changed || !domain.stamp) return;
    pugi::xml_node ours = our_element_or_new(root);
    pugi::xml_node rules = our_child(ours, "rules");
    if (!rules) rules = ours.prepend_child(child_name(ours, "rules").c_str());
    set(rules, "libvirt", domain.stamp->libvirt);
    set(rules, "qemu", domain.stamp->qemu);
}

void write_intent(pugi::xml_node root, const model::Domain& domain) {
    if (!domain.intent.changed) return;
    pugi::xml_node ours = domain.intent.empty() ? our_element(root) : our_element_or_new(root);
    if (!ours) return;
    remove_ours(ours, "policy");
    remove_ours(ours, "device");
    write_policy(ours, domain.intent.policy);
    for (const model::PreferenceEntry& entry : domain.intent.devices) {
        pugi::xml_node e = ours.append_child(child_name(ours, "device").c_str());
        e.append_attribute(std::string(model::key_attribute(entry.key.kind)).c_str()).set_value(entry.key.value.c_str());
        write_preference(e, entry.prefer);
    }
}

}  // namespace

void read_metadata(const pugi::xml_node& root, model::Domain& domain) {
    pugi::xml_node ours = our_element(root);
    if (!ours) return;
    read_intent(ours, domain.intent);
    domain.stamp = read_stamp(ours);
}

std::optional<Preference> take_inline_preference(pugi::xml_node device, const std::string& who) {
    pugi::xml_node prefer = our_child(device, "prefer");
    if (!prefer) return std::nullopt;
    Preference p = read_preference(prefer, who);
    device.remove_child(prefer);
    // A declaration on the device element itself served only the preference.
    device.remove_attribute(("xmlns:" + std::string(kPrefix)).c_str());
    return p;
}

Preference parse_preference_text(std::string_view text, const std::string& who) {
    Preference p;
    while (!text.empty()) {
        const std::size_t comma = text.find(',');
        const std::string_view item = text.substr(0, comma);
        text = comma == std::string_view::npos ? std::string_view() : text.substr(comma + 1);
        const std::size_t eq = item.find('=');
        if (eq == std::string_view::npos)
            fail(who, fmt::format("--prefer '{}' must be NAME=VALUE (hotplug=yes|no, bus=pci|pcie, numa=N)", item));
        set_field(p, item.substr(0, eq), item.substr(eq + 1), who);
    }
    return p;
}

void write_metadata(pugi::xml_node root, const model::Domain& domain) {
    write_stamp(root, domain);
    write_intent(root, domain);
}

}  // namespace guestaddr::xml
