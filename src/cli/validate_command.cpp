#include <memory>

#include "cli/commands.hpp"
#include "cli/json_output.hpp"

namespace guestaddr::cli {
namespace {

struct ValidateArgs {
    std::string input;
    bool json = false;
    RulesFlags flags;
};

// With --json a definition that cannot be read as one (malformed XML) is
// one more problem of it; a file that cannot be read is an error document.
int run_validate(const ValidateArgs& args) {
    auto parsed = load(args.input);
    const int status = parsed ? kSuccess : exit_status_for(parsed.errors());
    if (status == kIoFailure) return report(parsed.errors(), status, args.json);
    if (parsed) {
        if (auto chosen = choose_rules(*parsed, args.flags); !chosen) return report(chosen.errors(), kInvalidDefinition, args.json);
    }
    const std::vector<Error> problems = parsed ? validate(*parsed) : parsed.errors();
    if (args.json) {
        print_json({{"schema", "guestaddr/validate/1"}, {"valid", problems.empty()}, {"problems", errors_json(problems)}});
        return problems.empty() ? kSuccess : kInvalidDefinition;
    }
    return problems.empty() ? kSuccess : report(problems, kInvalidDefinition);
}

}  // namespace

Runner add_validate_command(CLI::App& app) {
    auto args = std::make_shared<ValidateArgs>();
    CLI::App* cmd = app.add_subcommand("validate", "check a definition is complete and consistent");
    cmd->add_option("DOMAIN", args->input, "domain XML, or - for standard input")->required();
    cmd->add_flag("--json", args->json, "print the verdict as JSON (schema guestaddr/validate/1)");
    add_rules_flags(*cmd, args->flags);
    return [cmd, args] { return cmd->parsed() ? run_validate(*args) : -1; };
}

}  // namespace guestaddr::cli
