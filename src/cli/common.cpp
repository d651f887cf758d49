#include <iostream>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/file_io.hpp"
#include "machine/machine.hpp"
#include "model/domain.hpp"
#include "qemu/arch_profile.hpp"

namespace guestaddr::cli {

int report(const std::vector<Error>& errors, int status) {
    for (const Error& e : errors) std::cerr << "guestaddr: error: " << e.to_string() << '\n';
    return status;
}

int exit_status_for(const std::vector<Error>& errors) {
    for (const Error& e : errors)
        if (e.kind == ErrorKind::Io) return kIoFailure;
    return kInvalidDefinition;
}

Result<Definition> load(const std::string& path) {
    auto text = read_input(path);
    if (!text) return text.errors();
    return parse_in_place(std::move(*text));
}

Result<Definition> load_runtime_guest(const std::string& path, std::string_view what) {
    auto parsed = load(path);
    if (!parsed) return parsed;
    const model::Domain& domain = parsed->domain();
    const std::string arch = domain.arch.empty() ? std::string(machine::kDefaultArch) : domain.arch;
    const qemu::ArchProfile* profile = qemu::arch_profile(arch);
    if (profile == nullptr)
        return Error{ErrorKind::Unsupported, "",
                     fmt::format("{} is made for {} guests, not for {} ones", what, qemu::runtime_arches_text(), arch)};
    // The machine is known once assign could resolve it; one it cannot is
    // assign's refusal, with its own words.
    try {
        const machine::MachineProfile m = machine::resolve_machine(arch, domain.machine);
        if (!qemu::runtime_machine(*profile, m.chipset))
            return Error{ErrorKind::Unsupported, "",
                         fmt::format("{} is made for {} guests, not for {} machine {}", what,
                                     qemu::runtime_arches_text(), arch, m.canonical)};
    } catch (const std::exception&) {
    }
    return parsed;
}

}  // namespace guestaddr::cli
