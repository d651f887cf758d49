#include <algorithm>
#include <array>
#include <vector>

#include "model/name_table.hpp"
#include "xml/document.hpp"
#include "xml/metadata.hpp"
#include "xml/number_text.hpp"
#include "xml/text_writer.hpp"

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

void set_attr(pugi::xml_node node, const char* name, std::string_view value) {
    pugi::xml_attribute a = node.attribute(name);
    if (!a) a = node.append_attribute(name);
    else if (value == a.value()) return;  // mostly so: the input's own value
    a.set_value(value.data(), value.size());
}

void remove_children(pugi::xml_node parent, const char* name) {
    while (pugi::xml_node child = parent.child(name)) parent.remove_child(child);
}

pugi::xml_node child_or_new(pugi::xml_node parent, const char* name) {
    pugi::xml_node c = parent.child(name);
    return c ? c : parent.append_child(name);
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
    if (d.index) set_attr(node, "index", NumberText(*d.index));
    if (!d.model.empty()) set_attr(node, "model", d.model);
    if (d.extras().ports) set_attr(node, "ports", NumberText(*d.extras().ports));
    if (!d.extras().model_name.empty()) set_attr(child_or_new(node, "model"), "name", d.extras().model_name);
    if (d.extras().master_startport) set_attr(child_or_new(node, "master"), "startport", NumberText(*d.extras().master_startport));
    if (d.type == "pci") keep_known_target_options(node.child("target"));
    const model::ControllerTarget& t = d.extras().ctarget;
    if (!t.chassis_nr && !t.chassis && !t.port && !t.bus_nr && !t.index && !t.hotplug && !t.node) return;
    pugi::xml_node target = child_or_new(node, "target");
    if (t.chassis_nr) set_attr(target, "chassisNr", NumberText(*t.chassis_nr));
    if (t.chassis) set_attr(target, "chassis", NumberText(*t.chassis));
    if (t.port) set_attr(target, "port", NumberText(*t.port, 1));
    if (t.bus_nr) set_attr(target, "busNr", NumberText(*t.bus_nr));
    if (t.index) set_attr(target, "index", NumberText(*t.index));
    if (t.hotplug) set_attr(target, "hotplug", *t.hotplug ? "on" : "off");
    if (t.node && !target.child("node")) target.append_child("node").text().set(*t.node);
}

void write_chardev_target(pugi::xml_node node, const Device& d) {
    if (d.target_type.empty() && !d.target_port && d.extras().target_model.empty()) return;
    pugi::xml_node target = child_or_new(node, "target");
    // An ISA serial port on an ARM board loses its type.
    if (!d.target_type.empty()) set_attr(target, "type", d.target_type);
    else target.remove_attribute("type");
    if (d.target_port) set_attr(target, "port", NumberText(*d.target_port));
    if (!d.target_name.empty()) set_attr(target, "name", d.target_name);
    if (!d.extras().target_model.empty()) set_attr(child_or_new(target, "model"), "name", d.extras().target_model);
}

void write_model_type(pugi::xml_node node, const Device& d) {
    if (!d.model.empty()) set_attr(child_or_new(node, "model"), "type", d.model);
}

// Writes the fields guestaddr may have filled in (defaults, addresses).
void write_device(pugi::xml_node node, const Device& d) {
    if (!d.type.empty() && d.cls != DeviceClass::Disk) set_attr(node, "type", d.type);
    if (d.extras().acpi_index) set_attr(child_or_new(node, "acpi"), "index", NumberText(*d.extras().acpi_index));
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
    case DeviceClass::Panic:
    case DeviceClass::Sound:
    case DeviceClass::Watchdog:
    case DeviceClass::Tpm:
        if (!d.model.empty()) set_attr(node, "model", d.model);
        break;
    default: break;
    }
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

// Writes the model into the document; returns the address of each device,
// written in place of the document's.
AddressOverlay update_document(Document& document, const model::Domain& domain) {
    pugi::xml_node root = document.tree.document_element();
    pugi::xml_node os_type = child_or_new(child_or_new(root, "os"), "type");
    if (!domain.arch.empty()) set_attr(os_type, "arch", domain.arch);
    if (!domain.machine.empty()) set_attr(os_type, "machine", domain.machine);
    pugi::xml_node devices = child_or_new(root, "devices");
    write_metadata(root, domain);

    std::vector<pugi::xml_node>& nodes = document.added_nodes;
    nodes.resize(domain.devices.size());
    std::vector<AddressOverlay::Entry> addresses;
    addresses.reserve(domain.devices.size());
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
        // One <address> per device (a second one in the input is dropped,
        // as libvirt reads only the first), and none where the model has
        // dropped it.
        if (domain.devices[i].has_address())
            addresses.emplace_back(nodes[i].internal_object(), &domain.devices[i].address);
        else remove_children(nodes[i], "address");
    }
    put_primary_video_first(devices, domain, nodes);
    return AddressOverlay(devices, std::move(addresses));
}

}  // namespace

std::string write_domain(Document& document, const model::Domain& domain) {
    const AddressOverlay addresses = update_document(document, domain);
    // Each address written is a line of about 100 bytes; reserving twice
    // what the guess says costs only address space.
    const std::size_t expected = 2 * (document.input_size + 100 * domain.devices.size());
    return write_text(document.tree, addresses, expected);
}

void write_domain(Document& document, const model::Domain& domain, const TextSink& sink) {
    write_text(document.tree, update_document(document, domain), sink);
}

}  // namespace guestaddr::xml
