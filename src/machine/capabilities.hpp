// What a QEMU binary offers, as data: its own answers over QMP (built-in
// tables generated from the real binaries by tools/gen-capabilities, or a
// binary probed at run time), and guestaddr's reading of them. Another QEMU
// version is another generated table, not code.
#pragma once

#include <compare>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "machine/machine.hpp"

namespace guestaddr::machine {

struct QemuVersion {
    int major = 0;
    int minor = 0;
    int micro = 0;
    auto operator<=>(const QemuVersion&) const = default;
    std::string to_string() const;  // "10.0.2"
};

// One entry of QMP query-machines.
struct QemuMachine {
    std::string_view name;
    std::string_view alias;  // e.g. "q35" for pc-q35-7.2; empty if none
    bool is_default = false;
};

// What one qemu-system-* binary answers: the generated tables
// (src/machine/generated/) and a probe (qmp/qemu_probe.hpp) both have this
// shape. Views: whoever makes one keeps the text alive.
struct QemuReport {
    std::string_view target;  // query-target: x86_64, aarch64, ppc64, s390x
    QemuVersion version;
    std::string_view package;                        // e.g. "Debian 1:7.2+dfsg-7+deb12u18+b3"
    std::span<const QemuMachine> machines;           // sorted by name
    std::span<const std::string_view> device_types;  // qom-list-types implements=device abstract=false, sorted
    bool spice = false;                              // has the -spice option (its SPICE module is there)
};

struct MachineType {
    std::string_view name;
    Chipset chipset;
};

struct MachineAlias {
    std::string_view alias;
    std::string_view target;
};

// The capabilities addressing depends on, for one emulator. Built from a
// QemuReport by guestaddr's own table of machine names (which machine types
// it addresses, with which chipset); it views the report's text.
struct EmulatorCapabilities {
    std::string_view target;
    QemuVersion version;
    std::string_view package;
    std::vector<MachineType> machines;  // those guestaddr addresses guests on
    std::vector<MachineAlias> aliases;
    std::string_view default_machine;  // QEMU's own default; empty when it names none (aarch64)
    std::span<const std::string_view> device_types;
    bool spice = false;  // SPICE graphics

    static EmulatorCapabilities from_report(const QemuReport& report);

    // The machine type of a versioned name or an alias; null if QEMU lacks it.
    const MachineType* find_machine(std::string_view name_or_alias) const;
    // Whether QEMU has the device model (QOM type name), e.g. "qxl-vga".
    bool has_device_type(std::string_view type) const;
    // The arches (libvirt's names) this emulator runs guests of.
    bool runs_arch(std::string_view arch) const;
};

// The QEMU versions built in ("7.2", "10.0"), oldest first.
std::span<const std::string_view> builtin_qemu_versions();
// Whether `spec` names a version ("7.2") rather than a binary.
bool is_qemu_version(std::string_view spec);
// The built-in capabilities of QEMU `version` for a guest arch (libvirt's
// name: x86_64, i686, aarch64, ppc64, ppc64le, s390x; empty = x86_64).
// Throws Failure (Unsupported) for an unknown version or arch.
const EmulatorCapabilities& builtin_capabilities(std::string_view version, std::string_view arch);
// The QEMU guestaddr addresses for when none is named: 7.2.
inline constexpr std::string_view kDefaultQemuVersion = "7.2";

// The machine type libvirt 9.0 takes when neither the definition nor QEMU
// names one (aarch64): the first QEMU lists, integratorcp. (A rule of
// libvirt's, not a capability of QEMU's: it belongs with the rule tables.)
inline constexpr std::string_view kLibvirt9FallbackMachine = "integratorcp";

// Resolves <os><type machine> against an emulator: aliases become versioned
// names, an absent machine becomes QEMU's default (else `fallback`). Throws
// Failure (Unsupported) for a machine type the emulator does not have.
MachineProfile resolve_machine(const EmulatorCapabilities& caps, std::string_view arch, std::string_view machine,
                               std::string_view fallback = kLibvirt9FallbackMachine);

namespace generated {
std::span<const QemuReport> qemu_7_2();
std::span<const QemuReport> qemu_10_0();
}  // namespace generated

}  // namespace guestaddr::machine
