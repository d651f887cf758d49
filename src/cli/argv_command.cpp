#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "qemu/command_line.hpp"
#include "qemu/start_limits.hpp"

namespace guestaddr::cli {
namespace {

struct ArgvArgs {
    std::string input;
    bool stub_backends = false;
    bool allow_unstartable = false;
    RulesFlags rules;
};

// assign() keeps every address already present, so a complete definition
// comes out of it unchanged and an incomplete one gets libvirt's addresses:
// the command line always has every device placed.
int run_argv(const ArgvArgs& args) {
    auto parsed = load_runtime_guest(args.input, "the QEMU command line");
    if (!parsed) return report(parsed.errors(), exit_status_for(parsed.errors()));
    if (auto chosen = choose_rules(*parsed, args.rules); !chosen) return report(chosen.errors(), kInvalidDefinition);
    auto assigned = assign(std::move(*parsed));
    if (!assigned) return report(assigned.errors(), kInvalidDefinition);
    // What libvirt refuses to start, it refuses here too; a command line
    // QEMU cannot start is refused, with the reason, rather than printed for
    // QEMU to refuse in its own words.
    if (std::vector<Error> errors = qemu::refused_at_start(*assigned); !errors.empty())
        return report(errors, kInvalidDefinition);
    if (std::vector<Error> errors = qemu::unstartable(*assigned); !errors.empty() && !args.allow_unstartable)
        return report(errors, kInvalidDefinition);
    const auto backends = args.stub_backends ? qemu::Backends::Stub : qemu::Backends::Host;
    for (const std::string& line : qemu::command_line_text(*assigned, backends)) std::cout << line << '\n';
    return kSuccess;
}

}  // namespace

Runner add_argv_command(CLI::App& app) {
    auto args = std::make_shared<ArgvArgs>();
    CLI::App* cmd = app.add_subcommand("argv", "print the QEMU command line libvirt 9.0 runs, one option per line");
    cmd->add_option("DOMAIN", args->input, "domain XML, or - for standard input")->required();
    cmd->add_flag("--stub-backends", args->stub_backends,
                  "replace every host resource by a null stand-in, so that QEMU starts on any machine");
    cmd->add_flag("--allow-unstartable", args->allow_unstartable,
                  "print libvirt's command line even for a definition QEMU 7.2 cannot start (e.g. a SATA unit past "
                  "the controller's ports), as libvirt 9.0 would run it");
    add_rules_flags(*cmd, args->rules);
    return [cmd, args] { return cmd->parsed() ? run_argv(*args) : -1; };
}

}  // namespace guestaddr::cli
