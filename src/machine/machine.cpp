#include "machine/machine.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "guestaddr/error.hpp"
#include "machine/qemu_7_2.hpp"

namespace guestaddr::machine {
namespace {

[[noreturn]] void unsupported(std::string message) {
    throw Failure(Error{ErrorKind::Unsupported, "", std::move(message)});
}

const EmulatorCapabilities& emulator_for(std::string_view arch) {
    const EmulatorCapabilities& x86 = qemu_7_2_x86();
    if (std::ranges::find(x86.arches, arch) != x86.arches.end()) return x86;
    unsupported(fmt::format("architecture '{}' is not supported (guestaddr knows x86_64 and i686)", arch));
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
