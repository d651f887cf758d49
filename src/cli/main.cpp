// guestaddr: the command-line front end. Thin: each subcommand reads files,
// calls the library and prints the result or every error.
#include <iostream>
#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "cli/commands.hpp"

namespace {

// One run reads a definition, builds its model and exits: the heap only
// grows. glibc grows a thread's arena one page at a time, each step an
// mprotect that takes the address-space lock the other thread's page
// faults wait on (check-abi reads its two files on two threads: a 10,000-
// device pair made 939 such calls). Growing and trimming in 32 MiB steps
// makes them a handful.
void grow_heap_in_large_steps() {
#ifdef __GLIBC__
    constexpr int kStep = 32 << 20;
    mallopt(M_TOP_PAD, kStep);
    mallopt(M_TRIM_THRESHOLD, 2 * kStep);
    mallopt(M_MMAP_THRESHOLD, kStep);
#endif
}

}  // namespace

int main(int argc, char** argv) {
    using namespace guestaddr::cli;
    grow_heap_in_large_steps();
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
