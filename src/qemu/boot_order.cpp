#include "qemu/boot_order.hpp"

#include <array>
#include <optional>

#include "qemu/source.hpp"

namespace guestaddr::qemu {
namespace {

using model::DeviceClass;

// Which device a <boot dev> names: the first of this class (and disk device).
struct BootDevice {
    std::string_view dev;
    DeviceClass cls;
    std::string_view disk_device;
};
constexpr std::array kBootDevices{
    BootDevice{"hd", DeviceClass::Disk, "disk"},
    BootDevice{"cdrom", DeviceClass::Disk, "cdrom"},
    BootDevice{"fd", DeviceClass::Disk, "floppy"},
    BootDevice{"network", DeviceClass::Interface, ""},
};

std::optional<std::size_t> first_device(const Source& source, const BootDevice& boot) {
    const std::vector<std::size_t> list =
        boot.cls == DeviceClass::Disk ? source.domain.disk_order : source.domain.of_class(boot.cls);
    for (std::size_t i : list)
        if (boot.cls != DeviceClass::Disk || source.device(i).device_kind == boot.disk_device) return i;
    return std::nullopt;
}

bool any_device_boot_order(const Source& source) {
    for (const model::Element& e : source.elements)
        if (e.child("boot") != nullptr) return true;
    return false;
}

}  // namespace

std::vector<unsigned> boot_indexes(const Source& source) {
    std::vector<unsigned> indexes(source.domain.devices.size(), 0);
    if (any_device_boot_order(source)) return indexes;
    std::vector<std::string_view> devs;
    if (const model::Element* os = source.header.child("os"))
        for (const model::Element& c : os->children)
            if (c.name == "boot") devs.push_back(c.attribute_or("dev", ""));
    if (devs.empty()) devs.push_back("hd");
    unsigned next = 1;
    for (std::string_view dev : devs)
        for (const BootDevice& boot : kBootDevices)
            if (boot.dev == dev)
                if (std::optional<std::size_t> i = first_device(source, boot)) indexes[*i] = next++;
    return indexes;
}

}  // namespace guestaddr::qemu
