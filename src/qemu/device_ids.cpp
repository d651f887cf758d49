#include "qemu/device_ids.hpp"

#include <array>
#include <map>

#include <fmt/format.h>

#include "qemu/source.hpp"

namespace guestaddr::qemu {
namespace {

using model::Device;
using model::DeviceClass;

// Classes whose devices are simply "<prefix><position in libvirt's list>".
struct NumberedClass {
    DeviceClass cls;
    const char* prefix;
};
constexpr std::array kNumberedClasses{
    NumberedClass{DeviceClass::Filesystem, "fs"},      NumberedClass{DeviceClass::Sound, "sound"},
    NumberedClass{DeviceClass::Video, "video"},        NumberedClass{DeviceClass::Redirdev, "redir"},
    NumberedClass{DeviceClass::Input, "input"},        NumberedClass{DeviceClass::Parallel, "parallel"},
    NumberedClass{DeviceClass::Serial, "serial"},      NumberedClass{DeviceClass::Channel, "channel"},
    NumberedClass{DeviceClass::Hub, "hub"},            NumberedClass{DeviceClass::Shmem, "shmem"},
    NumberedClass{DeviceClass::Smartcard, "smartcard"}, NumberedClass{DeviceClass::Watchdog, "watchdog"},
    NumberedClass{DeviceClass::Memballoon, "balloon"}, NumberedClass{DeviceClass::Rng, "rng"},
    NumberedClass{DeviceClass::Tpm, "tpm"},            NumberedClass{DeviceClass::Vsock, "vsock"},
    NumberedClass{DeviceClass::Iommu, "iommu"},        NumberedClass{DeviceClass::Nvram, "nvram"},
};

// Memory device models and their alias prefix; DIMMs are numbered by slot,
// the others by their position among their own model.
struct MemoryPrefix {
    const char* model;
    const char* prefix;
    bool by_slot;
};
constexpr std::array kMemoryPrefixes{
    MemoryPrefix{"dimm", "dimm", true},
    MemoryPrefix{"nvdimm", "nvdimm", true},
    MemoryPrefix{"virtio-pmem", "virtiopmem", false},
    MemoryPrefix{"virtio-mem", "virtiomem", false},
};

std::string other_address_attribute(const Device& d, std::string_view key) {
    if (const auto* other = std::get_if<OtherAddress>(&d.address))
        for (const auto& [k, v] : other->attributes)
            if (k == key) return v;
    return {};
}

unsigned address_number(const Device& d, std::string_view key) {
    const std::string text = other_address_attribute(d, key);
    return text.empty() ? 0 : static_cast<unsigned>(std::stoul(text, nullptr, 0));
}

// Controller 0 of a type the chipset has built in is named after the
// built-in device ("ide" for the PIIX IDE and the ICH9 AHCI, "usb").
std::string controller_id(const Source& source, const Device& c) {
    const unsigned index = c.index.value_or(0);
    const machine::Chipset chipset = source.machine.chipset;
    if (c.type == "pci") {
        if (index == 0) return c.model == "pcie-root" ? "pcie.0" : "pci.0";
        return fmt::format("pci.{}", index);
    }
    if (index == 0) {
        if (c.type == "ide" && chipset == machine::Chipset::I440fx) return "ide";
        if (c.type == "sata" && chipset == machine::Chipset::Q35) return "ide";
        if (c.type == "usb") return "usb";
        if (c.type == "scsi" && c.model == "ncr53c90") return "scsi";
    }
    return fmt::format("{}{}", c.type, index);
}

// Drive-addressed disks are named by controller, bus and unit (and target,
// on SCSI controllers other than lsilogic); the others by their name's index.
std::string disk_id(const Source& source, const Device& disk) {
    const auto* drive = std::get_if<DriveAddress>(&disk.address);
    if (drive == nullptr) return fmt::format("{}-disk{}", disk.bus, disk.target_index.value_or(0));
    bool with_target = false;
    if (disk.bus == "scsi") {
        const Device* c = source.domain.find_controller("scsi", drive->controller);
        with_target = c == nullptr || c->model != "lsilogic";
    }
    if (with_target)
        return fmt::format("{}{}-{}-{}-{}", disk.bus, drive->controller, drive->bus, drive->target, drive->unit);
    return fmt::format("{}{}-{}-{}", disk.bus, drive->controller, drive->bus, drive->unit);
}

std::string memory_id(const Device& memory, std::map<std::string, unsigned, std::less<>>& counts) {
    for (const MemoryPrefix& m : kMemoryPrefixes)
        if (memory.model == m.model)
            return fmt::format("{}{}", m.prefix, m.by_slot ? address_number(memory, "slot") : counts[m.prefix]++);
    return {};
}

class Namer {
public:
    explicit Namer(const Source& source) : source_(source), ids_(source.domain.devices.size()) {}

    std::vector<std::string> run() {
        for (const NumberedClass& n : kNumberedClasses) {
            unsigned position = 0;
            for (std::size_t i : of(n.cls)) ids_[i] = fmt::format("{}{}", n.prefix, position++);
        }
        for (std::size_t i : of(DeviceClass::Disk)) ids_[i] = disk_id(source_, device(i));
        for (std::size_t i : of(DeviceClass::Controller)) ids_[i] = controller_id(source_, device(i));
        name_interfaces_and_hostdevs();
        name_consoles();
        std::map<std::string, unsigned, std::less<>> memory_counts;
        for (std::size_t i : of(DeviceClass::Memory)) ids_[i] = memory_id(device(i), memory_counts);
        keep_user_aliases();
        return std::move(ids_);
    }

private:
    const Device& device(std::size_t i) const { return source_.domain.devices[i]; }
    std::vector<std::size_t> of(DeviceClass cls) const { return source_.domain.of_class(cls); }

    // NICs are "net<position>"; a NIC that is a host device takes the next
    // "hostdev<N>" instead, before the <hostdev>s are numbered.
    void name_interfaces_and_hostdevs() {
        unsigned position = 0, hostdevs = 0;
        for (std::size_t i : of(DeviceClass::Interface)) {
            ids_[i] = device(i).type == "hostdev" ? fmt::format("hostdev{}", hostdevs++)
                                                  : fmt::format("net{}", position);
            ++position;
        }
        for (std::size_t i : of(DeviceClass::Hostdev)) ids_[i] = fmt::format("hostdev{}", hostdevs++);
    }

    // The first console, when it is the first serial port's mirror, shares
    // that port's name.
    void name_consoles() {
        const std::vector<std::size_t> serials = of(DeviceClass::Serial);
        unsigned position = 0;
        for (std::size_t i : of(DeviceClass::Console)) {
            const bool mirror = position == 0 && device(i).target_type == "serial" && !serials.empty();
            ids_[i] = mirror ? ids_[serials.front()] : fmt::format("console{}", position);
            ++position;
        }
    }

    // Root buses keep their fixed names: QEMU creates them, not libvirt.
    void keep_user_aliases() {
        for (std::size_t i = 0; i < ids_.size(); ++i) {
            if (ids_[i] == "pci.0" || ids_[i] == "pcie.0") continue;
            const model::Element* alias = source_.element(i).child("alias");
            const std::string_view name = alias ? alias->attribute_or("name", "") : "";
            if (name.starts_with("ua-")) ids_[i] = std::string(name);
        }
    }

    const Source& source_;
    std::vector<std::string> ids_;
};

}  // namespace

std::vector<std::string> device_ids(const Source& source) { return Namer(source).run(); }

}  // namespace guestaddr::qemu
