#include "machine/capabilities.hpp"

#include <algorithm>
#include <cctype>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "guestaddr/error.hpp"

namespace guestaddr::machine {
namespace {

[[noreturn]] void unsupported(std::string message) {
    throw Failure(Error{ErrorKind::Unsupported, "", std::move(message)});
}

// Which QEMU target (query-target) runs the guests of each of libvirt's
// arches. An i686 guest takes the x86_64 emulator's machine types, as
// guestaddr always has; a probed qemu-system-i386 runs i686 guests only.
struct ArchTarget {
    std::string_view arch;
    std::string_view target;
};
constexpr ArchTarget kArchTargets[] = {
    {"x86_64", "x86_64"}, {"i686", "x86_64"},   {"i686", "i386"},    {"s390x", "s390x"},
    {"aarch64", "aarch64"}, {"armv7l", "arm"},  {"ppc64", "ppc64"},   {"ppc64le", "ppc64"},
    {"riscv64", "riscv64"},
};

// guestaddr's knowledge, not QEMU's: the chipset of each machine type, by
// name. The first rule matching a machine's name wins; a pattern ending in
// '*' is a prefix. A machine no rule matches is left out: guestaddr does not
// address guests on it, and refuses it as an unknown machine type.
struct ChipsetRule {
    std::string_view target;
    std::string_view pattern;
    Chipset chipset;
};
constexpr ChipsetRule kChipsetRules[] = {
    {"x86_64", "pc-i440fx-*", Chipset::I440fx},
    {"x86_64", "pc-q35-*", Chipset::Q35},
    {"x86_64", "isapc", Chipset::Isapc},
    {"x86_64", "microvm", Chipset::Microvm},
    {"x86_64", "*", Chipset::None},  // none, x-remote
    {"i386", "pc-i440fx-*", Chipset::I440fx},
    {"i386", "pc-q35-*", Chipset::Q35},
    {"i386", "isapc", Chipset::Isapc},
    {"i386", "microvm", Chipset::Microvm},
    {"i386", "*", Chipset::None},
    // Only 'virt' has PCI (Express); of the boards, the Versatile Express
    // ones have the virtio-mmio transports libvirt puts virtio devices on.
    {"aarch64", "virt-*", Chipset::ArmVirt},
    {"aarch64", "vexpress-*", Chipset::ArmVexpress},
    {"aarch64", "versatilepb", Chipset::ArmVersatilePb},
    {"aarch64", "*", Chipset::ArmBoard},
    // libvirt treats an armv7l 'virt' as an aarch64 one (PCI Express, root ports).
    {"arm", "virt-*", Chipset::ArmVirt},
    {"arm", "vexpress-*", Chipset::ArmVexpress},
    {"arm", "versatilepb", Chipset::ArmVersatilePb},
    {"arm", "*", Chipset::ArmBoard},
    // riscv64 'virt' has no versions; the boards have no PCI and no bus
    // libvirt addresses.
    {"riscv64", "virt", Chipset::RiscvVirt},
    {"riscv64", "*", Chipset::None},
    // The other PowerPC boards (mac99, powernv, ppce500, ...) address devices
    // by rules guestaddr does not have.
    {"ppc64", "pseries-*", Chipset::Pseries},
    // s390x 'none' is left out: libvirt cannot start an s390x guest without
    // the channel subsystem, and guestaddr has nothing to address there.
    {"s390x", "s390-ccw-virtio-*", Chipset::S390Ccw},
};

bool matches(std::string_view pattern, std::string_view name) {
    if (pattern.ends_with('*')) return name.starts_with(pattern.substr(0, pattern.size() - 1));
    return name == pattern;
}

const ChipsetRule* chipset_rule(std::string_view target, std::string_view name) {
    for (const ChipsetRule& rule : kChipsetRules)
        if (rule.target == target && matches(rule.pattern, name)) return &rule;
    return nullptr;
}

struct Builtin {
    std::string_view version;
    std::span<const QemuReport> (*reports)();
};
constexpr Builtin kBuiltins[] = {
    {"7.2", generated::qemu_7_2},
    {"10.0", generated::qemu_10_0},
};
constexpr std::string_view kBuiltinVersions[] = {"7.2", "10.0"};

struct LoadedVersion {
    std::string_view version;
    std::vector<EmulatorCapabilities> emulators;
};

const std::vector<LoadedVersion>& loaded_builtins() {
    static const std::vector<LoadedVersion> loaded = [] {
        std::vector<LoadedVersion> out;
        for (const Builtin& builtin : kBuiltins) {
            LoadedVersion& version = out.emplace_back(LoadedVersion{builtin.version, {}});
            for (const QemuReport& report : builtin.reports())
                version.emulators.push_back(EmulatorCapabilities::from_report(report));
        }
        return out;
    }();
    return loaded;
}

const LoadedVersion& loaded_version(std::string_view version) {
    for (const LoadedVersion& loaded : loaded_builtins())
        if (loaded.version == version) return loaded;
    unsupported(fmt::format("QEMU {} is not built into guestaddr (it knows {}); give the path of its binary instead",
                            version, fmt::join(kBuiltinVersions, ", ")));
}

}  // namespace

std::string QemuVersion::to_string() const { return fmt::format("{}.{}.{}", major, minor, micro); }

EmulatorCapabilities EmulatorCapabilities::from_report(const QemuReport& report) {
    EmulatorCapabilities caps{report.target, report.version, report.package, {},
                              {},            {},             report.device_types, report.spice};
    for (const QemuMachine& machine : report.machines) {
        const ChipsetRule* rule = chipset_rule(report.target, machine.name);
        if (!rule) continue;
        caps.machines.push_back(MachineType{machine.name, rule->chipset});
        if (!machine.alias.empty()) caps.aliases.push_back(MachineAlias{machine.alias, machine.name});
        if (machine.is_default) caps.default_machine = machine.name;
    }
    return caps;
}

const MachineType* EmulatorCapabilities::find_machine(std::string_view name_or_alias) const {
    std::string_view name = name_or_alias;
    for (const MachineAlias& alias : aliases)
        if (alias.alias == name) name = alias.target;
    auto it = std::ranges::find(machines, name, &MachineType::name);
    return it == machines.end() ? nullptr : &*it;
}

bool EmulatorCapabilities::has_device_type(std::string_view type) const {
    return std::ranges::binary_search(device_types, type);
}

bool EmulatorCapabilities::runs_arch(std::string_view arch) const {
    return std::ranges::any_of(kArchTargets,
                               [&](const ArchTarget& a) { return a.arch == arch && a.target == target; });
}

std::span<const std::string_view> builtin_qemu_versions() { return kBuiltinVersions; }

bool is_qemu_version(std::string_view spec) {
    const auto dot = spec.find('.');
    if (dot == std::string_view::npos || dot == 0 || dot + 1 == spec.size()) return false;
    auto digit = [](char c) { return std::isdigit(static_cast<unsigned char>(c)) != 0; };
    return std::ranges::all_of(spec.substr(0, dot), digit) && std::ranges::all_of(spec.substr(dot + 1), digit);
}

const EmulatorCapabilities& builtin_capabilities(std::string_view version, std::string_view arch) {
    const LoadedVersion& loaded = loaded_version(version);
    if (arch.empty()) arch = kDefaultArch;
    std::vector<std::string_view> known;
    for (const ArchTarget& a : kArchTargets) {
        for (const EmulatorCapabilities& caps : loaded.emulators) {
            if (caps.target != a.target) continue;
            if (a.arch == arch) return caps;
            if (std::ranges::find(known, a.arch) == known.end()) known.push_back(a.arch);
        }
    }
    unsupported(fmt::format("architecture '{}' is not supported (guestaddr knows {})", arch, fmt::join(known, ", ")));
}

MachineProfile resolve_machine(const EmulatorCapabilities& caps, std::string_view arch, std::string_view machine,
                               std::string_view fallback) {
    std::string_view name = machine;
    if (name.empty()) name = caps.default_machine.empty() ? fallback : caps.default_machine;
    if (const MachineType* type = caps.find_machine(name)) {
        MachineProfile profile{std::string(type->name), type->chipset};
        profile.qemu = &caps;
        return profile;
    }
    unsupported(fmt::format("the emulator for {} does not support machine type '{}'", arch, machine));
}

MachineProfile resolve_machine(std::string_view arch, std::string_view machine) {
    return resolve_machine(builtin_capabilities(kDefaultQemuVersion, arch), arch, machine);
}

}  // namespace guestaddr::machine
