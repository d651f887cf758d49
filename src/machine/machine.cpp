#include "machine/machine.hpp"

#include <algorithm>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "guestaddr/error.hpp"
#include "machine/qemu_7_2.hpp"

namespace guestaddr::machine {
namespace {

[[noreturn]] void unsupported(std::string message) {
    throw Failure(Error{ErrorKind::Unsupported, "", std::move(message)});
}

// The emulators guestaddr knows, one per QEMU system binary.
using EmulatorTable = const EmulatorCapabilities& (*)();
constexpr EmulatorTable kEmulators[] = {
    qemu_7_2_x86,
    qemu_7_2_s390x,
    qemu_7_2_aarch64,
    qemu_7_2_arm,
    qemu_7_2_riscv64,
    qemu_7_2_ppc64,
};

const EmulatorCapabilities& emulator_for(std::string_view arch) {
    std::vector<std::string_view> known;
    for (EmulatorTable table : kEmulators) {
        const EmulatorCapabilities& caps = table();
        if (std::ranges::find(caps.arches, arch) != caps.arches.end()) return caps;
        known.insert(known.end(), caps.arches.begin(), caps.arches.end());
    }
    unsupported(fmt::format("architecture '{}' is not supported (guestaddr knows {})", arch, fmt::join(known, ", ")));
}

}  // namespace

MachineProfile resolve_machine(std::string_view arch, std::string_view machine) {
    const EmulatorCapabilities& caps = emulator_for(arch.empty() ? kDefaultArch : arch);
    std::string_view name = machine.empty() ? caps.default_machine : machine;
    for (const MachineAlias& alias : caps.aliases)
        if (alias.alias == name) name = alias.target;
    for (const MachineType& type : caps.machines)
        if (type.name == name) return MachineProfile{std::string(type.name), type.chipset};
    unsupported(fmt::format("the emulator for {} does not support machine type '{}'", arch, machine));
}

}  // namespace guestaddr::machine
