#include "machine/qemu_7_2.hpp"

#include <array>

namespace guestaddr::machine {
namespace {

constexpr std::string_view kArches[] = {"x86_64", "i686"};

// `qemu-system-x86_64 -machine help` of QEMU 7.2, less the aliases.
constexpr MachineType kMachines[] = {
    {"microvm", Chipset::Microvm},
    {"pc-i440fx-7.2", Chipset::I440fx},
    {"pc-i440fx-7.1", Chipset::I440fx},
    {"pc-i440fx-7.0", Chipset::I440fx},
    {"pc-i440fx-6.2", Chipset::I440fx},
    {"pc-i440fx-6.1", Chipset::I440fx},
    {"pc-i440fx-6.0", Chipset::I440fx},
    {"pc-i440fx-5.2", Chipset::I440fx},
    {"pc-i440fx-5.1", Chipset::I440fx},
    {"pc-i440fx-5.0", Chipset::I440fx},
    {"pc-i440fx-4.2", Chipset::I440fx},
    {"pc-i440fx-4.1", Chipset::I440fx},
    {"pc-i440fx-4.0", Chipset::I440fx},
    {"pc-i440fx-3.1", Chipset::I440fx},
    {"pc-i440fx-3.0", Chipset::I440fx},
    {"pc-i440fx-2.9", Chipset::I440fx},
    {"pc-i440fx-2.8", Chipset::I440fx},
    {"pc-i440fx-2.7", Chipset::I440fx},
    {"pc-i440fx-2.6", Chipset::I440fx},
    {"pc-i440fx-2.5", Chipset::I440fx},
    {"pc-i440fx-2.4", Chipset::I440fx},
    {"pc-i440fx-2.3", Chipset::I440fx},
    {"pc-i440fx-2.2", Chipset::I440fx},
    {"pc-i440fx-2.12", Chipset::I440fx},
    {"pc-i440fx-2.11", Chipset::I440fx},
    {"pc-i440fx-2.10", Chipset::I440fx},
    {"pc-i440fx-2.1", Chipset::I440fx},
    {"pc-i440fx-2.0", Chipset::I440fx},
    {"pc-i440fx-1.7", Chipset::I440fx},
    {"pc-i440fx-1.6", Chipset::I440fx},
    {"pc-i440fx-1.5", Chipset::I440fx},
    {"pc-i440fx-1.4", Chipset::I440fx},
    {"pc-q35-7.2", Chipset::Q35},
    {"pc-q35-7.1", Chipset::Q35},
    {"pc-q35-7.0", Chipset::Q35},
    {"pc-q35-6.2", Chipset::Q35},
    {"pc-q35-6.1", Chipset::Q35},
    {"pc-q35-6.0", Chipset::Q35},
    {"pc-q35-5.2", Chipset::Q35},
    {"pc-q35-5.1", Chipset::Q35},
    {"pc-q35-5.0", Chipset::Q35},
    {"pc-q35-4.2", Chipset::Q35},
    {"pc-q35-4.1", Chipset::Q35},
    {"pc-q35-4.0.1", Chipset::Q35},
    {"pc-q35-4.0", Chipset::Q35},
    {"pc-q35-3.1", Chipset::Q35},
    {"pc-q35-3.0", Chipset::Q35},
    {"pc-q35-2.9", Chipset::Q35},
    {"pc-q35-2.8", Chipset::Q35},
    {"pc-q35-2.7", Chipset::Q35},
    {"pc-q35-2.6", Chipset::Q35},
    {"pc-q35-2.5", Chipset::Q35},
    {"pc-q35-2.4", Chipset::Q35},
    {"pc-q35-2.12", Chipset::Q35},
    {"pc-q35-2.11", Chipset::Q35},
    {"pc-q35-2.10", Chipset::Q35},
    {"isapc", Chipset::Isapc},
    {"none", Chipset::None},
    {"x-remote", Chipset::None},
};

constexpr MachineAlias kAliases[] = {
    {"pc", "pc-i440fx-7.2"},
    {"q35", "pc-q35-7.2"},
};

}  // namespace

const EmulatorCapabilities& qemu_7_2_x86() {
    static const EmulatorCapabilities caps{kArches, kMachines, kAliases, "pc-i440fx-7.2"};
    return caps;
}

}  // namespace guestaddr::machine
