#include "machine/device_defaults.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdint>
#include <map>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "machine/s390x_defaults.hpp"
#include "machine/pseries_devices.hpp"
#include "model/disk_names.hpp"

namespace guestaddr::machine {
namespace {

using model::Device;
using model::DeviceClass;
using model::Domain;

// The indexes the controllers of each type (and model) use, and the lowest
// one free: a controller without an index takes that one, so it only grows.
// Kept as they are given out, so that thousands of controllers without an
// index are numbered without looking at all the others each time.
class ControllerIndexes {
public:
    explicit ControllerIndexes(const Domain& domain) {
        for (std::size_t i : domain.controller_order)
            if (const Device& c = domain.devices[i]; c.index) take(c, *c.index);
    }

    void take(const Device& c, unsigned index) {
        types_[c.type.view()].used.insert(index);
        models_.emplace(c.type.view(), c.model.view(), index);
    }
    unsigned take_lowest_free(const Device& c) {
        Type& t = types_[c.type.view()];
        while (t.used.contains(t.lowest_free)) ++t.lowest_free;
        take(c, t.lowest_free);
        return t.lowest_free;
    }
    bool model_has(const Device& like, unsigned index) const {
        return models_.contains({like.type.view(), like.model.view(), index});
    }

private:
    struct Type {
        std::set<unsigned> used;
        unsigned lowest_free = 0;
    };
    std::map<std::string_view, Type> types_;
    std::set<std::tuple<std::string_view, std::string_view, unsigned>> models_;
};

void fill_controller_model(Device& c, const DefaultModels& defaults) {
    if (c.type == "usb" && c.model.empty()) c.model = defaults.usb_controller;
    if (c.type == "scsi" && (c.model.empty() || c.model == "auto")) c.model = "lsilogic";
    if (c.type == "usb" && c.model.starts_with("ich9-uhci") && !c.extras().master_startport) {
        const unsigned n = static_cast<unsigned>(c.model.view().back() - '1');
        c.edit_extras().master_startport = n * 2;
    }
}

std::string bus_for_disk_name(const Device& disk) {
    if (disk.device_kind == "floppy") return "fdc";
    std::string_view prefix = model::disk_name_prefix(disk.target_dev);
    if (prefix == "hd") return "ide";
    if (prefix == "sd") return "scsi";
    if (prefix == "vd") return "virtio";
    if (prefix == "fd") return "fdc";
    if (prefix == "xvd") return "xen";
    if (prefix == "ubd") return "uml";
    return "ide";
}

// The disk list keeps the order of the parse, when these disks had no bus.
void fill_disk_buses(Domain& domain) {
    for (Device& d : domain.devices)
        if (d.cls == DeviceClass::Disk && d.bus.empty()) d.bus = bus_for_disk_name(d);
}

// A video or memballoon of model 'none' stands for no device at all:
// libvirt drops the address written for it, and its slot is free for
// others (nor is a 'none' video ever primary).
bool stands_for_nothing(const Device& d) {
    return (d.cls == DeviceClass::Video || d.cls == DeviceClass::Memballoon) && d.model == "none";
}

void fill_video_defaults(Domain& domain, const DefaultModels& defaults) {
    std::vector<std::size_t> videos = domain.of_class(DeviceClass::Video);
    for (std::size_t i : videos)
        if (domain.devices[i].model.empty()) domain.devices[i].model = defaults.video;
    if (videos.empty()) return;
    Device& first = domain.devices[videos.front()];
    if (!stands_for_nothing(first)) first.primary = true;
}

void drop_addresses_of_nothing(Domain& domain) {
    for (Device& d : domain.devices)
        if (stands_for_nothing(d)) d.address = {};
}

// libvirt reads the NIC models it knows without regard to case and writes
// them in lower case.
void normalise_nic_model(Device& nic) {
    static constexpr std::array<std::string_view, 5> kKnown{"virtio", "virtio-transitional", "virtio-non-transitional",
                                                           "e1000", "e1000e"};
    std::string lower = nic.model.str();
    std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
    if (std::find(kKnown.begin(), kKnown.end(), lower) != kKnown.end() || lower == "rtl8139") nic.model = lower;
}

std::string mac_string(std::uint32_t low24) {
    return fmt::format("52:54:00:{:02x}:{:02x}:{:02x}", (low24 >> 16) & 0xff, (low24 >> 8) & 0xff, low24 & 0xff);
}

// libvirt gives a NIC without a MAC a random one in QEMU's range; guestaddr
// derives it from the guest's identity and the NIC's position instead, so
// that assigning the same definition twice gives the same guest.
void fill_missing_macs(Domain& domain) {
    std::set<std::string> taken;
    for (const Device& d : domain.devices)
        if (d.cls == DeviceClass::Interface && !d.mac.empty()) taken.insert(d.mac.str());
    for (std::size_t i : domain.of_class(DeviceClass::Interface)) {
        Device& nic = domain.devices[i];
        if (!nic.mac.empty()) continue;
        std::uint32_t hash = 2166136261u;  // FNV-1a
        for (char c : fmt::format("{}/{}/{}", domain.uuid, domain.name, nic.ordinal))
            hash = (hash ^ static_cast<unsigned char>(c)) * 16777619u;
        while (!taken.insert(mac_string(hash)).second) ++hash;
        nic.mac = mac_string(hash);
    }
}

void fill_simple_models(Domain& domain, const DefaultModels& defaults, const rules::LibvirtRules& rules) {
    for (Device& d : domain.devices) {
        if (d.cls == DeviceClass::Interface) normalise_nic_model(d);
        // A libvirt that does not keep <crypto> drops it; so does guestaddr,
        // so that both store the same guest. Its address goes with it: the
        // slot it named is free for the others.
        if (d.cls == DeviceClass::Crypto && !rules.keeps_crypto) {
            d.discarded = true;
            d.address = {};
        }
        if (d.cls == DeviceClass::Interface && d.model.empty() && d.type != "hostdev") d.model = defaults.nic;
        if (d.cls == DeviceClass::Tpm && d.model.empty()) d.model = defaults.tpm;
        if (d.cls == DeviceClass::Input && d.bus.empty())
            d.bus = d.type == "tablet" ? "usb" : (d.type == "evdev" || d.type == "passthrough" ? "" : defaults.input_bus);
    }
}

}  // namespace

// A controller without an index takes the lowest free one of its type; a
// USB2 companion joins the set of the controller just before it. The list
// keeps the order of the parse, when these had no index.
void fill_controller_indexes(Domain& domain) {
    ControllerIndexes indexes(domain);
    const Device* previous = nullptr;
    for (std::size_t i : domain.controller_order) {
        Device& c = domain.devices[i];
        if (!c.index) {
            if (model::is_ich9_usb2_controller(c) && previous && model::is_ich9_usb2_controller(*previous) &&
                previous->index && !indexes.model_has(c, *previous->index)) {
                c.index = previous->index;
                indexes.take(c, *c.index);
            } else {
                c.index = indexes.take_lowest_free(c);
            }
        }
        previous = &c;
    }
    domain.reindex_controllers();
}

void fill_device_defaults(Domain& domain, const MachineProfile& machine) {
    if (machine.is_s390()) fill_s390x_device_defaults(domain);
    if (machine.is_pseries()) fill_pseries_defaults(domain);
    const DefaultModels& defaults = default_models(machine);
    for (std::size_t i : domain.controller_order) fill_controller_model(domain.devices[i], defaults);
    fill_disk_buses(domain);
    fill_video_defaults(domain, defaults);
    drop_addresses_of_nothing(domain);
    fill_simple_models(domain, defaults, machine.rules());
    fill_missing_macs(domain);
    fill_chardev_defaults(domain, machine);
    if (machine.is_pseries()) move_serials_to_vio(domain);
}

}  // namespace guestaddr::machine
