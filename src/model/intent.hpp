// What the user wants of placement, as opposed to where devices are:
// preferences of devices without an address, and the guest's policies.
// Stored in guestaddr's own namespace in <metadata> (src/xml/metadata.cpp).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "model/device.hpp"

namespace guestaddr::model {

inline constexpr std::string_view kGuestaddrNamespace = "https://guestaddr.dev/xmlns/domain/1";

enum class BusPreference : std::uint8_t { Any, Pci, Pcie };

struct Preference {
    std::optional<bool> hotplug;  // hotplug='yes': needs a hot-pluggable slot; 'no': integrated where possible
    BusPreference bus = BusPreference::Any;
    std::optional<unsigned> numa;  // the guest NUMA node of the expander bus to sit below

    bool empty() const { return !hotplug && bus == BusPreference::Any && !numa; }
    bool operator==(const Preference&) const = default;
};

// How a <guestaddr:device> names its device: by alias, MAC, disk target,
// controller type and index ("usb:0"), or host device source (the
// source's own words: "pci domain=0x0000 bus=0x01 slot=0x00 function=0x0").
enum class KeyKind : std::uint8_t { Alias, Mac, Target, Controller, Hostdev };

struct DeviceKey {
    KeyKind kind = KeyKind::Alias;
    std::string value;
    bool operator==(const DeviceKey&) const = default;
};

struct PreferenceEntry {
    DeviceKey key;
    Preference prefer;
};

struct Policy {
    std::optional<unsigned> keep_free_hotplug;      // free places of the machine's own bus type
    std::optional<unsigned> keep_free_hotplug_pci;  // free conventional PCI slots (on a PCIe machine)
    bool stable_nic_names = false;
    bool operator==(const Policy&) const = default;
};

struct Intent {
    Policy policy;
    std::vector<PreferenceEntry> devices;
    // Preferences written on a device element itself (<guestaddr:prefer>),
    // by Device::node, until the device's identity is known (assign fills
    // in a NIC's MAC): then they join `devices`.
    std::vector<std::pair<std::uint32_t, Preference>> inline_prefs;
    // The <metadata> element must be written anew.
    bool changed = false;

    bool empty() const { return policy == Policy{} && devices.empty(); }
};

// The key a device's preference is stored under: its alias, else its MAC,
// disk target, controller type and index, or host source; nullopt for a
// device with none of them.
std::optional<DeviceKey> device_key(const Device& d);
// "alias", "mac", "target", "controller", "hostdev": the attribute naming the key.
std::string_view key_attribute(KeyKind kind);

// "hotplug='no' bus='pcie' numa='1'": a preference as <metadata> writes it.
std::string preference_text(const Preference& prefer);

// The preference stored for `d`, or null.
const Preference* find_preference(const Intent& intent, const Device& d);
// Stores (or replaces) the preference of the device with `key`.
void set_preference(Intent& intent, const DeviceKey& key, const Preference& prefer);
// Forgets the preference of `d` (it is removed from the guest).
void drop_preference(Intent& intent, const Device& d);

}  // namespace guestaddr::model
