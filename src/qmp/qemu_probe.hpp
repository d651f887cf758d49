// Capabilities read from a QEMU binary itself, as libvirt reads them, and
// the choice between those and the tables built into guestaddr.
#pragma once

#include <filesystem>
#include <string>
#include <string_view>

#include "guestaddr/error.hpp"
#include "machine/capabilities.hpp"

namespace guestaddr::qmp {

struct ProbedQemu {
    std::filesystem::path binary;  // resolved: absolute, symbolic links followed
    bool from_cache = false;       // false: QEMU was started to answer
    const machine::EmulatorCapabilities& capabilities;
};

// The capabilities of a QEMU binary: started with `-machine none -nodefaults
// -qmp stdio` and asked query-version, query-target, query-machines and
// qom-list-types, once. The answers are kept in the cache folder, keyed by
// the binary's path, size and modification time and by its module folder's
// (installing qemu-system-modules-spice adds device models), so the next run
// starts no QEMU. Probed binaries live as long as the process. Throws Failure
// (Io) when the binary cannot be run or does not answer.
const ProbedQemu& probe_qemu(const std::string& binary);

// What `--qemu SPEC` names: a version built in ("7.2", "10.0") or a QEMU
// binary (a path, or a name looked up on PATH), for a guest of libvirt arch
// `arch` (empty: x86_64). Throws Failure: Unsupported for a version not
// built in or an arch the binary does not run, Io as probe_qemu.
const machine::EmulatorCapabilities& capabilities_for(std::string_view spec, std::string_view arch);

// $XDG_CACHE_HOME/guestaddr, else ~/.cache/guestaddr; empty when neither is
// known (then nothing is cached).
std::filesystem::path cache_folder();

}  // namespace guestaddr::qmp
