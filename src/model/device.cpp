#include "model/device.hpp"

#include <array>
#include <utility>

#include <fmt/format.h>

#include "model/name_table.hpp"

namespace guestaddr::model {
namespace {

constexpr std::array<std::pair<DeviceClass, const char*>, 30> kElementNames{{
    {DeviceClass::Disk, "disk"},           {DeviceClass::Controller, "controller"},
    {DeviceClass::Lease, "lease"},         {DeviceClass::Filesystem, "filesystem"},
    {DeviceClass::Interface, "interface"}, {DeviceClass::Input, "input"},
    {DeviceClass::Sound, "sound"},         {DeviceClass::Video, "video"},
    {DeviceClass::Hostdev, "hostdev"},     {DeviceClass::Redirdev, "redirdev"},
    {DeviceClass::Smartcard, "smartcard"}, {DeviceClass::Serial, "serial"},
    {DeviceClass::Parallel, "parallel"},   {DeviceClass::Console, "console"},
    {DeviceClass::Channel, "channel"},     {DeviceClass::Hub, "hub"},
    {DeviceClass::Watchdog, "watchdog"},   {DeviceClass::Memballoon, "memballoon"},
    {DeviceClass::Rng, "rng"},             {DeviceClass::Tpm, "tpm"},
    {DeviceClass::Nvram, "nvram"},         {DeviceClass::Panic, "panic"},
    {DeviceClass::Shmem, "shmem"},         {DeviceClass::Memory, "memory"},
    {DeviceClass::Iommu, "iommu"},         {DeviceClass::Vsock, "vsock"},
    {DeviceClass::Crypto, "crypto"},       {DeviceClass::Graphics, "graphics"},
    {DeviceClass::Audio, "audio"},         {DeviceClass::Other, "other"},
}};

}  // namespace

const char* element_name(DeviceClass cls) {
    for (const auto& [c, name] : kElementNames)
        if (c == cls) return name;
    return "other";
}

DeviceClass device_class_from_element(std::string_view element) {
    static const NameTable<DeviceClass> classes = [] {
        std::vector<std::pair<std::string_view, DeviceClass>> entries;
        for (const auto& [cls, name] : kElementNames)
            if (cls != DeviceClass::Other) entries.emplace_back(name, cls);
        return NameTable<DeviceClass>(std::move(entries));
    }();
    return classes.find(element).value_or(DeviceClass::Other);
}

bool Device::wants_pci_address() const {
    // A device the chosen libvirt drops (crypto before 11.3) takes no slot.
    if (discarded) return false;
    if (std::holds_alternative<std::monostate>(address)) return true;
    const PciAddress* a = pci();
    return a != nullptr && a->is_empty();
}

Device implicit_device(DeviceClass cls) {
    Device d;
    d.cls = cls;
    d.element = element_name(cls);
    d.implicit = true;
    return d;
}

Device implicit_controller(std::string type, unsigned index, std::string model) {
    Device c = implicit_device(DeviceClass::Controller);
    c.type = std::move(type);
    c.index = index;
    c.model = std::move(model);
    return c;
}

bool is_ich9_usb_companion(const Device& d) { return d.type == "usb" && d.model.starts_with("ich9-uhci"); }

bool is_ich9_usb2_controller(const Device& d) {
    return is_ich9_usb_companion(d) || (d.type == "usb" && d.model == "ich9-ehci1");
}

std::string describe(const Device& d, std::size_t ordinal) {
    switch (d.cls) {
    case DeviceClass::Disk:
        if (!d.target_dev.empty()) return fmt::format("disk '{}'", d.target_dev);
        break;
    case DeviceClass::Interface:
        if (!d.mac.empty()) return fmt::format("interface {}", d.mac);
        break;
    case DeviceClass::Controller:
        if (d.index) return fmt::format("controller {} {}", d.type, *d.index);
        return fmt::format("controller {} (no index)", d.type);
    case DeviceClass::Hostdev:
        if (!d.extras().source_key.empty()) return fmt::format("hostdev {}", d.extras().source_key);
        break;
    case DeviceClass::Channel:
        if (!d.target_name.empty()) return fmt::format("channel '{}'", d.target_name);
        break;
    case DeviceClass::Filesystem:
        if (!d.target_name.empty()) return fmt::format("filesystem '{}'", d.target_name);
        break;
    default:
        break;
    }
    return fmt::format("{} #{}", d.element, ordinal);
}

}  // namespace guestaddr::model
