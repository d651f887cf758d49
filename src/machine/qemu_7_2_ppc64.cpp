#include "machine/qemu_7_2.hpp"

namespace guestaddr::machine {
namespace {

constexpr std::string_view kArches[] = {"ppc64", "ppc64le"};

// The pseries machines of `qemu-system-ppc64 -machine help` (QEMU 7.2). The
// other boards (mac99, powernv, ppce500, ...) address devices by rules
// guestaddr does not have: they are refused as unknown machine types.
constexpr MachineType kMachines[] = {
    {"pseries-7.2", Chipset::Pseries},  {"pseries-7.1", Chipset::Pseries},  {"pseries-7.0", Chipset::Pseries},
    {"pseries-6.2", Chipset::Pseries},  {"pseries-6.1", Chipset::Pseries},  {"pseries-6.0", Chipset::Pseries},
    {"pseries-5.2", Chipset::Pseries},  {"pseries-5.1", Chipset::Pseries},  {"pseries-5.0", Chipset::Pseries},
    {"pseries-4.2", Chipset::Pseries},  {"pseries-4.1", Chipset::Pseries},  {"pseries-4.0", Chipset::Pseries},
    {"pseries-3.1", Chipset::Pseries},  {"pseries-3.0", Chipset::Pseries},  {"pseries-2.12-sxxm", Chipset::Pseries},
    {"pseries-2.12", Chipset::Pseries}, {"pseries-2.11", Chipset::Pseries}, {"pseries-2.10", Chipset::Pseries},
    {"pseries-2.9", Chipset::Pseries},  {"pseries-2.8", Chipset::Pseries},  {"pseries-2.7", Chipset::Pseries},
    {"pseries-2.6", Chipset::Pseries},  {"pseries-2.5", Chipset::Pseries},  {"pseries-2.4", Chipset::Pseries},
    {"pseries-2.3", Chipset::Pseries},  {"pseries-2.2", Chipset::Pseries},  {"pseries-2.1", Chipset::Pseries},
};

constexpr MachineAlias kAliases[] = {
    {"pseries", "pseries-7.2"},
};

}  // namespace

const EmulatorCapabilities& qemu_7_2_ppc64() {
    static const EmulatorCapabilities caps{kArches, kMachines, kAliases, "pseries-7.2"};
    return caps;
}

}  // namespace guestaddr::machine
