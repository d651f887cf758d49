// The flags that choose whose rules and which QEMU apply, shared by every
// command that addresses a definition.
#include <iostream>

#include "cli/commands.hpp"

namespace guestaddr::cli {

void add_rules_flags(CLI::App& cmd, RulesFlags& flags) {
    cmd.add_option("--libvirt", flags.libvirt,
                   "whose address rules apply: 9.0 or 11.3 (default: the definition's stamp, else the host's "
                   "libvirt, else the newest)");
    cmd.add_option("--qemu", flags.qemu,
                   "the QEMU that runs the guest: 7.2 or 10.0 (default: the host's, else the stamp's, else the one "
                   "the rules' libvirt comes with)");
    cmd.add_flag("--restamp", flags.restamp,
                 "move a guest stamped with other rules to those of --libvirt, reporting every guest-visible change");
    cmd.add_flag("--verbose", flags.verbose, "say on standard error which rules and capabilities apply, and why");
}

Result<RulesChoice> choose_rules(Definition& definition, const RulesFlags& flags) {
    AssignOptions options;
    options.libvirt = flags.libvirt;
    options.qemu = flags.qemu;
    options.restamp = flags.restamp;
    auto chosen = guestaddr::choose_rules(definition, options);
    if (chosen && flags.verbose)
        for (const std::string& reason : chosen->reasons) std::cerr << "guestaddr: " << reason << '\n';
    return chosen;
}

}  // namespace guestaddr::cli
