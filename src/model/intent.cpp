#include "model/intent.hpp"

#include <algorithm>

#include <fmt/format.h>

namespace guestaddr::model {
namespace {

// Every key a device may be known by, most specific first.
std::vector<DeviceKey> keys_of(const Device& d) {
    std::vector<DeviceKey> keys;
    if (!d.extras().alias.empty()) keys.push_back({KeyKind::Alias, d.extras().alias.str()});
    if (d.cls == DeviceClass::Interface && !d.mac.empty()) keys.push_back({KeyKind::Mac, d.mac.str()});
    if (d.cls == DeviceClass::Disk && !d.target_dev.empty()) keys.push_back({KeyKind::Target, d.target_dev.str()});
    if (d.cls == DeviceClass::Controller && d.index)
        keys.push_back({KeyKind::Controller, fmt::format("{}:{}", d.type.view(), *d.index)});
    if (!d.extras().source_key.empty()) keys.push_back({KeyKind::Hostdev, d.extras().source_key.str()});
    return keys;
}

bool same_key(const DeviceKey& a, const DeviceKey& b) {
    if (a.kind != b.kind) return false;
    if (a.kind != KeyKind::Mac) return a.value == b.value;
    return std::equal(a.value.begin(), a.value.end(), b.value.begin(), b.value.end(),
                      [](char x, char y) { return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y)); });
}

}  // namespace

std::optional<DeviceKey> device_key(const Device& d) {
    std::vector<DeviceKey> keys = keys_of(d);
    if (keys.empty()) return std::nullopt;
    return keys.front();
}

std::string_view key_attribute(KeyKind kind) {
    switch (kind) {
    case KeyKind::Alias: return "alias";
    case KeyKind::Mac: return "mac";
    case KeyKind::Target: return "target";
    case KeyKind::Controller: return "controller";
    case KeyKind::Hostdev: return "hostdev";
    }
    return "alias";
}

std::string preference_text(const Preference& p) {
    std::string text;
    auto add = [&](const std::string& item) { text += (text.empty() ? "" : " ") + item; };
    if (p.hotplug) add(std::string("hotplug='") + (*p.hotplug ? "yes" : "no") + "'");
    if (p.bus != BusPreference::Any) add(std::string("bus='") + (p.bus == BusPreference::Pci ? "pci" : "pcie") + "'");
    if (p.numa) add("numa='" + std::to_string(*p.numa) + "'");
    return text;
}

const Preference* find_preference(const Intent& intent, const Device& d) {
    if (intent.devices.empty()) return nullptr;
    for (const DeviceKey& key : keys_of(d))
        for (const PreferenceEntry& entry : intent.devices)
            if (same_key(entry.key, key)) return &entry.prefer;
    return nullptr;
}

void set_preference(Intent& intent, const DeviceKey& key, const Preference& prefer) {
    intent.changed = true;
    for (PreferenceEntry& entry : intent.devices)
        if (same_key(entry.key, key)) {
            entry.prefer = prefer;
            return;
        }
    intent.devices.push_back({key, prefer});
}

void drop_preference(Intent& intent, const Device& d) {
    for (const DeviceKey& key : keys_of(d)) {
        auto gone = std::remove_if(intent.devices.begin(), intent.devices.end(),
                                   [&](const PreferenceEntry& e) { return same_key(e.key, key); });
        if (gone == intent.devices.end()) continue;
        intent.devices.erase(gone, intent.devices.end());
        intent.changed = true;
    }
}

}  // namespace guestaddr::model
