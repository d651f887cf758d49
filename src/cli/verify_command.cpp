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

nlohmann::json as_json(const std::vector<qmp::Difference>& list) {
    nlohmann::json out = nlohmann::json::array();
    for (const qmp::Difference& d : list) out.push_back({{"device", d.device}, {"message", d.message}});
    return out;
}

void print_verdict(const qmp::Verdict& verdict, bool json) {
    if (!json) {
        for (const qmp::Difference& d : verdict.differences) std::cerr << "guestaddr: differs: " << d.to_string() << '\n';
        for (const qmp::Difference& d : verdict.unchecked) std::cerr << "guestaddr: not checked: " << d.to_string() << '\n';
        return;
    }
    print_json({{"schema", "guestaddr/verify/1"}, {"matches", verdict.differences.empty()},
                {"differences", as_json(verdict.differences)}, {"unchecked", as_json(verdict.unchecked)}});
}

int run_verify(const VerifyArgs& args) {
    auto parsed = load_runtime_guest(args.domain, "verify");
    if (!parsed) return report(parsed.errors(), exit_status_for(parsed.errors()), args.json);
    try {
        auto timeout = std::chrono::milliseconds(static_cast<long long>(args.timeout_seconds * 1000));
        qmp::QmpClient qemu = qmp::QmpClient::connect(args.qmp_socket, timeout);
        const qmp::Verdict verdict = qmp::check(qemu, *parsed);
        print_verdict(verdict, args.json);
        return verdict.differences.empty() ? kSuccess : kInvalidDefinition;
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
