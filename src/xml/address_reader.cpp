#include "xml/address_reader.hpp"

#include <fmt/format.h>

#include "guestaddr/error.hpp"
#include "xml/numbers.hpp"

namespace guestaddr::xml {
namespace {

[[noreturn]] void fail(const DeviceName& device, std::string message) {
    throw Failure(Error{ErrorKind::InvalidAddress, device(), std::move(message)});
}

// The attributes of one <address>, looked up in turn: each search starts
// after the attribute found last (pugixml's hint), so that attributes read
// in the order they are written cost one comparison each, not a scan.
class Attributes {
public:
    explicit Attributes(const pugi::xml_node& e) : e_(e), hint_(e.first_attribute()) {}
    pugi::xml_attribute operator[](const char* name) { return e_.attribute(name, hint_); }
    const pugi::xml_node& element() const { return e_; }

private:
    const pugi::xml_node& e_;
    pugi::xml_attribute hint_;
};

unsigned read_number(Attributes& attributes, const char* name, Radix radix, const DeviceName& device,
                     unsigned fallback = 0) {
    pugi::xml_attribute a = attributes[name];
    if (!a) return fallback;
    std::optional<unsigned> v = parse_unsigned(a.value(), radix);
    if (!v)
        fail(device, fmt::format("invalid {} address: {}='{}' is not a number",
                                 attributes.element().attribute("type").value(), name, a.value()));
    return *v;
}

void read_zpci(const pugi::xml_node& z, const DeviceName& device, PciAddress& a) {
    Attributes attributes(z);
    if (z.attribute("uid")) {
        const unsigned uid = read_number(attributes, "uid", Radix::Auto, device);
        if (uid == 0 || uid > 0xFFFF) fail(device, fmt::format("invalid zPCI uid {:#x}, must be 0x0001 to 0xffff", uid));
        a.zpci_uid = uid;
    }
    if (z.attribute("fid")) a.zpci_fid = read_number(attributes, "fid", Radix::Auto, device);
}

PciAddress read_pci(const pugi::xml_node& e, const DeviceName& device) {
    PciAddress a;
    Attributes attributes(e);
    a.domain = read_number(attributes, "domain", Radix::Auto, device);
    a.bus = read_number(attributes, "bus", Radix::Auto, device);
    a.slot = read_number(attributes, "slot", Radix::Auto, device);
    a.function = read_number(attributes, "function", Radix::Auto, device);
    std::string_view mf = attributes["multifunction"].value();
    if (mf == "on") a.multifunction = Multifunction::On;
    else if (mf == "off") a.multifunction = Multifunction::Off;
    else if (!mf.empty()) fail(device, fmt::format("invalid PCI address: multifunction='{}' must be 'on' or 'off'", mf));
    if (a.domain > 0xFFFF) fail(device, fmt::format("invalid PCI address domain='{:#x}', must be <= 0xFFFF", a.domain));
    if (a.bus > 0xFF) fail(device, fmt::format("invalid PCI address bus='{:#x}', must be <= 0xFF", a.bus));
    if (a.slot > 0x1F) fail(device, fmt::format("invalid PCI address slot='{:#x}', must be <= 0x1F", a.slot));
    if (a.function > 7) fail(device, fmt::format("invalid PCI address function={:#x}, must be <= 7", a.function));
    if (pugi::xml_node zpci = e.child("zpci")) read_zpci(zpci, device, a);
    return a;
}

UsbAddress read_usb(const pugi::xml_node& e, const DeviceName& device) {
    UsbAddress a;
    Attributes attributes(e);
    a.bus = read_number(attributes, "bus", Radix::Decimal, device);
    std::string_view port = e.attribute("port").value();
    // Port 0 means "not given", as in libvirt.
    if (port.empty() || port == "0") return a;
    while (true) {
        std::size_t dot = port.find('.');
        std::optional<unsigned> p = parse_unsigned(port.substr(0, dot), Radix::Decimal);
        if (!p || *p == 0 || a.port.size() == 4)
            fail(device, fmt::format("cannot parse USB port '{}': up to 4 dot-separated numbers, each >= 1",
                                     e.attribute("port").value()));
        a.port.push_back(*p);
        if (dot == std::string_view::npos) break;
        port.remove_prefix(dot + 1);
    }
    return a;
}

OtherAddress read_other(const pugi::xml_node& e) {
    OtherAddress a;
    a.type = e.attribute("type").value();
    for (pugi::xml_attribute attr : e.attributes())
        if (std::string_view(attr.name()) != "type") a.attributes.emplace_back(attr.name(), attr.value());
    return a;
}

}  // namespace

Address read_address(const pugi::xml_node& e, const DeviceName& device) {
    std::string_view type = e.attribute("type").value();
    if (type == "pci") return read_pci(e, device);
    Attributes attributes(e);  // a braced list reads them in order, left to right
    if (type == "drive")
        return DriveAddress{read_number(attributes, "controller", Radix::Decimal, device),
                            read_number(attributes, "bus", Radix::Decimal, device),
                            read_number(attributes, "target", Radix::Decimal, device),
                            read_number(attributes, "unit", Radix::Decimal, device)};
    if (type == "usb") return read_usb(e, device);
    if (type == "virtio-serial")
        return VirtioSerialAddress{read_number(attributes, "controller", Radix::Decimal, device),
                                   read_number(attributes, "bus", Radix::Decimal, device),
                                   read_number(attributes, "port", Radix::Decimal, device)};
    if (type == "ccid")
        return CcidAddress{read_number(attributes, "controller", Radix::Decimal, device),
                           read_number(attributes, "slot", Radix::Decimal, device)};
    if (type.empty()) fail(device, "<address> without a type");
    static constexpr std::string_view kKept[] = {"isa", "dimm", "spapr-vio", "ccw", "virtio-mmio",
                                                 "unassigned", "virtio-s390"};
    for (std::string_view k : kKept)
        if (type == k) return read_other(e);
    fail(device, fmt::format("unknown address type '{}'", type));
}

}  // namespace guestaddr::xml
