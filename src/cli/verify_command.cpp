// verify: does the QEMU running a guest have every device where the
// definition says?
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "qmp/live_guest.hpp"

namespace guestaddr::cli {
namespace {

struct VerifyArgs {
    std::string domain;
    std::string qmp_socket;
    double timeout_seconds = 10;
};

int run_verify(const VerifyArgs& args) {
    auto parsed = load(args.domain);
    if (!parsed) return report(parsed.errors(), exit_status_for(parsed.errors()));
    if (auto refused = refuse_unless_x86(*parsed, "verifying a running QEMU")) return report({*refused}, kInvalidDefinition);
    try {
        auto timeout = std::chrono::milliseconds(static_cast<long long>(args.timeout_seconds * 1000));
        qmp::QmpClient qemu = qmp::QmpClient::connect(args.qmp_socket, timeout);
        std::vector<std::string> differences = qmp::differences(qemu, *parsed);
        for (const std::string& d : differences) std::cerr << "guestaddr: differs: " << d << '\n';
        return differences.empty() ? kSuccess : kInvalidDefinition;
    } catch (const Failure& f) {
        return report({f.error()}, exit_status_for({f.error()}));
    }
}

}  // namespace

Runner add_verify_command(CLI::App& app) {
    auto args = std::make_shared<VerifyArgs>();
    CLI::App* cmd = app.add_subcommand("verify", "check that a running QEMU has every device where DOMAIN says");
    cmd->add_option("DOMAIN", args->domain, "the guest's (addressed) domain XML")->required();
    cmd->add_option("--qmp", args->qmp_socket, "the QMP monitor socket of the QEMU running the guest")->required();
    cmd->add_option("--timeout", args->timeout_seconds, "seconds to wait for QEMU (default 10)");
    return [cmd, args] { return cmd->parsed() ? run_verify(*args) : -1; };
}

}  // namespace guestaddr::cli
