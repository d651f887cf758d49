#include <future>
#include <iostream>
#include <memory>

#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "guestaddr/abi.hpp"

namespace guestaddr::cli {
namespace {

struct CheckAbiArgs {
    std::string old_input;
    std::string new_input;
    bool json = false;
    RulesFlags rules;
};

// The --json answer; `schema` names its version (docs: README, check-abi).
nlohmann::json as_json(const std::vector<AbiDifference>& differences) {
    nlohmann::json list = nlohmann::json::array();
    for (const AbiDifference& d : differences)
        list.push_back({{"device", d.device}, {"what", d.what}, {"old", d.old_value}, {"new", d.new_value},
                        {"message", d.to_string()}});
    return {{"schema", "guestaddr/check-abi/1"}, {"compatible", differences.empty()}, {"differences", list}};
}

// Each definition under the rules assign would choose for it (its own
// stamp, else the flags, the host, the newest), as the host running the
// guest reads both.
int run_check_abi(const CheckAbiArgs& args) {
    // Reading and parsing, most of the work on a large guest, is done for
    // both files at once (check_abi fills them in on two threads too).
    std::future<Result<Definition>> old_pending = std::async(std::launch::async, [&] { return load(args.old_input); });
    auto new_parsed = load(args.new_input);
    auto old_parsed = old_pending.get();
    if (!old_parsed) return report(old_parsed.errors(), exit_status_for(old_parsed.errors()));
    if (!new_parsed) return report(new_parsed.errors(), exit_status_for(new_parsed.errors()));
    for (Definition* definition : {&*old_parsed, &*new_parsed})
        if (auto chosen = choose_rules(*definition, args.rules); !chosen) return report(chosen.errors(), kInvalidDefinition);
    auto differences = check_abi(std::move(*old_parsed), std::move(*new_parsed));
    if (!differences) return report(differences.errors(), kInvalidDefinition);
    if (args.json)
        std::cout << as_json(*differences).dump(2) << '\n';
    else
        for (const AbiDifference& d : *differences) std::cout << d.to_string() << '\n';
    return differences->empty() ? kSuccess : kIncompatible;
}

}  // namespace

Runner add_check_abi_command(CLI::App& app) {
    auto args = std::make_shared<CheckAbiArgs>();
    CLI::App* cmd = app.add_subcommand(
        "check-abi", "whether NEW keeps the guest ABI of OLD (libvirt's check before a migration or restore)");
    cmd->add_option("OLD", args->old_input, "the running guest's domain XML, or - for standard input")->required();
    cmd->add_option("NEW", args->new_input, "the domain XML to replace it")->required();
    cmd->add_flag("--json", args->json, "answer in JSON (schema guestaddr/check-abi/1)");
    add_rules_flags(*cmd, args->rules);
    return [cmd, args] { return cmd->parsed() ? run_check_abi(*args) : -1; };
}

}  // namespace guestaddr::cli
