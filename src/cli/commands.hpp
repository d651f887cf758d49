// The subcommands of `guestaddr`, one file each. Each adds itself to the
// app and returns the function that runs it once the command line is parsed.
#pragma once

#include <functional>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

#include <CLI/CLI.hpp>

#include "guestaddr/guestaddr.hpp"

namespace guestaddr::cli {

// Exit statuses.
inline constexpr int kSuccess = 0;
inline constexpr int kInvalidDefinition = 1;  // refused: every error on stderr, nothing on stdout
inline constexpr int kIoFailure = 2;          // a file could not be read or written
inline constexpr int kIncompatible = 3;       // check-abi: NEW changes the guest ABI of OLD

using Runner = std::function<int()>;

Runner add_assign_command(CLI::App& app);
Runner add_validate_command(CLI::App& app);
Runner add_argv_command(CLI::App& app);
Runner add_attach_command(CLI::App& app);
Runner add_detach_command(CLI::App& app);
Runner add_verify_command(CLI::App& app);
Runner add_check_abi_command(CLI::App& app);
Runner add_tree_command(CLI::App& app);
Runner add_explain_command(CLI::App& app);
Runner add_completion_command(CLI::App& app);
Runner add_upgrade_check_command(CLI::App& app);

// --libvirt, --qemu, --restamp, --verbose: whose rules and capabilities
// (rules_options.cpp).
struct RulesFlags {
    std::string libvirt;
    std::string qemu;
    bool restamp = false;
    bool verbose = false;
};
void add_rules_flags(CLI::App& cmd, RulesFlags& flags);
// Chooses the definition's rules from the flags, the stamp and the host;
// with --verbose says which and why on standard error.
Result<RulesChoice> choose_rules(Definition& definition, const RulesFlags& flags);

// Prints every error on standard error; returns `status`.
int report(const std::vector<Error>& errors, int status);
// kIoFailure when reading or writing failed, kInvalidDefinition otherwise.
int exit_status_for(const std::vector<Error>& errors);
// Reads and parses a definition ("-" is standard input).
Result<Definition> load(const std::string& path);
// The same for the run-time commands (argv, attach, detach, verify; `what`
// they make, for the error): a definition for an arch or machine that they
// are not made for (qemu/arch_profile.hpp) is refused whole.
Result<Definition> load_runtime_guest(const std::string& path, std::string_view what);

}  // namespace guestaddr::cli
