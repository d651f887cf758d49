#include "qmp/live_guest.hpp"

#include <map>

#include <fmt/format.h>

#include "model/domain.hpp"

namespace guestaddr::qmp {
namespace {

using qemu::Option;

// The QMP command that creates a backend given as a command-line option,
// and the one that removes it again.
struct BackendCommands {
    std::string add;
    Json arguments;
    std::string remove;
    Json remove_arguments;
};

Json chardev_arguments(const qemu::KeyValues& values) {
    const std::string type(qemu::key_value(values, ""));
    Json backend{{"type", type}, {"data", Json::object()}};
    if (type == "socket") {
        backend["data"]["addr"] = {{"type", "unix"}, {"data", {{"path", std::string(qemu::key_value(values, "path"))}}}};
        backend["data"]["server"] = qemu::key_value(values, "server") == "on";
        backend["data"]["wait"] = qemu::key_value(values, "wait") == "on";
    } else if (type == "file") {
        backend["data"]["out"] = std::string(qemu::key_value(values, "path"));
    }
    return Json{{"id", std::string(qemu::key_value(values, "id"))}, {"backend", backend}};
}

BackendCommands commands_for(const Option& option) {
    if (option.flag == "-blockdev") {
        const Json& node = *option.json();
        return {"blockdev-add", node, "blockdev-del", {{"node-name", node.value("node-name", "")}}};
    }
    if (option.flag == "-netdev") {
        const Json& netdev = *option.json();
        return {"netdev_add", netdev, "netdev_del", {{"id", netdev.value("id", "")}}};
    }
    if (option.flag == "-object") {
        const Json& object = *option.json();
        return {"object-add", object, "object-del", {{"id", object.value("id", "")}}};
    }
    if (option.flag == "-chardev" && option.key_values()) {
        Json arguments = chardev_arguments(*option.key_values());
        return {"chardev-add", arguments, "chardev-remove", {{"id", arguments["id"]}}};
    }
    throw Failure(Error{ErrorKind::Unsupported, "", fmt::format("a {} backend cannot be hot-plugged", option.flag)});
}

void remove_quietly(QmpClient& qemu, const std::vector<BackendCommands>& created) {
    for (auto it = created.rbegin(); it != created.rend(); ++it) {
        try {
            qemu.execute(it->remove, it->remove_arguments);
        } catch (const Failure&) {
            // Best effort: the first failure is the one worth reporting.
        }
    }
}

std::string device_id(const qemu::DeviceOptions& options, const std::string& who) {
    if (options.devices.empty() || !options.devices.front().contains("id"))
        throw Failure(Error{ErrorKind::Unsupported, who, "the device is built into QEMU and cannot be hot-plugged"});
    return options.devices.front()["id"].get<std::string>();
}

// "0x2.0x1" -> devfn 0x11, as QOM reports a PCI device's "addr".
unsigned devfn(const std::string& addr) {
    const std::size_t dot = addr.find('.');
    const unsigned slot = static_cast<unsigned>(std::stoul(addr.substr(0, dot), nullptr, 16));
    const unsigned function = dot == std::string::npos ? 0 : static_cast<unsigned>(std::stoul(addr.substr(dot + 1), nullptr, 16));
    return slot << 3 | function;
}

// QOM and the command line spell some numbers as strings ("port": "1").
std::string as_text(const Json& value) { return value.is_string() ? value.get<std::string>() : value.dump(); }

std::string last_path_element(const std::string& path) { return path.substr(path.rfind('/') + 1); }

Json qom_get(QmpClient& qemu, const std::string& id, const char* property) {
    return qemu.execute("qom-get", Json{{"path", "/machine/peripheral/" + id}, {"property", property}});
}

void check_device(QmpClient& qemu, const Json& device, const std::string& who, std::vector<Difference>& out) {
    const std::string id = device.value("id", "");
    if (id.empty() || !device.contains("bus")) return;
    Json bus;
    try {
        bus = qom_get(qemu, id, "parent_bus");
    } catch (const Failure& f) {
        out.push_back({who, fmt::format("QEMU has no device '{}' ({})", id, f.error().message)});
        return;
    }
    const std::string expected_bus = device["bus"].get<std::string>();
    if (!bus.is_string() || last_path_element(bus.get<std::string>()) != expected_bus)
        out.push_back({who, fmt::format("on bus {} in QEMU, {} in the definition", bus.dump(), expected_bus)});
    if (device.contains("addr")) {
        const Json addr = qom_get(qemu, id, "addr");
        const unsigned expected = devfn(device["addr"].get<std::string>());
        if (!addr.is_number() || addr.get<unsigned>() != expected)
            out.push_back({who, fmt::format("at devfn {} in QEMU, {:#x} ({}) in the definition", addr.dump(), expected,
                                            device["addr"].get<std::string>())});
    }
    for (const char* property : {"port", "nr", "scsi-id", "lun", "channel", "unit", "chassis", "chassis_nr"}) {
        if (!device.contains(property)) continue;
        const std::string actual = as_text(qom_get(qemu, id, property));
        const std::string wanted = as_text(device[property]);
        if (actual != wanted)
            out.push_back({who, fmt::format("{} is {} in QEMU, {} in the definition", property, actual, wanted)});
    }
}

// Block node names number the disks of a whole command line, so a disk
// added later would reuse a running node's name; node names are not guest
// visible (not in the migration stream either), so the hot-plugged ones get
// names of their own, tied to the device id.
void rename_block_nodes(qemu::DeviceOptions& options, const std::string& id) {
    std::map<std::string, std::string> renamed;
    for (Option& backend : options.backends) {
        Json* node = backend.json();
        if (backend.flag != "-blockdev" || node == nullptr || !node->contains("node-name")) continue;
        const std::string old_name = (*node)["node-name"].get<std::string>();
        const std::string new_name = fmt::format("hp-{}-{}", id, renamed.size());
        renamed[old_name] = new_name;
        (*node)["node-name"] = new_name;
        if (node->contains("file") && (*node)["file"].is_string() && renamed.contains((*node)["file"].get<std::string>()))
            (*node)["file"] = renamed[(*node)["file"].get<std::string>()];
    }
    for (Json& device : options.devices)
        if (device.contains("drive") && renamed.contains(device["drive"].get<std::string>()))
            device["drive"] = renamed[device["drive"].get<std::string>()];
}

// A DEVICE_DELETED event about device `id` (its "data" says so).
bool names_device(const Json& event, const std::string& id) {
    auto data = event.find("data");
    if (data == event.end() || !data->is_object()) return false;
    auto device = data->find("device");
    return device != data->end() && device->is_string() && device->get<std::string>() == id;
}

// QEMU refused (it did nothing), or the connection failed (QEMU may yet
// have done it, or do it once it runs again): say which, as the
// definition, unchanged either way, may then no longer be QEMU's.
std::string with_state_unknown(const Error& error, std::string_view done) {
    if (error.kind != ErrorKind::Io) return error.message;
    return fmt::format("{}; the definition is unchanged, but QEMU may have {} the device all the same", error.message,
                       done);
}

}  // namespace

void hotplug(QmpClient& qemu, const Definition& definition, std::size_t index, qemu::Backends backends) {
    const std::string who = definition.domain().describe(index);
    qemu::DeviceOptions options = qemu::device_options(definition, index, backends);
    rename_block_nodes(options, device_id(options, who));
    std::vector<BackendCommands> created;
    try {
        for (const Option& backend : options.backends) {
            BackendCommands commands = commands_for(backend);
            qemu.execute(commands.add, commands.arguments);
            created.push_back(std::move(commands));
        }
        for (const Json& device : options.devices) qemu.execute("device_add", device);
    } catch (const Failure& f) {
        remove_quietly(qemu, created);
        throw Failure(Error{f.error().kind, who, with_state_unknown(f.error(), "plugged in")});
    }
}

void unplug(QmpClient& qemu, const Definition& definition, std::size_t index, qemu::Backends backends,
            std::chrono::milliseconds timeout) {
    const std::string who = definition.domain().describe(index);
    qemu::DeviceOptions options = qemu::device_options(definition, index, backends);
    const std::string id = device_id(options, who);
    rename_block_nodes(options, id);
    try {
        qemu.execute("device_del", Json{{"id", id}});
        qemu.wait_event("DEVICE_DELETED", [&](const Json& e) { return names_device(e, id); }, timeout);
    } catch (const Failure& f) {
        throw Failure(Error{f.error().kind, who, with_state_unknown(f.error(), "unplugged")});
    }
    std::vector<BackendCommands> backends_of_device;
    for (const Option& backend : options.backends) backends_of_device.push_back(commands_for(backend));
    remove_quietly(qemu, backends_of_device);
}

std::vector<Difference> differences(QmpClient& qemu, const Definition& definition) {
    std::vector<Difference> out;
    for (std::size_t i = 0; i < definition.domain().devices.size(); ++i) {
        const qemu::DeviceOptions options = qemu::device_options(definition, i, qemu::Backends::Stub);
        for (const Json& device : options.devices) check_device(qemu, device, definition.domain().describe(i), out);
    }
    return out;
}

}  // namespace guestaddr::qmp
