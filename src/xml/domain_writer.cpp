#include <algorithm>
#include <array>
#include <charconv>
#include <vector>

#include "model/name_table.hpp"
#include "xml/document.hpp"

namespace guestaddr::xml {
namespace {

using model::Device;
using model::DeviceClass;

// The order libvirt formats <devices> children in; new elements are put
// among their kind accordingly.
constexpr std::array kFormatOrder{
    "emulator", "disk",  "controller", "lease",   "filesystem", "interface", "smartcard", "serial",
    "parallel", "console", "channel",  "input",   "tpm",        "graphics",  "sound",     "audio",
    "video",    "hostdev", "redirdev", "redirfilter", "hub",    "watchdog",  "memballoon", "rng",
    "nvram",    "panic",   "shmem",    "memory",  "iommu",      "vsock",     "crypto",
};

std::size_t format_rank(std::string_view element) {
    static const model::NameTable<std::size_t> ranks = [] {
        std::vector<std::pair<std::string_view, std::size_t>> entries;
        for (std::size_t i = 0; i < kFormatOrder.size(); ++i) entries.emplace_back(kFormatOrder[i], i);
        return model::NameTable<std::size_t>(std::move(entries));
    }();
    return ranks.find(element).value_or(kFormatOrder.size());
}

// A number as text, without allocating: formatting is most of the work of
// writing 10,000 addresses.
class Number {
public:
    // Decimal.
    explicit Number(unsigned v) { end_ = std::to_chars(text_.data(), text_.data() + text_.size(), v).ptr; }
    // "0x" and at least `digits` lower-case hex digits, as libvirt writes PCI numbers.
    Number(unsigned v, int digits) {
        char hex[8];
        const char* hex_end = std::to_chars(hex, hex + sizeof hex, v, 16).ptr;
        char* out = text_.data();
        *out++ = '0';
        *out++ = 'x';
        for (auto n = hex_end - hex; n < digits; ++n) *out++ = '0';
        end_ = std::copy(static_cast<const char*>(hex), hex_end, out);
    }
    operator std::string_view() const { return {text_.data(), static_cast<std::size_t>(end_ - text_.data())}; }

private:
    std::array<char, 16> text_{};
    char* end_;
};

void set_attr(pugi::xml_node node, const char* name, std::string_view value) {
    pugi::xml_attribute a = node.attribute(name);
    if (!a) a = node.append_attribute(name);
    a.set_value(value.data(), value.size());
}

// For an element guestaddr has just made: it has no attributes to replace.
void add_attr(pugi::xml_node node, const char* name, std::string_view value) {
    node.append_attribute(name).set_value(value.data(), value.size());
}

pugi::xml_node child_or_new(pugi::xml_node parent, const char* name) {
    pugi::xml_node c = parent.child(name);
    return c ? c : parent.append_child(name);
}

struct AddressWriter {
    pugi::xml_node e;
    void operator()(std::monostate) const {}
    void operator()(const PciAddress& a) const {
        add_attr(e, "type", "pci");
        add_attr(e, "domain", Number(a.domain, 4));
        add_attr(e, "bus", Number(a.bus, 2));
        add_attr(e, "slot", Number(a.slot, 2));
        add_attr(e, "function", Number(a.function, 1));
        if (a.multifunction != Multifunction::Absent)
            add_attr(e, "multifunction", a.multifunction == Multifunction::On ? "on" : "off");
    }
    void operator()(const DriveAddress& a) const {
        add_attr(e, "type", "drive");
        add_attr(e, "controller", Number(a.controller));
        add_attr(e, "bus", Number(a.bus));
        add_attr(e, "target", Number(a.target));
        add_attr(e, "unit", Number(a.unit));
    }
    void operator()(const UsbAddress& a) const {
        add_attr(e, "type", "usb");
        add_attr(e, "bus", Number(a.bus));
        if (!a.port.empty()) add_attr(e, "port", a.port_string());
    }
    void operator()(const VirtioSerialAddress& a) const {
        add_attr(e, "type", "virtio-serial");
        add_attr(e, "controller", Number(a.controller));
        add_attr(e, "bus", Number(a.bus));
        add_attr(e, "port", Number(a.port));
    }
    void operator()(const CcidAddress& a) const {
        add_attr(e, "type", "ccid");
        add_attr(e, "controller", Number(a.controller));
        add_attr(e, "slot", Number(a.slot));
    }
    void operator()(const OtherAddress& a) const {
        add_attr(e, "type", a.type);
        for (const auto& [name, value] : a.attributes) set_attr(e, name.c_str(), value);
    }
};

void write_address(pugi::xml_node node, const Device& d) {
    if (!d.has_address()) return;
    // One <address> per device (a second one in the input is dropped, as
    // libvirt reads only the first).
    while (pugi::xml_node old = node.child("address")) node.remove_child(old);
    pugi::xml_node e = node.append_child("address");
    std::visit(AddressWriter{e}, d.address);
}

// libvirt 9.0 drops PCI controller options it does not know (memReserve
// came later); keeping them would describe a different guest.
void keep_known_target_options(pugi::xml_node target) {
    static constexpr std::array<std::string_view, 6> kKnown{"chassisNr", "chassis", "port", "busNr", "index", "hotplug"};
    for (pugi::xml_attribute a = target.first_attribute(); a;) {
        pugi::xml_attribute next = a.next_attribute();
        if (std::find(kKnown.begin(), kKnown.end(), std::string_view(a.name())) == kKnown.end()) target.remove_attribute(a);
        a = next;
    }
}

void write_controller(pugi::xml_node node, const Device& d) {
    if (d.index) set_attr(node, "index", Number(*d.index));
    if (!d.model.empty()) set_attr(node, "model", d.model);
    if (d.ports) set_attr(node, "ports", Number(*d.ports));
    if (!d.model_name.empty()) set_attr(child_or_new(node, "model"), "name", d.model_name);
    if (d.master_startport) set_attr(child_or_new(node, "master"), "startport", Number(*d.master_startport));
    if (d.type == "pci") keep_known_target_options(node.child("target"));
    const model::ControllerTarget& t = d.ctarget;
    if (!t.chassis_nr && !t.chassis && !t.port && !t.bus_nr && !t.index && !t.hotplug && !t.node) return;
    pugi::xml_node target = child_or_new(node, "target");
    if (t.chassis_nr) set_attr(target, "chassisNr", Number(*t.chassis_nr));
    if (t.chassis) set_attr(target, "chassis", Number(*t.chassis));
    if (t.port) set_attr(target, "port", Number(*t.port, 1));
    if (t.bus_nr) set_attr(target, "busNr", Number(*t.bus_nr));
    if (t.index) set_attr(target, "index", Number(*t.index));
    if (t.hotplug) set_attr(target, "hotplug", *t.hotplug ? "on" : "off");
}

void write_chardev_target(pugi::xml_node node, const Device& d) {
    if (d.target_type.empty() && !d.target_port && d.target_model.empty()) return;
    pugi::xml_node target = child_or_new(node, "target");
    if (!d.target_type.empty()) set_attr(target, "type", d.target_type);
    if (d.target_port) set_attr(target, "port", Number(*d.target_port));
    if (!d.target_name.empty()) set_attr(target, "name", d.target_name);
    if (!d.target_model.empty()) set_attr(child_or_new(target, "model"), "name", d.target_model);
}

void write_model_type(pugi::xml_node node, const Device& d) {
    if (!d.model.empty()) set_attr(child_or_new(node, "model"), "type", d.model);
}

// Writes the fields guestaddr may have filled in (defaults, addresses).
void write_device(pugi::xml_node node, const Device& d) {
    if (!d.type.empty() && d.cls != DeviceClass::Disk) set_attr(node, "type", d.type);
    switch (d.cls) {
    case DeviceClass::Controller: write_controller(node, d); break;
    case DeviceClass::Serial:
    case DeviceClass::Console:
    case DeviceClass::Channel:
    case DeviceClass::Parallel: write_chardev_target(node, d); break;
    case DeviceClass::Video:
        write_model_type(node, d);
        if (d.primary) set_attr(node.child("model"), "primary", "yes");
        break;
    case DeviceClass::Interface:
        if (!node.child("mac") && !d.mac.empty()) set_attr(node.prepend_child("mac"), "address", d.mac);
        write_model_type(node, d);
        break;
    case DeviceClass::Input: if (!d.bus.empty()) set_attr(node, "bus", d.bus); break;
    case DeviceClass::Disk:
        if (!d.bus.empty()) set_attr(child_or_new(node, "target"), "bus", d.bus);
        break;
    case DeviceClass::Memballoon:
    case DeviceClass::Sound:
    case DeviceClass::Watchdog:
        if (!d.model.empty()) set_attr(node, "model", d.model);
        break;
    default: break;
    }
    write_address(node, d);
}

// The last element named `name`, else the last one libvirt formats before
// such elements. Walking back from the end finds it at once in a definition
// in libvirt's order, however many devices it has; in one that is not, the
// new element goes after the last one it could follow.
pugi::xml_node last_of_kind_or_before(pugi::xml_node devices, const char* name) {
    const std::size_t rank = format_rank(name);
    for (pugi::xml_node c = devices.last_child(); c; c = c.previous_sibling()) {
        if (c.type() != pugi::node_element) continue;
        if (std::string_view(c.name()) == name || format_rank(c.name()) < rank) return c;
    }
    return {};
}

// Where a new element for `d` goes: after the previous device of its kind
// (for controllers, the previous one in libvirt's controller order), else
// after the last element that libvirt formats before its kind.
pugi::xml_node insert_new(pugi::xml_node devices, const model::Domain& domain, std::size_t index,
                          const std::vector<pugi::xml_node>& nodes) {
    const Device& d = domain.devices[index];
    const char* name = model::element_name(d.cls);
    if (d.cls == DeviceClass::Controller) {
        const auto& order = domain.controller_order;
        auto pos = std::find(order.begin(), order.end(), index);
        for (auto it = pos; it != order.begin();) {
            --it;
            if (nodes[*it]) return devices.insert_child_after(name, nodes[*it]);
        }
        for (auto it = pos + 1; it != order.end(); ++it)
            if (nodes[*it]) return devices.insert_child_before(name, nodes[*it]);
    }
    if (d.leads_its_kind) {
        if (pugi::xml_node first = devices.child(name)) return devices.insert_child_before(name, first);
    }
    if (pugi::xml_node before = last_of_kind_or_before(devices, name)) return devices.insert_child_after(name, before);
    if (pugi::xml_node first = devices.find_child([](pugi::xml_node c) { return c.type() == pugi::node_element; }))
        return devices.insert_child_before(name, first);
    return devices.append_child(name);
}

// libvirt lists the primary video first, whatever its place in the input.
void put_primary_video_first(pugi::xml_node devices, const model::Domain& domain,
                             const std::vector<pugi::xml_node>& nodes) {
    std::vector<std::size_t> videos = domain.of_class(DeviceClass::Video);
    if (videos.empty() || !nodes[videos.front()]) return;
    pugi::xml_node first = devices.child("video");
    if (first != nodes[videos.front()]) devices.insert_move_before(nodes[videos.front()], first);
}

struct StringWriter : pugi::xml_writer {
    std::string out;
    void write(const void* data, size_t size) override { out.append(static_cast<const char*>(data), size); }
};

// libvirt writes empty elements as <a/>, pugixml as <a />. (" />" cannot
// occur in text or attribute values: pugixml escapes their '>'.) Done in
// place, and looking for '/', which is rarer than ' ' in indented XML.
void tighten_empty_elements(std::string& text) {
    std::size_t out = 0;
    std::size_t from = 0;
    for (std::size_t at = text.find('/', 1); at != std::string::npos; at = text.find('/', at + 1)) {
        if (text[at - 1] != ' ' || at + 1 == text.size() || text[at + 1] != '>') continue;
        // Forward copy of an overlapping range: allowed, as out <= from.
        const auto kept = static_cast<std::ptrdiff_t>(at - 1 - from);
        std::copy_n(text.begin() + static_cast<std::ptrdiff_t>(from), kept, text.begin() + static_cast<std::ptrdiff_t>(out));
        out += static_cast<std::size_t>(kept);
        from = at;
    }
    std::copy(text.begin() + static_cast<std::ptrdiff_t>(from), text.end(), text.begin() + static_cast<std::ptrdiff_t>(out));
    text.resize(out + text.size() - from);
}

}  // namespace

std::string write_domain(Document& document, const model::Domain& domain) {
    pugi::xml_node root = document.tree.document_element();
    pugi::xml_node os_type = child_or_new(child_or_new(root, "os"), "type");
    if (!domain.arch.empty()) set_attr(os_type, "arch", domain.arch);
    if (!domain.machine.empty()) set_attr(os_type, "machine", domain.machine);
    pugi::xml_node devices = child_or_new(root, "devices");

    std::vector<pugi::xml_node>& nodes = document.added_nodes;
    nodes.resize(domain.devices.size());
    for (std::size_t i = 0; i < domain.devices.size(); ++i)
        if (domain.devices[i].node != Device::kNoNode) nodes[i] = document.device_nodes[domain.devices[i].node];
    for (std::size_t i = 0; i < domain.devices.size(); ++i) {
        if (domain.devices[i].discarded) {
            if (nodes[i]) devices.remove_child(nodes[i]);
            nodes[i] = pugi::xml_node();
            continue;
        }
        if (!nodes[i]) nodes[i] = insert_new(devices, domain, i, nodes);
        write_device(nodes[i], domain.devices[i]);
    }
    put_primary_video_first(devices, domain, nodes);
    StringWriter writer;
    document.tree.save(writer, "  ",
                       pugi::format_indent | pugi::format_attribute_single_quote | pugi::format_no_declaration);
    tighten_empty_elements(writer.out);
    return std::move(writer.out);
}

}  // namespace guestaddr::xml
