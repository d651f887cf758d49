// verify: does the QEMU running a guest have every device where the
// definition says?
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/json_output.hpp"
#include "qmp/live_guest.hpp"

namespace guestaddr::cli {
namespace {

struct VerifyArgs {
    std::string domain;
    std::string qmp_socket;
    double timeout_seconds = 10;
    bool json = false;
};

void print_differences(const std::vector<qmp::Difference>& differences, bool json) {
    if (!json) {
        for (const qmp::Difference& d : differences) std::cerr << "guestaddr: differs: " << d.to_string() << '\n';
        return;
    }
    nlohmann::json list = nlohmann::json::array();
    for (const qmp::Difference& d : differences) list.push_back({{"device", d.device}, {"message", d.message}});
    print_json({{"schema", "guestaddr/verify/1"}, {"matches", differences.empty()}, {"differences", list}});
}

int run_verify(const VerifyArgs& args) {
    auto parsed = load_x86_guest(args.domain, "verify");
    if (!parsed) return report(parsed.errors(), exit_status_for(parsed.errors()), args.json);
    try {
        auto timeout = std::chrono::milliseconds(static_cast<long long>(args.timeout_seconds * 1000));
        qmp::QmpClient qemu = qmp::QmpClient::connect(args.qmp_socket, timeout);
        const std::vector<qmp::Difference> differences = qmp::differences(qemu, *parsed);
        print_differences(differences, args.json);
        return differences.empty() ? kSuccess : kInvalidDefinition;
    } catch (const Failure& f) {
        return report({f.error()}, exit_status_for({f.error()}), args.json);
    }
}

}  // namespace

Runner add_verify_command(CLI::App& app) {
    auto args = std::make_shared<VerifyArgs>();
    CLI::App* cmd = app.add_subcommand("verify", "check that a running QEMU has every device where DOMAIN says");
    cmd->add_option("DOMAIN", args->domain, "the guest's (addressed) domain XML")->required();
    cmd->add_option("--qmp", args->qmp_socket, "the QMP monitor socket of the QEMU running the guest")->required();
    cmd->add_option("--timeout", args->timeout_seconds, "seconds to wait for QEMU (default 10)");
    cmd->add_flag("--json", args->json, "print the verdict as JSON (schema guestaddr/verify/1)");
    return [cmd, args] { return cmd->parsed() ? run_verify(*args) : -1; };
}

}  // namespace guestaddr::cli
