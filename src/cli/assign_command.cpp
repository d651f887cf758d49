#include <memory>

#include "cli/commands.hpp"
#include "cli/file_io.hpp"

namespace guestaddr::cli {
namespace {

struct AssignArgs {
    std::string input;
    std::string output;
    RulesFlags rules;
};

int run_assign(const AssignArgs& args) {
    auto parsed = load(args.input);
    if (!parsed) return report(parsed.errors(), exit_status_for(parsed.errors()));
    if (auto chosen = choose_rules(*parsed, args.rules); !chosen) return report(chosen.errors(), kInvalidDefinition);
    auto assigned = assign(std::move(*parsed));
    if (!assigned) return report(assigned.errors(), kInvalidDefinition);
    if (args.output.empty() || args.output == "-") {
        print(*assigned);
        return kSuccess;
    }
    auto written = write_atomically(args.output, *assigned);
    return written ? kSuccess : report(written.errors(), kIoFailure);
}

}  // namespace

Runner add_assign_command(CLI::App& app) {
    auto args = std::make_shared<AssignArgs>();
    CLI::App* cmd = app.add_subcommand("assign", "print the definition with every device addressed");
    cmd->add_option("DOMAIN", args->input, "domain XML, or - for standard input")->required();
    cmd->add_option("-o,--output", args->output, "write to this file (atomically) instead of standard output");
    add_rules_flags(*cmd, args->rules);
    return [cmd, args] { return cmd->parsed() ? run_assign(*args) : -1; };
}

}  // namespace guestaddr::cli
