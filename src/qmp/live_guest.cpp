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

// Devices written before the one a device's options are for, which come
// and go with it: the zPCI device of an s390x PCI function.
bool is_companion(const Json& device) { return device.value("driver", "") == "zpci"; }

std::string device_id(const qemu::DeviceOptions& options, const std::string& who) {
    for (const Json& device : options.devices) {
        if (is_companion(device)) continue;
        if (!device.contains("id")) break;
        return device["id"].get<std::string>();
    }
    throw Failure(Error{ErrorKind::Unsupported, who, "the device is built into QEMU and cannot be hot-plugged"});
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

// The placement properties QOM reports as the command line gives them:
// the devices' own (drive units, ports, chassis), a CCW device number
// ("fe.0.000a"), a spapr-vio register, a pSeries PHB's index, a zPCI
// device's uid, fid and target.
constexpr const char* kQomPlacement[]{"port", "nr", "scsi-id", "lun", "channel", "unit", "chassis", "chassis_nr",
                                      "devno", "reg", "index", "uid", "fid", "target", "slot"};

// The bus a device without a bus property must sit on: QEMU picks the
// transport (virtio-mmio) or there is one bus of its kind (the channel
// subsystem, spapr-vio); its QOM name starts with this.
struct ImpliedBus {
    std::string_view placement;  // the -device property that places it ("" = none at all)
    std::string_view bus_prefix;
};
constexpr ImpliedBus kImpliedBuses[]{{"devno", "virtual-css"}, {"reg", "spapr-vio"}};

bool has_placement(const Json& device) {
    if (device.contains("bus")) return true;
    for (const char* property : kQomPlacement)
        if (device.contains(property)) return true;
    return false;
}

void check_property(QmpClient& qemu, const Json& device, const std::string& id, const char* property,
                    const std::string& who, std::vector<Difference>& out) {
    const std::string actual = as_text(qom_get(qemu, id, property));
    const std::string wanted = as_text(device[property]);
    if (actual != wanted)
        out.push_back({who, fmt::format("{} is {} in QEMU, {} in the definition", property, actual, wanted)});
}

// `mmio_bus`: the device has no placement property but the definition puts
// it on virtio-mmio, which QEMU's bus name shows.
void check_device(QmpClient& qemu, const Json& device, bool mmio_bus, const std::string& who,
                  std::vector<Difference>& out) {
    const std::string id = device.value("id", "");
    if (id.empty() || (!has_placement(device) && !mmio_bus)) return;
    Json bus;
    try {
        bus = qom_get(qemu, id, "parent_bus");
    } catch (const Failure& f) {
        out.push_back({who, fmt::format("QEMU has no device '{}' ({})", id, f.error().message)});
        return;
    }
    const std::string bus_name = bus.is_string() ? last_path_element(bus.get<std::string>()) : bus.dump();
    if (device.contains("bus")) {
        const std::string expected_bus = device["bus"].get<std::string>();
        if (bus_name != expected_bus)
            out.push_back({who, fmt::format("on bus {} in QEMU, {} in the definition", bus.dump(), expected_bus)});
    } else if (mmio_bus && !bus_name.starts_with("virtio-mmio-bus")) {
        out.push_back({who, fmt::format("on bus {} in QEMU, on virtio-mmio in the definition", bus.dump())});
    }
    for (const ImpliedBus& implied : kImpliedBuses)
        if (!device.contains("bus") && device.contains(implied.placement) && !bus_name.starts_with(implied.bus_prefix))
            out.push_back({who, fmt::format("on bus {} in QEMU, on {} in the definition", bus.dump(), implied.bus_prefix)});
    if (device.contains("addr") && device["addr"].is_number()) {  // a DIMM's base address
        check_property(qemu, device, id, "addr", who, out);
    } else if (device.contains("addr")) {
        const Json addr = qom_get(qemu, id, "addr");
        const unsigned expected = devfn(device["addr"].get<std::string>());
        if (!addr.is_number() || addr.get<unsigned>() != expected)
            out.push_back({who, fmt::format("at devfn {} in QEMU, {:#x} ({}) in the definition", addr.dump(), expected,
                                            device["addr"].get<std::string>())});
    }
    for (const char* property : kQomPlacement)
        if (device.contains(property)) check_property(qemu, device, id, property, who, out);
}

// Whether the definition puts the device on virtio-mmio and its QEMU device
// is a virtio-mmio one ("virtio-net-device"): libvirt 9.0 also gives
// virtio-mmio addresses to PCI devices (lsi, virtio-vga) of a guest on
// virtio-mmio, which QEMU then puts on a PCI bus of its choosing.
bool on_virtio_mmio(const model::Device& d, const qemu::DeviceOptions& options) {
    if (address_type_name(d.address) != "virtio-mmio") return false;
    for (const Json& device : options.devices)
        if (device.value("driver", "").ends_with("-device")) return true;
    return false;
}

// Why a device the definition places has nothing verify can read back, or
// "" when it has.
std::string unchecked_reason(const model::Device& d, const qemu::DeviceOptions& options) {
    if (std::holds_alternative<std::monostate>(d.address)) return {};
    const bool mmio = on_virtio_mmio(d, options);
    if (address_type_name(d.address) == "virtio-mmio" && !mmio)
        return "libvirt 9.0 gives it a virtio-mmio address, but its QEMU device is a PCI one: QEMU puts it on a "
               "PCI bus of its own choosing, which the definition does not name";
    for (const Json& device : options.devices)
        if (device.contains("id") && (has_placement(device) || mmio)) return {};
    if (options.devices.empty())
        return fmt::format("no -device of its own (the machine builds it in, set by a machine option if at all): "
                           "QMP gives it no id to read its {} address back by",
                           address_type_name(d.address));
    return fmt::format("its {} address is not a property of its QEMU device, which QMP cannot show",
                       address_type_name(d.address));
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
        for (const Json& device : options.devices) {
            qemu.execute("device_add", device);
            if (is_companion(device))
                created.push_back({"device_add", device, "device_del", {{"id", device.value("id", "")}}});
        }
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
        // Then what came with it (as libvirt takes the zPCI device out after the function).
        for (const Json& device : options.devices) {
            if (!is_companion(device)) continue;
            const std::string companion = device.value("id", "");
            qemu.execute("device_del", Json{{"id", companion}});
            qemu.wait_event("DEVICE_DELETED", [&](const Json& e) { return names_device(e, companion); }, timeout);
        }
    } catch (const Failure& f) {
        throw Failure(Error{f.error().kind, who, with_state_unknown(f.error(), "unplugged")});
    }
    std::vector<BackendCommands> backends_of_device;
    for (const Option& backend : options.backends) backends_of_device.push_back(commands_for(backend));
    remove_quietly(qemu, backends_of_device);
}

// What query-pci shows of QEMU's PCI root buses: each function by qdev id,
// with the root bus (its place in the list) and slot and function. Under -S
// the firmware has numbered no bridge yet, so only the root buses' own
// functions are there where they are; a pSeries lists every PHB as bus 0.
struct RootFunction {
    std::size_t root;
    unsigned slot;
    unsigned function;
};

std::map<std::string, RootFunction> root_functions(QmpClient& qemu) {
    std::map<std::string, RootFunction> out;
    const Json buses = qemu.execute("query-pci", Json::object());
    if (!buses.is_array()) return out;
    for (std::size_t root = 0; root < buses.size(); ++root) {
        const auto devices = buses[root].find("devices");
        if (devices == buses[root].end() || !devices->is_array()) continue;
        for (const Json& f : *devices)
            if (f.contains("qdev_id") && f["qdev_id"].is_string() && !f["qdev_id"].get<std::string>().empty())
                out[f["qdev_id"].get<std::string>()] = {root, f.value("slot", 0u), f.value("function", 0u)};
    }
    return out;
}

// Each device the definition puts straight on a PCI root bus (pci-root,
// pcie-root, a pSeries PHB) must be in query-pci at its slot and function,
// and the devices of one root bus on the same one.
class RootBusCheck {
public:
    RootBusCheck(QmpClient& qemu, const model::Domain& domain) : domain_(domain) {
        try {
            functions_ = root_functions(qemu);
            available_ = true;
        } catch (const Failure&) {
            // No PCI at all (or no query-pci): QOM's answer stands alone.
        }
    }

    void check(std::size_t index, const Json& device, std::vector<Difference>& out) {
        const PciAddress* a = domain_.devices[index].pci();
        if (!available_ || a == nullptr || !device.contains("addr") || !device["addr"].is_string() || !device.contains("id"))
            return;
        const model::Device* bus = domain_.find_controller("pci", a->bus);
        if (bus == nullptr || (bus->model != "pci-root" && bus->model != "pcie-root")) return;
        const std::string who = domain_.describe(index);
        const auto f = functions_.find(device["id"].get<std::string>());
        if (f == functions_.end()) {
            out.push_back({who, fmt::format("query-pci lists no function '{}' on a PCI root bus",
                                            device["id"].get<std::string>())});
            return;
        }
        if (f->second.slot != a->slot || f->second.function != a->function)
            out.push_back({who, fmt::format("query-pci has it at slot {:#x} function {}, the definition at {}",
                                            f->second.slot, f->second.function, pci_addr_text(*a))});
        const auto [root, inserted] = roots_.emplace(a->bus, f->second.root);
        if (!inserted && root->second != f->second.root)
            out.push_back({who, fmt::format("query-pci lists it on another PCI root bus than the other devices of "
                                            "PCI controller {}", a->bus)});
    }

private:
    static std::string pci_addr_text(const PciAddress& a) { return fmt::format("slot {:#x} function {}", a.slot, a.function); }

    const model::Domain& domain_;
    std::map<std::string, RootFunction> functions_;
    std::map<unsigned, std::size_t> roots_;  // controller index -> query-pci root
    bool available_ = false;
};

Verdict check(QmpClient& qemu, const Definition& definition) {
    Verdict verdict;
    const model::Domain& domain = definition.domain();
    RootBusCheck roots(qemu, domain);
    for (std::size_t i = 0; i < domain.devices.size(); ++i) {
        const qemu::DeviceOptions options = qemu::device_options(definition, i, qemu::Backends::Stub);
        const bool mmio = on_virtio_mmio(domain.devices[i], options);
        for (const Json& device : options.devices) {
            check_device(qemu, device, mmio, domain.describe(i), verdict.differences);
            roots.check(i, device, verdict.differences);
        }
        if (domain.devices[i].discarded) continue;
        if (std::string reason = unchecked_reason(domain.devices[i], options); !reason.empty())
            verdict.unchecked.push_back({domain.describe(i), std::move(reason)});
    }
    return verdict;
}

std::vector<Difference> differences(QmpClient& qemu, const Definition& definition) {
    return check(qemu, definition).differences;
}

}  // namespace guestaddr::qmp
