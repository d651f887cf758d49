#include "guestaddr/devices.hpp"

#include <type_traits>
#include <variant>

#include <fmt/format.h>

#include "model/domain.hpp"

namespace guestaddr {

std::vector<DeviceInfo> devices(const Definition& definition) {
    const model::Domain& domain = definition.domain();
    std::vector<DeviceInfo> out;
    out.reserve(domain.devices.size());
    for (std::size_t i = 0; i < domain.devices.size(); ++i) {
        const model::Device& d = domain.devices[i];
        if (d.discarded) continue;  // libvirt does not keep it: format() leaves it out too
        DeviceInfo info;
        info.index = i;
        info.kind = d.element.empty() ? model::element_name(d.cls) : d.element.str();
        info.name = domain.describe(i);
        info.type = d.type.str();
        info.model = d.model.str();
        info.device_kind = d.device_kind.str();
        info.bus = d.bus.str();
        info.alias = d.extras().alias.str();
        info.mac = d.mac.str();
        if (d.cls == model::DeviceClass::Disk) info.disk_target = d.target_dev.str();
        if (d.cls == model::DeviceClass::Channel || d.cls == model::DeviceClass::Filesystem)
            info.target_name = d.target_name.str();
        if (d.cls == model::DeviceClass::Controller) info.controller_index = d.index;
        info.address = d.address;
        info.implicit = d.implicit;
        out.push_back(std::move(info));
    }
    return out;
}

std::string address_to_string(const Address& address) {
    return std::visit(
        [](const auto& a) -> std::string {
            using A = std::decay_t<decltype(a)>;
            if constexpr (std::is_same_v<A, PciAddress>) return "pci:" + a.to_string();
            else if constexpr (std::is_same_v<A, DriveAddress>)
                return fmt::format("drive:{}.{}.{}.{}", a.controller, a.bus, a.target, a.unit);
            else if constexpr (std::is_same_v<A, UsbAddress>)
                return a.port.empty() ? fmt::format("usb:{}", a.bus) : fmt::format("usb:{}:{}", a.bus, a.port_string());
            else if constexpr (std::is_same_v<A, VirtioSerialAddress>)
                return fmt::format("virtio-serial:{}.{}.{}", a.controller, a.bus, a.port);
            else if constexpr (std::is_same_v<A, CcidAddress>) return fmt::format("ccid:{}.{}", a.controller, a.slot);
            else if constexpr (std::is_same_v<A, OtherAddress>) {
                std::string text = a.type + ":";
                for (std::size_t k = 0; k < a.attributes.size(); ++k) {
                    if (k > 0) text += '.';
                    text += a.attributes[k].second;
                }
                return text;
            } else
                return "";
        },
        address);
}

}  // namespace guestaddr
