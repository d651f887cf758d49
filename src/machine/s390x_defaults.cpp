#include "machine/s390x_defaults.hpp"

namespace guestaddr::machine {

using model::Device;
using model::DeviceClass;

void fill_s390x_device_defaults(model::Domain& domain) {
    for (Device& d : domain.devices) {
        if (d.cls == DeviceClass::Interface && d.model.empty() && d.type != "hostdev") d.model = "virtio";
        if (d.cls == DeviceClass::Video && d.model.empty()) d.model = "virtio";
        if (d.cls == DeviceClass::Input && d.bus.empty() && (d.type == "mouse" || d.type == "keyboard" || d.type == "tablet"))
            d.bus = "virtio";
        if (d.cls == DeviceClass::Controller && d.type == "scsi" && d.model.empty()) d.model = "virtio-scsi";
        // No USB unless a model is named (one with an address keeps no model).
        if (d.cls == DeviceClass::Controller && d.type == "usb" && d.model.empty() && !d.has_address()) d.model = "none";
        // s390x has no ISA serial port: libvirt makes it the SCLP console.
        if (d.cls == DeviceClass::Serial && (d.target_type.empty() || d.target_type == "isa-serial"))
            d.target_type = "sclp-serial";
        if (d.cls == DeviceClass::Panic && d.model.empty()) d.model = "s390";
        // A crypto adapter (vfio-ap) is on no bus: a request for a PCI address is dropped.
        if (d.cls == DeviceClass::Hostdev && d.type == "mdev" && d.model == "vfio-ap" && d.pci() && d.pci()->is_empty())
            d.address = {};
    }
}

void add_s390x_panic(model::Domain& domain) {
    if (!domain.of_class(DeviceClass::Panic).empty()) return;
    Device panic = model::implicit_device(DeviceClass::Panic);
    panic.model = "s390";
    domain.add_implicit(std::move(panic));
}

}  // namespace guestaddr::machine
