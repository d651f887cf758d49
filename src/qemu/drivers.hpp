// Which QEMU device (the -device "driver") each libvirt device model is:
// one table for every device class (drivers.cpp).
#pragma once

#include <string>

#include "model/device.hpp"
#include "model/element.hpp"
#include "qemu/arch_profile.hpp"

namespace guestaddr::qemu {

// The QEMU driver of `device` (whose XML element is `element`, empty for an
// implicit device); "" when libvirt writes no -device for it: built-in
// controllers and inputs, the console that mirrors a serial port, models
// without a device (memballoon 'none', panic 'hyperv', ...). A controller
// the chipset has built in (`builtin_controller`) has none either. Virtio
// drivers take their transport from the address (-pci, -ccw, -device).
std::string driver_name(const model::Device& device, const model::Element& element, bool builtin_controller,
                        const ArchProfile& arch);

// The QEMU device of a USB controller model ("qemu-xhci" for qemu-xhci,
// "nec-usb-xhci" for nec-xhci), "" for a model without one ('none').
std::string_view usb_controller_driver(std::string_view model);

}  // namespace guestaddr::qemu
