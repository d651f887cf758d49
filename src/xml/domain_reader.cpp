#include <fmt/format.h>

#include "guestaddr/error.hpp"
#include "model/disk_names.hpp"
#include "model/memory_size.hpp"
#include "xml/address_reader.hpp"
#include "xml/input_checks.hpp"
#include "xml/metadata.hpp"
#include "xml/document.hpp"
#include "xml/numbers.hpp"

namespace guestaddr::xml {
namespace {

using model::Device;
using model::DeviceClass;

[[noreturn]] void fail(ErrorKind kind, const std::string& device, std::string message) {
    throw Failure(Error{kind, device, std::move(message)});
}

[[noreturn]] void fail(const DeviceName& device, std::string message) {
    fail(ErrorKind::MalformedXml, device(), std::move(message));
}

std::optional<unsigned> optional_number(const pugi::xml_node& e, const char* name, Radix radix,
                                        const DeviceName& device) {
    pugi::xml_attribute a = e.attribute(name);
    if (!a) return std::nullopt;
    std::optional<unsigned> v = parse_unsigned(a.value(), radix);
    if (!v) fail(device, fmt::format("<{}> {}='{}' is not a number", e.name(), name, a.value()));
    return v;
}

// <target><node>: the guest NUMA node of a controller or memory module.
// A size element (<memory unit='GiB'>4</memory>) in KiB.
std::optional<std::uint64_t> size_of(const pugi::xml_node& size) {
    if (!size) return std::nullopt;
    return model::size_in_kib(size.text().get(), size.attribute("unit").value());
}

std::optional<unsigned> target_node(const pugi::xml_node& target, const DeviceName& who) {
    pugi::xml_node node = target.child("node");
    if (!node) return std::nullopt;
    std::optional<unsigned> n = parse_unsigned(node.text().get(), Radix::Decimal);
    if (!n) fail(who, "<target><node> is not a number");
    return n;
}

void read_controller(const pugi::xml_node& e, Device& d, const DeviceName& who) {
    d.index = optional_number(e, "index", Radix::Decimal, who);
    d.model = e.attribute("model").value();
    model::DeviceExtras& x = d.edit_extras();
    x.model_name = e.child("model").attribute("name").value();
    x.ports = optional_number(e, "ports", Radix::Decimal, who);
    x.master_startport = optional_number(e.child("master"), "startport", Radix::Decimal, who);
    pugi::xml_node t = e.child("target");
    x.ctarget.chassis_nr = optional_number(t, "chassisNr", Radix::Auto, who);
    x.ctarget.chassis = optional_number(t, "chassis", Radix::Auto, who);
    x.ctarget.port = optional_number(t, "port", Radix::Auto, who);
    x.ctarget.bus_nr = optional_number(t, "busNr", Radix::Auto, who);
    x.ctarget.index = optional_number(t, "index", Radix::Auto, who);
    std::string_view hotplug = t.attribute("hotplug").value();
    if (!hotplug.empty()) x.ctarget.hotplug = hotplug == "on";
    x.ctarget.node = target_node(t, who);
}

void read_target(const pugi::xml_node& e, Device& d, const DeviceName& who) {
    pugi::xml_node t = e.child("target");
    d.target_type = t.attribute("type").value();
    d.target_port = optional_number(t, "port", Radix::Decimal, who);
    d.target_name = t.attribute("name").value();
    if (pugi::xml_attribute model = t.child("model").attribute("name")) d.edit_extras().target_model = model.value();
}

// What names the host's device: its type and the source's address (PCI,
// USB bus/device, SCSI unit, mdev uuid), USB vendor and product, SCSI
// adapter, vhost wwpn. Just the type when the source names nothing.
// `host_type`: the bus of the host's device (a hostdev's type; "pci" for an
// <interface type='hostdev'>, whose key must match the same device given as
// a hostdev).
std::string hostdev_key(const pugi::xml_node& e, std::string_view host_type) {
    pugi::xml_node source = e.child("source");
    std::string key(host_type);
    for (pugi::xml_attribute attr : source.child("address").attributes())
        if (std::string_view(attr.name()) != "type") key += fmt::format(" {}={}", attr.name(), attr.value());
    for (const char* part : {"vendor", "product"})
        if (pugi::xml_attribute id = source.child(part).attribute("id")) key += fmt::format(" {}={}", part, id.value());
    if (pugi::xml_attribute adapter = source.child("adapter").attribute("name"))
        key += fmt::format(" adapter={}", adapter.value());
    if (pugi::xml_attribute wwpn = source.attribute("wwpn")) key += fmt::format(" wwpn={}", wwpn.value());
    return key;
}

// A <source> with a non-empty attribute: a file, a device, a protocol, a
// pool... (an empty <source/> is no source).
bool names_something(const pugi::xml_node& source) {
    for (pugi::xml_attribute a : source.attributes())
        if (*a.value() != '\0') return true;
    return false;
}

std::optional<bool> on_off(const pugi::xml_attribute& a) {
    const std::string_view value = a.value();
    if (value == "on") return true;
    if (value == "off") return false;
    return std::nullopt;
}

void read_iommu_driver(const pugi::xml_node& driver, Device& d) {
    const std::optional<bool> intremap = on_off(driver.attribute("intremap"));
    const std::optional<bool> eim = on_off(driver.attribute("eim"));
    if (!intremap && !eim) return;
    d.edit_extras().intremap = intremap;
    d.edit_extras().eim = eim;
}

void read_fields(const pugi::xml_node& e, Device& d, const DeviceName& who) {
    d.type = e.attribute("type").value();
    if (pugi::xml_attribute alias = e.child("alias").attribute("name")) d.edit_extras().alias = alias.value();
    if (pugi::xml_node acpi = e.child("acpi"))
        d.edit_extras().acpi_index = optional_number(acpi, "index", Radix::Decimal, who);
    switch (d.cls) {
    case DeviceClass::Disk:
        d.device_kind = e.attribute("device") ? e.attribute("device").value() : "disk";
        d.target_dev = e.child("target").attribute("dev").value();
        d.target_index = model::disk_name_index(d.target_dev);
        d.bus = e.child("target").attribute("bus").value();
        d.model = e.attribute("model").value();
        d.has_source = names_something(e.child("source"));
        break;
    case DeviceClass::Controller:
        read_controller(e, d, who);
        break;
    case DeviceClass::Interface:
        d.model = e.child("model").attribute("type").value();
        d.mac = e.child("mac").attribute("address").value();
        if (d.type == "hostdev") d.edit_extras().source_key = hostdev_key(e, "pci");
        break;
    case DeviceClass::Video:
        d.model = e.child("model").attribute("type").value();
        d.primary = std::string_view(e.child("model").attribute("primary").value()) == "yes";
        break;
    case DeviceClass::Shmem:
        d.model = e.child("model").attribute("type").value();
        d.target_name = e.attribute("name").value();
        break;
    case DeviceClass::Input:
        d.bus = e.attribute("bus").value();
        break;
    case DeviceClass::Hostdev:
        d.device_kind = e.attribute("mode").value();
        d.model = e.attribute("model").value();
        d.edit_extras().source_key = hostdev_key(e, d.type);
        break;
    case DeviceClass::Filesystem:
        d.device_kind = e.child("driver").attribute("type").value();
        d.target_name = e.child("target").attribute("dir").value();
        d.model = e.attribute("model").value();
        break;
    case DeviceClass::Redirdev:
        d.bus = e.attribute("bus").value();
        break;
    case DeviceClass::Smartcard:
        d.device_kind = e.attribute("mode").value();
        break;
    case DeviceClass::Iommu:
        d.model = e.attribute("model").value();
        read_iommu_driver(e.child("driver"), d);
        break;
    case DeviceClass::Memory:
        d.model = e.attribute("model").value();
        if (std::optional<unsigned> node = target_node(e.child("target"), who)) d.edit_extras().ctarget.node = node;
        if (std::optional<std::uint64_t> size = size_of(e.child("target").child("size"))) d.edit_extras().size_kib = size;
        break;
    case DeviceClass::Serial:
    case DeviceClass::Console:
    case DeviceClass::Channel:
    case DeviceClass::Parallel:
        read_target(e, d, who);
        break;
    default:
        d.model = e.attribute("model").value();
        break;
    }
}

}  // namespace

model::Element copy_element(const pugi::xml_node& e) {
    model::Element out;
    out.name = e.name();
    for (pugi::xml_attribute a : e.attributes()) out.attributes.emplace_back(a.name(), a.value());
    for (pugi::xml_node c : e.children()) {
        if (c.type() == pugi::node_element) out.children.push_back(copy_element(c));
        else if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) out.text += c.value();
    }
    return out;
}

model::Element copy_device_element(const Document& document, std::size_t node) {
    return copy_element(document.device_nodes.at(node));
}

model::Element copy_header(const Document& document) {
    pugi::xml_node root = document.tree.document_element();
    model::Element out;
    out.name = root.name();
    for (pugi::xml_attribute a : root.attributes()) out.attributes.emplace_back(a.name(), a.value());
    for (pugi::xml_node c : root.children())
        if (c.type() == pugi::node_element && std::string_view(c.name()) != "devices") out.children.push_back(copy_element(c));
    return out;
}

namespace {

// Reads the fields and address of `d`, whose element and class are set.
void read_device(const pugi::xml_node& e, Device& d, std::size_t ordinal) {
    DeviceName who(d, ordinal);
    read_fields(e, d, who);
    who.use_fields();
    if (pugi::xml_node a = e.child("address")) d.address = read_address(a, who);
}

Device read_device(const pugi::xml_node& e, std::size_t ordinal) {
    Device d;
    d.element = e.name();
    d.cls = model::device_class_from_element(d.element);
    read_device(e, d, ordinal);
    return d;
}

// The NUMA cells: how many, and their memory in KiB.
void read_numa_cells(const pugi::xml_node& root, model::Domain& domain) {
    for (pugi::xml_node cell : root.child("cpu").child("numa").children("cell")) {
        ++domain.numa_cells;
        domain.numa_memory_kib +=
            model::size_in_kib(cell.attribute("memory").value(), cell.attribute("unit").value()).value_or(0);
    }
}

// Each NUMA cell's memory is as its memAccess says, else as <memoryBacking>
// says; without cells, all memory is as <memoryBacking> says.
bool memory_is_shared(const pugi::xml_node& root) {
    const std::string_view backing = root.child("memoryBacking").child("access").attribute("mode").value();
    bool shared = backing == "shared";
    for (pugi::xml_node cell : root.child("cpu").child("numa").children("cell")) {
        const pugi::xml_attribute access = cell.attribute("memAccess");
        if (std::string_view(access ? access.value() : backing.data()) != "shared") return false;
        shared = true;
    }
    return shared;
}

void read_max_memory(const pugi::xml_node& max_memory, model::Domain& domain) {
    domain.max_memory = *max_memory.text().get() != '\0';
    domain.max_memory_kib = size_of(max_memory).value_or(0);
    const pugi::xml_attribute slots = max_memory.attribute("slots");
    if (!slots) return;
    const std::optional<unsigned> n = parse_unsigned(slots.value(), Radix::Decimal);
    if (!n) fail(ErrorKind::MalformedXml, "", fmt::format("<maxMemory slots='{}'> is not a number of memory slots", slots.value()));
    domain.memory_slots = *n;
}

void read_header(const pugi::xml_node& root, model::Domain& domain) {
    domain.virt_type = root.attribute("type").value();
    domain.name = root.child("name").text().get();
    domain.uuid = root.child("uuid").text().get();
    pugi::xml_node os_type = root.child("os").child("type");
    domain.arch = os_type.attribute("arch").value();
    domain.machine = os_type.attribute("machine").value();
    if (auto v = parse_unsigned(root.child("vcpu").text().get(), Radix::Decimal)) domain.vcpus = *v;
    read_numa_cells(root, domain);
    domain.memory_kib = size_of(root.child("memory")).value_or(0);
    domain.acpi = static_cast<bool>(root.child("features").child("acpi"));
    domain.shared_memory = memory_is_shared(root);
    domain.ioapic_driver = root.child("features").child("ioapic").attribute("driver").value();
    domain.uefi = std::string_view(root.child("os").attribute("firmware").value()) == "efi" ||
                  std::string_view(root.child("os").child("loader").attribute("type").value()) == "pflash";
    domain.sets_sleep_states = root.child("pm").child("suspend-to-mem") || root.child("pm").child("suspend-to-disk");
    read_max_memory(root.child("maxMemory"), domain);
}

}  // namespace

namespace {

// A <guestaddr:prefer> on the device element goes into the intent, keyed
// by the device's node until its identity is known.
void take_preference(pugi::xml_node e, const Device& d, model::Domain& domain) {
    std::optional<model::Preference> prefer = take_inline_preference(e, model::describe(d, d.ordinal));
    if (!prefer) return;
    domain.intent.inline_prefs.emplace_back(d.node, *prefer);
    domain.intent.changed = true;
}

pugi::xml_node only_device_element(pugi::xml_document& fragment, std::string_view device_xml) {
    check_text(device_xml);
    pugi::xml_parse_result parsed = fragment.load_buffer(device_xml.data(), device_xml.size(), pugi::parse_default, pugi::encoding_utf8);
    if (!parsed)
        fail(ErrorKind::MalformedXml, "", fmt::format("malformed device XML at offset {}: {}", parsed.offset,
                                                      parsed.description()));
    pugi::xml_node e = fragment.document_element();
    if (model::device_class_from_element(e.name()) == DeviceClass::Other)
        fail(ErrorKind::MalformedXml, "", fmt::format("<{}> is not a device element", e.name()));
    return e;
}

}  // namespace

model::Device read_device_element(std::string_view device_xml) {
    pugi::xml_document fragment;
    return read_device(only_device_element(fragment, device_xml), 0);
}

model::Element copy_device_xml(std::string_view device_xml) {
    pugi::xml_document fragment;
    return copy_element(only_device_element(fragment, device_xml));
}

model::Element element_of_device(const Document& document, const model::Domain& domain, std::size_t index) {
    const Device& d = domain.devices.at(index);
    if (d.node != Device::kNoNode && document.device_nodes[d.node]) return copy_element(document.device_nodes[d.node]);
    if (index < document.added_nodes.size() && document.added_nodes[index]) return copy_element(document.added_nodes[index]);
    model::Element bare;
    bare.name = d.element;
    return bare;
}

std::optional<std::string_view> device_value(const Document& document, const Device& device,
                                             std::string_view path, std::string_view attr) {
    if (device.node == Device::kNoNode || device.node >= document.device_nodes.size()) return std::nullopt;
    pugi::xml_node node = document.device_nodes[device.node];
    if (!path.empty()) node = node.first_element_by_path(std::string(path).c_str());
    if (!node) return std::nullopt;
    if (attr.empty()) return std::string_view(node.child_value());
    pugi::xml_attribute a = node.attribute(std::string(attr).c_str());
    if (!a) return std::nullopt;
    return std::string_view(a.value());
}

std::size_t append_device(Document& document, model::Domain& domain, std::string_view device_xml) {
    pugi::xml_document fragment;
    pugi::xml_node element = only_device_element(fragment, device_xml);
    pugi::xml_node root = document.tree.document_element();
    pugi::xml_node devices = root.child("devices") ? root.child("devices") : root.append_child("devices");
    // After the last device of its kind, where libvirt puts it.
    pugi::xml_node last_same;
    for (pugi::xml_node c : devices.children(element.name())) last_same = c;
    pugi::xml_node added = last_same ? devices.insert_copy_after(element, last_same) : devices.append_copy(element);
    Device d = read_device(added, domain.element_counts[added.name()]);
    d.node = static_cast<std::uint32_t>(document.device_nodes.size());
    document.device_nodes.push_back(added);
    take_preference(added, d, domain);
    std::size_t index = domain.add_parsed(std::move(d));
    domain.order_parsed_lists();
    return index;
}

void remove_device(Document& document, model::Domain& domain, std::size_t index) {
    const std::uint32_t node = domain.devices.at(index).node;
    pugi::xml_node e = node != Device::kNoNode ? document.device_nodes[node] : pugi::xml_node();
    if (index < document.added_nodes.size()) {
        if (!e) e = document.added_nodes[index];
        document.added_nodes.erase(document.added_nodes.begin() + static_cast<std::ptrdiff_t>(index));
    }
    if (e) e.parent().remove_child(e);
    if (node != Device::kNoNode) document.device_nodes[node] = pugi::xml_node();
    domain.remove(index);
}

namespace {

model::Domain read_tree(Document& document) {
    pugi::xml_node root = document.tree.document_element();
    if (std::string_view(root.name()) != "domain")
        fail(ErrorKind::MalformedXml, "", fmt::format("the root element is <{}>, not <domain>", root.name()));

    model::Domain domain;
    read_header(root, domain);
    // libvirt's words: it reads an empty <name> as none.
    if (domain.name.empty()) fail(ErrorKind::MalformedXml, "", "missing name information (<domain> needs a <name>)");
    read_metadata(root, domain);
    domain.emulator = root.child("devices").child("emulator").text().as_string();
    for (pugi::xml_node e : root.child("devices").children()) {
        if (e.type() != pugi::node_element) continue;
        Device& d = domain.emplace_parsed(e.name());
        read_device(e, d, d.ordinal);
        d.node = static_cast<std::uint32_t>(document.device_nodes.size());
        document.device_nodes.push_back(e);
        take_preference(e, d, domain);
    }
    domain.order_parsed_lists();
    return domain;
}

}  // namespace

model::Domain read_domain(std::string_view text, Document& document) { return read_domain_in_place(std::string(text), document); }

model::Domain read_domain_in_place(std::string text, Document& document) {
    document.input_size = text.size();
    document.text = std::move(text);
    load_well_formed(document.tree, document.text);
    return read_tree(document);
}

}  // namespace guestaddr::xml
