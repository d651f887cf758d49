#include "qemu/backends.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "model/memory_size.hpp"
#include "qemu/source.hpp"

namespace guestaddr::qemu {
namespace {

using model::Element;

// The per-run folder name libvirt gives a domain (id -1: not running yet).
std::string domain_dir_name(const Source& source) {
    const Element* name = source.header.child("name");
    return fmt::format("domain--1-{}", name ? name->text : "guest");
}

std::string_view source_attribute(const Element& element, std::string_view key) {
    const Element* source = element.child("source");
    return source == nullptr ? std::string_view() : source->attribute_or(key, "");
}

// A socket chardev: a UNIX path or a TCP host:port, listening when the
// source says mode='bind'.
KeyValues socket_chardev(const Element* source, const std::string& id) {
    KeyValues kv{{"", "socket"}, {"id", id}};
    const std::string_view path = source ? source->attribute_or("path", "") : "";
    if (!path.empty()) {
        kv.emplace_back("path", path);
    } else if (source != nullptr) {
        kv.emplace_back("host", source->attribute_or("host", "127.0.0.1"));
        kv.emplace_back("port", source->attribute_or("service", "0"));
    }
    if (source != nullptr && source->attribute_or("mode", "bind") == "bind") {
        kv.emplace_back("server", "on");
        kv.emplace_back("wait", "off");
    }
    return kv;
}

// The guest agent's and other named channels' default socket.
std::string channel_socket_path(const Source& source, const Element& element) {
    const Element* target = element.child("target");
    const std::string_view name = target ? target->attribute_or("name", "") : "";
    return fmt::format("/var/lib/libvirt/qemu/channel/target/{}/{}", domain_dir_name(source), name);
}

KeyValues chardev_values(const Source& source, const Element& element, const std::string& id) {
    const std::string_view type = element.attribute_or("type", "pty");
    const Element* src = element.child("source");
    if (type == "unix" || type == "tcp") {
        if (type == "unix" && (src == nullptr || !src->attribute("path"))) {
            Element with_path{"source", {{"mode", "bind"}, {"path", channel_socket_path(source, element)}}, {}, {}};
            return socket_chardev(&with_path, id);
        }
        return socket_chardev(src, id);
    }
    if (type == "file") return {{"", "file"}, {"id", id}, {"path", std::string(source_attribute(element, "path"))}};
    if (type == "spicevmc") {
        const std::string_view name = element.name == "redirdev" ? "usbredir"
                                      : element.name == "smartcard" ? "smartcard" : "vdagent";
        return {{"", "spicevmc"}, {"id", id}, {"name", std::string(name)}};
    }
    if (type == "spiceport") return {{"", "spiceport"}, {"id", id}, {"name", std::string(source_attribute(element, "channel"))}};
    if (type == "null" || type == "vc" || type == "stdio") return {{"", std::string(type)}, {"id", id}};
    return {{"", "pty"}, {"id", id}};
}

bool read_only_disk(const Element& disk) {
    return disk.child("readonly") != nullptr || disk.attribute_or("device", "disk") == "cdrom";
}

// libvirt numbers the node names of the disks backwards: it prepares the
// disks from the last to the first, each taking one number, media or not.
unsigned node_number(const Source& source, std::size_t index) {
    const std::vector<std::size_t>& order = source.domain.disk_order;
    const auto at = std::find(order.begin(), order.end(), index);
    return static_cast<unsigned>(order.end() - at);
}

Json storage_node(const Element& disk, const Element& src, const std::string& name) {
    const std::string_view type = disk.attribute_or("type", "file");
    Json node;
    if (type == "network") {
        node["driver"] = src.attribute_or("protocol", "nbd");
        if (const Element* host = src.child("host"))
            node["server"] = {{"type", "inet"}, {"host", host->attribute_or("name", "")},
                              {"port", host->attribute_or("port", "0")}};
        node["export"] = src.attribute_or("name", "");
    } else if (type == "block") {
        node["driver"] = disk.attribute_or("device", "disk") == "cdrom" ? "host_cdrom" : "host_device";
        node["filename"] = src.attribute_or("dev", "");
    } else {
        node["driver"] = "file";
        node["filename"] = src.attribute_or("file", src.attribute_or("volume", ""));
    }
    node["node-name"] = name;
    node["auto-read-only"] = true;
    node["discard"] = "unmap";
    return node;
}

}  // namespace

std::string domain_dir(const Source& source) { return "/var/lib/libvirt/qemu/" + domain_dir_name(source); }

Option chardev(const Source& source, const Element& element, const std::string& id) {
    return key_value_option("-chardev", chardev_values(source, element, id));
}

std::vector<Option> disk_blockdevs(const Source& source, std::size_t index, std::string& format_node) {
    const Element& disk = source.element(index);
    const Element* src = disk.child("source");
    if (src == nullptr || src->attributes.empty()) return {};
    const unsigned n = node_number(source, index);
    const std::string storage = fmt::format("libvirt-{}-storage", n);
    format_node = fmt::format("libvirt-{}-format", n);
    const Element* driver = disk.child("driver");
    Json format{{"node-name", format_node}, {"read-only", read_only_disk(disk)}};
    format["driver"] = driver ? driver->attribute_or("type", "raw") : "raw";
    format["file"] = storage;
    return {json_option("-blockdev", storage_node(disk, *src, storage)), json_option("-blockdev", format)};
}

Option netdev(const Element& element, const std::string& id) {
    if (element.attribute_or("type", "") == "user") return json_option("-netdev", Json{{"type", "user"}, {"id", id}});
    return json_option("-netdev", Json{{"type", "tap"}, {"fd", "FD"}, {"id", id}});
}

Option memory_backend(const Source& source, const Element* element, const std::string& id,
                      unsigned long long size_kib, const Json& extra) {
    const Element* path = element ? element->find("source/path") : nullptr;
    const Element* backing = source.header.child("memoryBacking");
    Json object;
    if (path != nullptr) {
        object = {{"qom-type", "memory-backend-file"}, {"id", id}, {"mem-path", path->text}, {"share", true}};
    } else if (backing != nullptr && backing->find("source") != nullptr &&
               backing->find("source")->attribute_or("type", "") == "memfd") {
        object = {{"qom-type", "memory-backend-memfd"}, {"id", id}, {"share", true}};
        // Migration names the guest RAM block after the object, as before memfd.
        if (id == source.arch.ram_id) object["x-use-canonical-path-for-ramblock-id"] = false;
    } else {
        object = {{"qom-type", "memory-backend-ram"}, {"id", id}};
    }
    object.update(extra);
    object["size"] = size_kib * 1024;
    return json_option("-object", object);
}

unsigned long long size_in_kib(const Element* size) {
    if (size == nullptr) return 0;
    return model::size_in_kib(size->text.empty() ? "0" : size->text, size->attribute_or("unit", "KiB")).value_or(0);
}

}  // namespace guestaddr::qemu
