#include <memory>

#include "cli/commands.hpp"

namespace guestaddr::cli {

Runner add_validate_command(CLI::App& app) {
    auto input = std::make_shared<std::string>();
    auto flags = std::make_shared<RulesFlags>();
    CLI::App* cmd = app.add_subcommand("validate", "check a definition is complete and consistent");
    cmd->add_option("DOMAIN", *input, "domain XML, or - for standard input")->required();
    add_rules_flags(*cmd, *flags);
    return [cmd, input, flags] {
        if (!cmd->parsed()) return -1;
        auto parsed = load(*input);
        if (!parsed) return report(parsed.errors(), exit_status_for(parsed.errors()));
        if (auto chosen = choose_rules(*parsed, *flags); !chosen) return report(chosen.errors(), kInvalidDefinition);
        std::vector<Error> problems = validate(*parsed);
        return problems.empty() ? kSuccess : report(problems, kInvalidDefinition);
    };
}

}  // namespace guestaddr::cli
