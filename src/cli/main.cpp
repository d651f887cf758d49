// guestaddr: the command-line front end. Thin: each subcommand reads files,
// calls the library and prints the result or every error.
#include <iostream>

#include "cli/commands.hpp"

int main(int argc, char** argv) {
    using namespace guestaddr::cli;
    CLI::App app{"guestaddr: stable, libvirt-compatible device addresses for QEMU/KVM guests"};
    app.require_subcommand(1);
    const std::vector<Runner> commands{
        add_assign_command(app),
        add_validate_command(app),
        add_argv_command(app),
        add_attach_command(app),
        add_detach_command(app),
        add_verify_command(app),
        add_upgrade_check_command(app),
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
