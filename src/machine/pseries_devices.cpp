#include "machine/pseries_devices.hpp"

namespace guestaddr::machine {
namespace {

using model::Device;
using model::DeviceClass;
using model::Domain;

void fill_controller_model(Device& c) {
    if (c.type == "usb" && c.model.empty()) c.model = "qemu-xhci";
    if (c.type == "scsi" && (c.model.empty() || c.model == "auto")) c.model = "ibmvscsi";
}

bool has_usb_input(const Domain& domain, std::string_view type) {
    for (std::size_t i : domain.of_class(DeviceClass::Input))
        if (domain.devices[i].type == type && domain.devices[i].bus == "usb") return true;
    return false;
}

void add_usb_input(Domain& domain, const char* type) {
    Device input = model::implicit_device(DeviceClass::Input);
    input.type = type;
    input.bus = "usb";
    domain.add_implicit(std::move(input));
}

}  // namespace

void fill_pseries_defaults(Domain& domain) {
    for (std::size_t i : domain.controller_order) fill_controller_model(domain.devices[i]);
    for (Device& d : domain.devices) {
        if (d.cls == DeviceClass::Video && d.model.empty()) d.model = "vga";
        if (d.cls == DeviceClass::Input && d.bus.empty() && (d.type == "keyboard" || d.type == "mouse")) d.bus = "usb";
        if (d.cls == DeviceClass::Panic && d.model.empty()) d.model = "pseries";
        if (d.cls == DeviceClass::Tpm && d.model.empty()) d.model = "tpm-spapr";
    }
}

void move_serials_to_vio(Domain& domain) {
    for (std::size_t i : domain.of_class(DeviceClass::Serial)) {
        Device& s = domain.devices[i];
        if (s.target_type != "isa-serial") continue;
        s.target_type = "spapr-vio-serial";
        if (s.extras().target_model == "isa-serial") s.edit_extras().target_model = "spapr-vty";
    }
}

void add_pseries_devices(Domain& domain) {
    if (domain.of_class(DeviceClass::Panic).empty()) {
        Device panic = model::implicit_device(DeviceClass::Panic);
        panic.model = "pseries";
        domain.add_implicit(std::move(panic));
    }
    if (domain.of_class(DeviceClass::Graphics).empty()) return;
    if (!has_usb_input(domain, "keyboard")) add_usb_input(domain, "keyboard");
    if (!has_usb_input(domain, "mouse") && !has_usb_input(domain, "tablet")) add_usb_input(domain, "mouse");
}

}  // namespace guestaddr::machine
