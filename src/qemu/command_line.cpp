#include "qemu/command_line.hpp"

#include <array>
#include <set>

#include "qemu/arch_profile.hpp"
#include "qemu/general_options.hpp"
#include "qemu/source.hpp"
#include "qemu/stub.hpp"

namespace guestaddr::qemu {
namespace {

using model::DeviceClass;

class Assembler {
public:
    Assembler(const Source& source, Backends backends) : source_(source), backends_(backends) {}

    std::vector<Option> run() {
        append(leading_options(source_));
        append(platform_options(source_));
        add_class(DeviceClass::Iommu);
        add_pci_controllers();
        for (std::string_view type : {"usb", "scsi", "ide", "sata", "virtio-serial"}) add_controllers(type);
        add_class(DeviceClass::Memory);
        add_class(DeviceClass::Hub);
        add_controllers("ccid");
        add_disks();
        for (DeviceClass cls : {DeviceClass::Filesystem, DeviceClass::Interface, DeviceClass::Smartcard,
                                DeviceClass::Serial, DeviceClass::Parallel, DeviceClass::Channel,
                                DeviceClass::Console, DeviceClass::Tpm, DeviceClass::Input})
            add_class(cls);
        append(display_options(source_));
        for (DeviceClass cls : {DeviceClass::Video, DeviceClass::Sound})
            add_class(cls);
        add_pc_speaker();
        for (DeviceClass cls : {DeviceClass::Watchdog, DeviceClass::Redirdev, DeviceClass::Hostdev,
                                DeviceClass::Memballoon, DeviceClass::Rng, DeviceClass::Nvram})
            add_class(cls);
        append(sandbox_options());
        for (DeviceClass cls : {DeviceClass::Panic, DeviceClass::Shmem, DeviceClass::Vsock}) add_class(cls);
        options_.push_back(text_option("-msg", "timestamp=on"));
        if (backends_ == Backends::Stub) stub_general_options(options_);
        return std::move(options_);
    }

private:
    void append(std::vector<Option> options) {
        for (Option& o : options) options_.push_back(std::move(o));
    }

    void add_device(std::size_t i) {
        DeviceOptions d = device_options(source_, i, backends_);
        append(std::move(d.backends));
        for (Json& device : d.devices) options_.push_back(json_option("-device", std::move(device)));
        append(std::move(d.after));
    }

    void add_class(DeviceClass cls) {
        for (std::size_t i : source_.domain.of_class(cls)) add_device(i);
    }

    void add_controllers(std::string_view type) {
        for (std::size_t i : source_.controllers)
            if (source_.device(i).type == type) add_device(i);
    }

    // In index order, as libvirt writes them, except that a controller
    // waits for the one its bus belongs to: QEMU creates devices in
    // command-line order and refuses a bus that does not exist yet.
    void add_pci_controllers() {
        std::vector<std::size_t> pending;
        for (std::size_t i : source_.controllers)
            if (source_.device(i).type == "pci") pending.push_back(i);
        std::set<unsigned> created{0};
        while (!pending.empty()) {
            const std::size_t before = pending.size();
            std::erase_if(pending, [&](std::size_t i) {
                const PciAddress* a = source_.device(i).pci();
                if (a != nullptr && !created.contains(a->bus)) return false;
                add_device(i);
                created.insert(source_.device(i).index.value_or(0));
                return true;
            });
            if (pending.size() == before) break;  // a bus that never appears: validation's business
        }
    }

    // Disks in libvirt's order; on q35 the ISA floppy controller goes just
    // before the first floppy, whose bus it provides.
    void add_disks() {
        bool fdc = source_.machine.chipset != machine::Chipset::Q35;
        for (std::size_t i : source_.domain.disk_order) {
            if (!fdc && source_.device(i).bus == "fdc") {
                options_.push_back(json_option("-device", Json{{"driver", "isa-fdc"}}));
                fdc = true;
            }
            add_device(i);
        }
    }

    // libvirt 9.0 still writes the PC speaker as -soundhw.
    void add_pc_speaker() {
        for (std::size_t i : source_.domain.of_class(DeviceClass::Sound))
            if (source_.device(i).model == "pcspk") options_.push_back(text_option("-soundhw", "pcspk"));
    }

    const Source& source_;
    Backends backends_;
    std::vector<Option> options_;
};

}  // namespace

std::vector<Option> command_line(const Definition& definition, Backends backends) {
    const Source source = make_source(definition);
    return Assembler(source, backends).run();
}

std::string emulator(const Definition& definition) {
    const ArchProfile* arch = arch_profile(definition.domain().arch);
    return std::string(arch != nullptr ? arch->emulator : arch_profile(machine::kDefaultArch)->emulator);
}

std::vector<std::string> command_line_text(const Definition& definition, Backends backends) {
    std::vector<std::string> lines{emulator(definition)};
    for (const Option& o : command_line(definition, backends)) lines.push_back(render(o));
    return lines;
}

}  // namespace guestaddr::qemu
