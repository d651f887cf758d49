// guestaddr: the command-line front end. Thin: each subcommand reads files,
// calls the library and prints the result or every error.
#include <iostream>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
    using namespace guestaddr::cli;
    CLI::App app{"guestaddr: stable, libvirt-compatible device addresses for QEMU/KVM guests"};
    app.require_subcommand(1);
    app.footer(
        "Each subcommand has its own --help (and man page, guestaddr-SUBCOMMAND).\n"
        "Exit status: 0 success; 1 the definition is refused (every error on standard error);\n"
        "2 a file could not be read or written, or QEMU did not answer; 3 check-abi: NEW\n"
        "changes the guest ABI of OLD.");
    // --version works before any subcommand and after one (`guestaddr
    // assign --version`): subcommands pass options they do not know to it.
    app.set_version_flag("--version", "guestaddr " GUESTADDR_VERSION, "print guestaddr's version and exit");
    app.fallthrough();
    const std::vector<Runner> commands{
        add_assign_command(app),
        add_validate_command(app),
        add_argv_command(app),
        add_attach_command(app),
        add_detach_command(app),
        add_verify_command(app),
        add_upgrade_check_command(app),
        add_check_abi_command(app),
        add_tree_command(app),
        add_explain_command(app),
        add_completion_command(app),
    };
    CLI11_PARSE(app, argc, argv);
    try {
        for (const Runner& run : commands)
            if (int status = run(); status >= 0) return status;
    } catch (const std::exception& e) {
        std::cerr << "guestaddr: internal error: " << e.what() << '\n';
    }
    return kInvalidDefinition;
}
