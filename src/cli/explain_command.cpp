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
    bool names = false;
    RulesFlags rules;
};

// --names: one line per name, NAME<TAB>DEVICE, for people and for the
// completion script (which offers the first column).
int run_names(Definition definition, bool json) {
    auto names = views::device_names(std::move(definition));
    if (!names) return report(names.errors(), kInvalidDefinition, json);
    if (json) {
        nlohmann::json list = nlohmann::json::array();
        for (const views::DeviceName& n : *names) list.push_back({{"name", n.name}, {"device", n.device}});
        print_json({{"schema", "guestaddr/explain-names/1"}, {"names", list}});
        return kSuccess;
    }
    for (const views::DeviceName& n : *names) std::cout << n.name << '\t' << n.device << '\n';
    return kSuccess;
}

int run_explain(const ExplainArgs& args) {
    auto parsed = load(args.input);
    if (!parsed) return report(parsed.errors(), exit_status_for(parsed.errors()), args.json);
    if (auto chosen = choose_rules(*parsed, args.rules); !chosen) return report(chosen.errors(), kInvalidDefinition, args.json);
    if (args.names) return run_names(std::move(*parsed), args.json);
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
    CLI::Option* device = cmd->add_option("DEVICE", args->device,
                                          "an alias, a MAC, a disk target, an address (0000:00:03.0, drive:0.0.0.1, "
                                          "usb:0:1, ...) or a name as `tree` prints it");
    cmd->add_flag("--names", args->names,
                  "list the names DEVICE may take instead (alias, MAC, disk target, address), each with its device")
        ->excludes(device);
    // DEVICE is wanted unless --names lists them.
    cmd->callback([args] {
        if (!args->names && args->device.empty()) throw CLI::RequiredError("DEVICE");
    });
    cmd->add_flag("--json", args->json, "print the answer as JSON (schema guestaddr/explain/1)");
    add_rules_flags(*cmd, args->rules);
    return [cmd, args] { return cmd->parsed() ? run_explain(*args) : -1; };
}

}  // namespace guestaddr::cli
