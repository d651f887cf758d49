// explain: why a device has its address.
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/json_output.hpp"
#include "views/explain.hpp"

namespace guestaddr::cli {
namespace {

struct ExplainArgs {
    std::string input;
    std::string device;
    bool json = false;
    RulesFlags rules;
};

int run_explain(const ExplainArgs& args) {
    auto parsed = load(args.input);
    if (!parsed) return report(parsed.errors(), exit_status_for(parsed.errors()), args.json);
    if (auto chosen = choose_rules(*parsed, args.rules); !chosen) return report(chosen.errors(), kInvalidDefinition, args.json);
    auto explained = views::explain(std::move(*parsed), args.device);
    if (!explained) return report(explained.errors(), kInvalidDefinition, args.json);
    if (args.json) print_json(views::explanation_json(*explained, args.device));
    else std::cout << views::explanation_text(*explained);
    return kSuccess;
}

}  // namespace

Runner add_explain_command(CLI::App& app) {
    auto args = std::make_shared<ExplainArgs>();
    CLI::App* cmd = app.add_subcommand("explain", "say why a device has its address (and what guestaddr added for it)");
    cmd->add_option("DOMAIN", args->input, "domain XML, or - for standard input")->required();
    cmd->add_option("DEVICE", args->device,
                    "an alias, a MAC, a disk target, an address (0000:00:03.0, drive:0.0.0.1, usb:0:1, ...) "
                    "or a name as `tree` prints it")
        ->required();
    cmd->add_flag("--json", args->json, "print the answer as JSON (schema guestaddr/explain/1)");
    add_rules_flags(*cmd, args->rules);
    return [cmd, args] { return cmd->parsed() ? run_explain(*args) : -1; };
}

}  // namespace guestaddr::cli
