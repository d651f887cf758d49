#include "machine/qemu_7_2.hpp"

namespace guestaddr::machine {
namespace {

constexpr std::string_view kArches[] = {"riscv64"};

// `qemu-system-riscv64 -machine help` of QEMU 7.2. 'virt' has no versions;
// the boards have no PCI and no bus libvirt addresses.
constexpr MachineType kMachines[] = {
    {"microchip-icicle-kit", Chipset::None},
    {"none", Chipset::None},
    {"shakti_c", Chipset::None},
    {"sifive_e", Chipset::None},
    {"sifive_u", Chipset::None},
    {"spike", Chipset::None},
    {"virt", Chipset::RiscvVirt},
};

}  // namespace

// QEMU's default riscv64 machine is spike (libvirt 9.0 takes it too).
const EmulatorCapabilities& qemu_7_2_riscv64() {
    static const EmulatorCapabilities caps{kArches, kMachines, std::span<const MachineAlias>{}, "spike"};
    return caps;
}

}  // namespace guestaddr::machine
