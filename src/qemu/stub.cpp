#include "qemu/stub.hpp"

#include <algorithm>
#include <array>

namespace guestaddr::qemu {
namespace {

using namespace std::string_view_literals;

// Devices whose host peer cannot be faked: a PCI test device holds their place.
constexpr std::array kPlaceholderDrivers{
    "vfio-pci"sv, "vhost-user-fs-pci"sv, "vhost-user-blk-pci"sv, "vhost-vsock-pci"sv, "vhost-scsi-pci"sv,
    "virtio-input-host-pci"sv, "ivshmem-doorbell"sv,
};
constexpr std::array kPlacementKeys{"driver"sv, "id"sv, "bus"sv, "addr"sv, "multifunction"sv, "devno"sv};
// The same off PCI: a virtio RNG holds the place, with the same CCW device
// number (vfio-ccw, vhost on the channel subsystem) or on virtio-mmio.
struct Placeholder {
    std::string_view driver;
    std::string_view stand_in;
};
constexpr std::array kOtherPlaceholders{
    Placeholder{"vfio-ccw", "virtio-rng-ccw"},           Placeholder{"vhost-vsock-ccw", "virtio-rng-ccw"},
    Placeholder{"vhost-user-fs-ccw", "virtio-rng-ccw"},  Placeholder{"vhost-scsi-ccw", "virtio-rng-ccw"},
    Placeholder{"vhost-vsock-device", "virtio-rng-device"}, Placeholder{"vhost-user-fs-device", "virtio-rng-device"},
    Placeholder{"virtio-input-host-ccw", "virtio-rng-ccw"}, Placeholder{"virtio-input-host-device", "virtio-rng-device"},
};
// Devices with no guest address and no host peer to fake: left out.
constexpr std::array kDroppedDrivers{"vfio-ap"sv};
// Memory backend properties that stay: the ones migration and the guest see.
constexpr std::array kMemoryKeys{"qom-type"sv, "id"sv, "size"sv, "share"sv, "reserve"sv,
                                 "x-use-canonical-path-for-ramblock-id"sv};
// Options that read host files or talk to the host's display.
constexpr std::array kDroppedFlags{"-vnc"sv, "-spice"sv, "-kernel"sv, "-initrd"sv, "-bios"sv, "-acpitable"sv,
                                   "-tpmdev"sv, "-k"sv};
constexpr std::array kDroppedObjects{"input-linux"sv, "tls-creds-x509"sv, "tls-creds-anon"sv, "tls-creds-psk"sv};
// Block node properties a null-co node keeps.
constexpr std::array kNullNodeKeys{"node-name"sv, "read-only"sv, "cache"sv, "discard"sv};

template <std::size_t N>
bool contains(const std::array<std::string_view, N>& list, std::string_view value) {
    return std::find(list.begin(), list.end(), value) != list.end();
}

template <std::size_t N>
Json only_keys(const Json& object, const std::array<std::string_view, N>& keys) {
    Json out = Json::object();
    for (const auto& [key, value] : object.items())
        if (contains(keys, key)) out[key] = value;
    return out;
}

std::string string_at(const Json& object, const char* key) {
    return object.contains(key) && object[key].is_string() ? object[key].get<std::string>() : std::string();
}

// A format node becomes raw over the same child (qcow2 cannot open a
// null-co node); a protocol node becomes null-co.
void stub_blockdev(Json& node) {
    if (node.contains("file")) {
        node["driver"] = "raw";
        node.erase("backing");
        return;
    }
    Json stub{{"driver", "null-co"}};
    stub.update(only_keys(node, kNullNodeKeys));
    node = std::move(stub);
}

void stub_object(Json& object) {
    const std::string type = string_at(object, "qom-type");
    if (type.starts_with("memory-backend-")) {
        object = only_keys(object, kMemoryKeys);
        object["qom-type"] = "memory-backend-ram";
    } else if (type == "secret" && object.contains("file")) {
        object = Json{{"qom-type", "secret"}, {"id", object["id"]}, {"format", "raw"}, {"data", "stub"}};
    } else if (type == "rng-random" || type == "rng-egd") {
        object = Json{{"qom-type", "rng-builtin"}, {"id", object["id"]}};
    }
}

// A chardev becomes null (keeping mux=on, which joins a console to its serial).
void stub_chardev(KeyValues& values) {
    KeyValues stub{{"", "null"}, {"id", std::string(key_value(values, "id"))}};
    if (key_value(values, "mux") == "on") stub.emplace_back("mux", "on");
    values = std::move(stub);
}

// Rewrites a backend option in place; false when it must go.
bool stub_backend(Option& option, std::size_t hub) {
    if (option.flag == "-chardev") stub_chardev(*option.key_values());
    if (option.flag == "-blockdev") stub_blockdev(*option.json());
    if (option.flag == "-netdev")
        *option.json() = Json{{"type", "hubport"}, {"id", (*option.json())["id"]}, {"hubid", hub}};
    if (option.flag == "-object") {
        if (contains(kDroppedObjects, string_at(*option.json(), "qom-type"))) return false;
        stub_object(*option.json());
    }
    if (option.flag == "-fsdev")
        *option.key_values() = KeyValues{{"", "synth"}, {"id", std::string(key_value(*option.key_values(), "id"))}};
    return !contains(kDroppedFlags, option.flag);
}

// Rewrites one -device; false when it must go (a TPM without its backend).
bool stub_device(Json& device, DeviceOptions& options) {
    const std::string driver = string_at(device, "driver");
    if (contains(kPlaceholderDrivers, driver)) {
        device = only_keys(device, kPlacementKeys);
        device["driver"] = "pci-testdev";
    } else if (const auto p = std::find_if(kOtherPlaceholders.begin(), kOtherPlaceholders.end(),
                                           [&](const Placeholder& p) { return p.driver == driver; });
               p != kOtherPlaceholders.end()) {
        device = only_keys(device, kPlacementKeys);
        device["driver"] = std::string(p->stand_in);
    } else if (driver == "usb-host") {
        for (const char* key : {"hostdevice", "hostbus", "hostaddr", "hostport"}) device.erase(key);
        device["vendorid"] = 0xffff;
        device["productid"] = 0xffff;
    } else if (driver == "ccid-card-emulated") {
        // Emulated cards need an NSS database; a passthru card on a null chardev does not.
        const std::string chardev = "char" + string_at(device, "id");
        options.backends.push_back(key_value_option("-chardev", {{"", "null"}, {"id", chardev}}));
        Json card{{"driver", "ccid-card-passthru"}, {"chardev", chardev}, {"id", device["id"]}};
        if (device.contains("bus")) card["bus"] = device["bus"];
        device = std::move(card);
    } else if (driver == "scsi-block" || driver == "scsi-generic") {
        device["driver"] = "scsi-hd";
        if (!device.contains("drive")) {
            const std::string node = "stub-" + string_at(device, "id");
            options.backends.push_back(json_option("-blockdev", Json{{"driver", "null-co"}, {"node-name", node}}));
            device["drive"] = node;
        }
    }
    return !driver.starts_with("tpm-") && !contains(kDroppedDrivers, driver);
}

}  // namespace

void stub_device_options(DeviceOptions& options, std::size_t hub) {
    std::erase_if(options.backends, [hub](Option& o) { return !stub_backend(o, hub); });
    std::erase_if(options.devices, [&options](Json& d) { return !stub_device(d, options); });
}

void stub_general_options(std::vector<Option>& options) {
    std::erase_if(options, [](Option& o) { return !stub_backend(o, 0); });
    for (Option& o : options) {
        if (o.flag == "-accel") o.value = std::string("tcg");
        if (o.flag == "-cpu") o.value = std::string("max");
        if (o.flag == "-overcommit") o.value = std::string("mem-lock=off");
        if (o.flag == "-audiodev") *o.json() = Json{{"id", (*o.json())["id"]}, {"driver", "none"}};
    }
    // With -vnc and -spice gone, QEMU would open a window of its own.
    if (std::none_of(options.begin(), options.end(), [](const Option& o) { return o.flag == "-display"; })) {
        const auto at = std::find_if(options.begin(), options.end(), [](const Option& o) { return o.flag == "-no-user-config"; });
        options.insert(at, text_option("-display", "none"));
    }
    // QEMU 7.1 removed -soundhw; the PC speaker is a machine property now.
    if (std::erase_if(options, [](const Option& o) { return o.flag == "-soundhw"; }) == 0) return;
    for (Option& o : options)
        if (o.flag == "-machine") std::get<std::string>(o.value) += ",pcspk-audiodev=audio1";
}

}  // namespace guestaddr::qemu
