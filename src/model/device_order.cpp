#include "model/device_order.hpp"

#include <array>

namespace guestaddr::model {
namespace {

constexpr std::array kIterationOrder{
    DeviceClass::Disk,    DeviceClass::Interface, DeviceClass::Sound,      DeviceClass::Hostdev,
    DeviceClass::Video,   DeviceClass::Controller, DeviceClass::Smartcard, DeviceClass::Serial,
    DeviceClass::Parallel, DeviceClass::Channel,  DeviceClass::Console,    DeviceClass::Input,
    DeviceClass::Filesystem, DeviceClass::Watchdog, DeviceClass::Memballoon, DeviceClass::Rng,
    DeviceClass::Nvram,   DeviceClass::Hub,       DeviceClass::Shmem,      DeviceClass::Tpm,
    DeviceClass::Memory,  DeviceClass::Redirdev,  DeviceClass::Iommu,      DeviceClass::Vsock,
    DeviceClass::Panic,   DeviceClass::Lease,     DeviceClass::Graphics,   DeviceClass::Audio,
    DeviceClass::Crypto,  DeviceClass::Other,
};

}  // namespace

std::vector<std::size_t> device_iteration_order(const Domain& domain) {
    std::vector<std::size_t> order;
    order.reserve(domain.devices.size());
    for (DeviceClass cls : kIterationOrder)
        for (std::size_t i : domain.of_class(cls)) order.push_back(i);
    return order;
}

}  // namespace guestaddr::model
