#include "guestaddr/address.hpp"

#include <fmt/format.h>

namespace guestaddr {

std::string PciAddress::to_string() const {
    return fmt::format("{:04x}:{:02x}:{:02x}.{:x}", domain, bus, slot, function);
}

std::string UsbAddress::port_string() const {
    std::string out;
    for (unsigned p : port) {
        if (!out.empty()) out += '.';
        out += std::to_string(p);
    }
    return out;
}

namespace {
struct TypeName {
    std::string operator()(std::monostate) const { return ""; }
    std::string operator()(const PciAddress&) const { return "pci"; }
    std::string operator()(const DriveAddress&) const { return "drive"; }
    std::string operator()(const UsbAddress&) const { return "usb"; }
    std::string operator()(const VirtioSerialAddress&) const { return "virtio-serial"; }
    std::string operator()(const CcidAddress&) const { return "ccid"; }
    std::string operator()(const OtherAddress& a) const { return a.type; }
};
}  // namespace

std::string address_type_name(const Address& address) { return std::visit(TypeName{}, address); }

}  // namespace guestaddr
