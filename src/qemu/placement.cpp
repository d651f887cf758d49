#include "qemu/placement.hpp"

#include <array>

#include <fmt/format.h>

#include "qemu/source.hpp"

namespace guestaddr::qemu {
namespace {

using model::Device;

// SCSI controllers with one LUN per target: their drives are addressed by
// bus and unit only (libvirt's "scsi-id = unit" form).
constexpr std::array<std::string_view, 4> kSingleLunScsi{"lsilogic", "ncr53c90", "dc390", "am53c974"};

bool single_lun_scsi(const Source& source, unsigned controller) {
    const Device* c = source.domain.find_controller("scsi", controller);
    const std::string_view model = c == nullptr ? "lsilogic" : std::string_view(c->model);
    return std::find(kSingleLunScsi.begin(), kSingleLunScsi.end(), model) != kSingleLunScsi.end();
}

// PCI controllers whose bus is not named after the controller's id but is
// a child of it: a pSeries PHB "pci.1" has its bus "pci.1.0".
constexpr std::array<std::string_view, 1> kHostBridgesWithChildBus{"spapr-pci-host-bridge"};

std::string pci_bus_id(const Source& source, unsigned index) {
    std::string id = source.controller_id("pci", index);
    const Device* c = source.domain.find_controller("pci", index);
    const std::string_view qemu_model = c == nullptr ? std::string_view() : c->extras().model_name.view();
    if (index != 0 && std::find(kHostBridgesWithChildBus.begin(), kHostBridgesWithChildBus.end(), qemu_model) !=
                          kHostBridgesWithChildBus.end())
        id += ".0";
    return id;
}

unsigned long long number(std::string_view text) { return std::stoull(std::string(text), nullptr, 0); }

// A CCW device number as QEMU takes it: "fe.0.000a" (cssid.ssid.devno).
std::string ccw_devno(const OtherAddress& a) {
    return fmt::format("{:x}.{:x}.{:04x}", number(a.attribute("cssid").value_or("0xfe")),
                       number(a.attribute("ssid").value_or("0")), number(a.attribute("devno").value_or("0")));
}

struct Placer {
    const Source& source;
    const Device& device;
    Json& props;

    void operator()(std::monostate) const {}

    void operator()(const PciAddress& a) const {
        props["bus"] = pci_bus_id(source, a.bus);
        if (a.multifunction != Multifunction::Absent) props["multifunction"] = a.multifunction == Multifunction::On;
        props["addr"] = pci_addr(a);
        // <acpi index>: the guest's name of the device (libvirt sets it with the address).
        if (device.extras().acpi_index) props["acpi-index"] = *device.extras().acpi_index;
    }

    // The drive bus is the disk's (or a SCSI host device's): IDE is
    // "<alias>.<bus>" + unit, SATA puts each unit on a bus of its own.
    void operator()(const DriveAddress& a) const {
        const std::string_view bus = device.cls == model::DeviceClass::Hostdev ? "scsi" : device.bus.view();
        if (bus == "ide") {
            props["bus"] = fmt::format("{}.{}", source.controller_id("ide", a.controller), a.bus);
            props["unit"] = a.unit;
        } else if (bus == "sata") {
            props["bus"] = fmt::format("{}.{}", source.controller_id("sata", a.controller), a.unit);
        } else if (bus == "fdc") {
            props["unit"] = a.unit;
        } else if (bus == "scsi" && single_lun_scsi(source, a.controller)) {
            props["bus"] = fmt::format("{}.{}", source.controller_id("scsi", a.controller), a.bus);
            props["scsi-id"] = a.unit;
        } else if (bus == "scsi") {
            props["bus"] = fmt::format("{}.0", source.controller_id("scsi", a.controller));
            props["channel"] = a.bus;
            props["scsi-id"] = a.target;
            props["lun"] = a.unit;
        }
    }

    void operator()(const UsbAddress& a) const {
        props["bus"] = fmt::format("{}.0", source.controller_id("usb", a.bus));
        props["port"] = a.port_string();
    }

    void operator()(const VirtioSerialAddress& a) const {
        props["bus"] = fmt::format("{}.{}", source.controller_id("virtio-serial", a.controller), a.bus);
        props["nr"] = a.port;
    }

    void operator()(const CcidAddress& a) const {
        props["bus"] = fmt::format("{}.0", source.controller_id("ccid", a.controller));
    }

    // CCW: the device number; spapr-vio: the register; virtio-mmio: none
    // (QEMU takes the first free transport). DIMMs: slot, and the base
    // address when one is set.
    void operator()(const OtherAddress& a) const {
        if (a.type == "ccw") props["devno"] = ccw_devno(a);
        if (a.type == "spapr-vio" && a.attribute("reg")) props["reg"] = number(*a.attribute("reg"));
        if (a.type != "dimm") return;
        for (const auto& [key, value] : a.attributes) {
            const unsigned long long n = std::stoull(value, nullptr, 0);
            if (key == "slot") props["slot"] = n;
            if (key == "base" && n != 0) props["addr"] = n;
        }
    }
};

}  // namespace

std::string pci_addr(const PciAddress& a) {
    return a.function == 0 ? fmt::format("{:#x}", a.slot) : fmt::format("{:#x}.{:#x}", a.slot, a.function);
}

void add_placement(const Source& source, std::size_t index, Json& properties) {
    const Device& d = source.device(index);
    std::visit(Placer{source, d, properties}, d.address);
}

}  // namespace guestaddr::qemu
