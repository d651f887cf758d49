#include "qemu/device_options.hpp"

#include <array>

#include <fmt/format.h>

#include "qemu/backends.hpp"
#include "qemu/device_properties.hpp"
#include "qemu/drivers.hpp"
#include "qemu/placement.hpp"
#include "qemu/source.hpp"
#include "qemu/stub.hpp"

namespace guestaddr::qemu {
namespace {

using model::DeviceClass;

using BuildFn = void (*)(DeviceBuild&);

struct ClassBuilder {
    DeviceClass cls;
    BuildFn build;
};

// How each device class becomes options (device_properties.cpp); classes
// not listed (leases, graphics, audio) have no device of their own.
constexpr std::array kBuilders{
    ClassBuilder{DeviceClass::Controller, build_controller}, ClassBuilder{DeviceClass::Disk, build_disk},
    ClassBuilder{DeviceClass::Interface, build_interface},   ClassBuilder{DeviceClass::Hostdev, build_hostdev},
    ClassBuilder{DeviceClass::Video, build_video},           ClassBuilder{DeviceClass::Sound, build_sound},
    ClassBuilder{DeviceClass::Input, build_input},           ClassBuilder{DeviceClass::Redirdev, build_chardev_device},
    ClassBuilder{DeviceClass::Smartcard, build_smartcard},   ClassBuilder{DeviceClass::Serial, build_serial},
    ClassBuilder{DeviceClass::Parallel, build_chardev_device}, ClassBuilder{DeviceClass::Channel, build_channel},
    ClassBuilder{DeviceClass::Console, build_chardev_device}, ClassBuilder{DeviceClass::Hub, build_plain},
    ClassBuilder{DeviceClass::Watchdog, build_watchdog},     ClassBuilder{DeviceClass::Memballoon, build_memballoon},
    ClassBuilder{DeviceClass::Rng, build_rng},               ClassBuilder{DeviceClass::Panic, build_panic},
    ClassBuilder{DeviceClass::Shmem, build_shmem},           ClassBuilder{DeviceClass::Memory, build_memory},
    ClassBuilder{DeviceClass::Iommu, build_iommu},           ClassBuilder{DeviceClass::Vsock, build_vsock},
    ClassBuilder{DeviceClass::Filesystem, build_filesystem}, ClassBuilder{DeviceClass::Tpm, build_tpm},
    ClassBuilder{DeviceClass::Nvram, build_nvram},
};

BuildFn builder_for(DeviceClass cls) {
    for (const ClassBuilder& b : kBuilders)
        if (b.cls == cls) return b.build;
    return nullptr;
}

// A PCI function on s390x is also a zPCI device, "zpci<uid>", written just
// before it and naming it as its target.
void add_zpci(DeviceBuild& b) {
    const PciAddress* a = b.device.pci();
    if (a == nullptr || !a->zpci_uid || b.out.devices.empty() || !b.source.machine.is_s390()) return;
    Json zpci{{"driver", "zpci"}, {"uid", *a->zpci_uid}, {"fid", a->zpci_fid.value_or(0)},
              {"target", b.out.devices.front().value("id", b.id)}, {"id", fmt::format("zpci{}", *a->zpci_uid)}};
    b.out.devices.insert(b.out.devices.begin(), std::move(zpci));
}

}  // namespace

DeviceOptions device_options(const Source& source, std::size_t index, Backends backends) {
    const model::Device& d = source.device(index);
    const BuildFn build = builder_for(d.cls);
    if (d.discarded || build == nullptr) return {};
    DeviceBuild b{source, index, d, source.element(index), source.ids[index],
                  driver_name(d, source.element(index), is_builtin_controller(source, d), source.arch), {}, {}};
    build(b);
    add_zpci(b);
    if (backends == Backends::Stub) stub_device_options(b.out, index);
    return std::move(b.out);
}

DeviceOptions device_options(const Definition& definition, std::size_t index, Backends backends) {
    return device_options(make_source(definition), index, backends);
}

}  // namespace guestaddr::qemu
