#include "machine/qemu_7_2.hpp"

namespace guestaddr::machine {
namespace {

constexpr std::string_view kArches[] = {"s390x"};

// `qemu-system-s390x -machine help` of QEMU 7.2, less the alias. ('none'
// is left out: libvirt cannot start an s390x guest without the channel
// subsystem, and guestaddr has nothing to address there.)
constexpr MachineType kMachines[] = {
    {"s390-ccw-virtio-7.2", Chipset::S390Ccw}, {"s390-ccw-virtio-7.1", Chipset::S390Ccw},
    {"s390-ccw-virtio-7.0", Chipset::S390Ccw}, {"s390-ccw-virtio-6.2", Chipset::S390Ccw},
    {"s390-ccw-virtio-6.1", Chipset::S390Ccw}, {"s390-ccw-virtio-6.0", Chipset::S390Ccw},
    {"s390-ccw-virtio-5.2", Chipset::S390Ccw}, {"s390-ccw-virtio-5.1", Chipset::S390Ccw},
    {"s390-ccw-virtio-5.0", Chipset::S390Ccw}, {"s390-ccw-virtio-4.2", Chipset::S390Ccw},
    {"s390-ccw-virtio-4.1", Chipset::S390Ccw}, {"s390-ccw-virtio-4.0", Chipset::S390Ccw},
    {"s390-ccw-virtio-3.1", Chipset::S390Ccw}, {"s390-ccw-virtio-3.0", Chipset::S390Ccw},
    {"s390-ccw-virtio-2.12", Chipset::S390Ccw}, {"s390-ccw-virtio-2.11", Chipset::S390Ccw},
    {"s390-ccw-virtio-2.10", Chipset::S390Ccw}, {"s390-ccw-virtio-2.9", Chipset::S390Ccw},
    {"s390-ccw-virtio-2.8", Chipset::S390Ccw}, {"s390-ccw-virtio-2.7", Chipset::S390Ccw},
    {"s390-ccw-virtio-2.6", Chipset::S390Ccw}, {"s390-ccw-virtio-2.5", Chipset::S390Ccw},
    {"s390-ccw-virtio-2.4", Chipset::S390Ccw},
};

constexpr MachineAlias kAliases[] = {
    {"s390-ccw-virtio", "s390-ccw-virtio-7.2"},
};

}  // namespace

const EmulatorCapabilities& qemu_7_2_s390x() {
    static const EmulatorCapabilities caps{kArches, kMachines, kAliases, "s390-ccw-virtio-7.2"};
    return caps;
}

}  // namespace guestaddr::machine
