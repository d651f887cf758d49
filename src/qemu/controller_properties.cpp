// Controllers: the PCI controllers' topology properties, USB companions,
// queue and port counts.
#include <array>

#include <fmt/format.h>

#include "qemu/device_properties.hpp"
#include "qemu/source.hpp"

namespace guestaddr::qemu {
namespace {

using model::Device;

// Which <target> values each PCI controller model passes to QEMU.
struct PciTargetProperties {
    std::string_view model;
    bool port_and_chassis;
    bool chassis_nr;
    bool bus_nr_and_node;
    bool target_index = false;  // a pSeries PHB's <target index>
    bool numa_node = false;     // <target><node>, after the id
};
constexpr std::array kPciTargets{
    PciTargetProperties{"pcie-root-port", true, false, false},
    PciTargetProperties{"pcie-switch-downstream-port", true, false, false},
    PciTargetProperties{"pci-bridge", false, true, false},
    PciTargetProperties{"pci-expander-bus", false, false, true, false, true},
    PciTargetProperties{"pcie-expander-bus", false, false, true, false, true},
    PciTargetProperties{"pci-root", false, false, false, true, true},
};

void add_pci_target(DeviceBuild& b) {
    const model::ControllerTarget& t = b.device.extras().ctarget;
    for (const PciTargetProperties& p : kPciTargets) {
        if (p.model != b.device.model) continue;
        if (p.port_and_chassis && t.port) b.props["port"] = *t.port;
        if (p.port_and_chassis && t.chassis) b.props["chassis"] = *t.chassis;
        if (p.chassis_nr && t.chassis_nr) b.props["chassis_nr"] = *t.chassis_nr;
        if (p.bus_nr_and_node && t.bus_nr) b.props["bus_nr"] = *t.bus_nr;
        if (p.target_index && t.index) b.props["index"] = *t.index;
    }
    b.add_id();
    for (const PciTargetProperties& p : kPciTargets)
        if (p.model == b.device.model && p.numa_node && t.node) b.props["numa_node"] = *t.node;
}

// A USB2 companion (ich9-uhci) has no id of its own: it joins its EHCI
// master's bus from the port the master lends it.
bool is_companion(const Device& c) { return c.type == "usb" && c.extras().master_startport.has_value(); }

void add_companion(DeviceBuild& b) {
    b.props["masterbus"] = fmt::format("{}.0", b.source.controller_id("usb", b.device.index.value_or(0)));
    b.props["firstport"] = *b.device.extras().master_startport;
}

void add_counts(DeviceBuild& b) {
    const model::Element* driver = b.element.child("driver");
    if (b.device.type == "usb" && b.device.extras().ports && b.driver.find("xhci") != std::string::npos) {
        b.props["p2"] = *b.device.extras().ports;
        b.props["p3"] = *b.device.extras().ports;
    }
    b.add_id();
    if (b.device.type == "scsi" && driver && driver->attribute("queues"))
        b.props["num_queues"] = std::stoul(std::string(*driver->attribute("queues")));
    if (b.device.type == "virtio-serial" && b.device.extras().ports) b.props["max_ports"] = *b.device.extras().ports;
    if (b.device.type == "virtio-serial" && b.element.attribute("vectors"))
        b.props["vectors"] = std::stoul(std::string(*b.element.attribute("vectors")));
}

}  // namespace

bool is_builtin_controller(const Source& source, const Device& c) {
    if (c.cls != model::DeviceClass::Controller) return false;
    const unsigned index = c.index.value_or(0);
    const machine::Chipset chipset = source.machine.chipset;
    // A pci-root past index 0 is a pSeries PHB QEMU creates from -device.
    return (c.type == "pci" && (c.model == "pci-root" || c.model == "pcie-root") && index == 0) ||
           (c.type == "ide" && index == 0 && chipset == machine::Chipset::I440fx) ||
           (c.type == "sata" && index == 0 && chipset == machine::Chipset::Q35) || c.type == "fdc";
}

void build_controller(DeviceBuild& b) {
    if (b.driver.empty()) return;
    b.start();
    if (b.device.type == "pci")
        add_pci_target(b);
    else if (is_companion(b.device))
        add_companion(b);
    else
        add_counts(b);
    b.place();
    b.finish();
}

}  // namespace guestaddr::qemu
