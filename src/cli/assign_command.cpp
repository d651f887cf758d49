#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "model/domain.hpp"
#include "cli/file_io.hpp"

namespace guestaddr::cli {
namespace {

struct AssignArgs {
    std::string input;
    std::string output;
    RulesFlags rules;
};

// --restamp: every guest-visible change moving the guest from its stamp's
// rules to the new ones makes, on standard error.
void report_restamp(const std::string& text, const Definition& moved) {
    auto stamped = parse(text);
    if (!stamped || !stamped->domain().stamp) return;
    auto before = assign(std::move(*stamped));
    if (!before) return;
    const std::vector<std::string> changes = guest_visible_changes(*before, moved);
    std::cerr << "guestaddr: restamp: " << changes.size() << " guest-visible change(s)\n";
    for (const std::string& c : changes) std::cerr << "guestaddr: restamp: " << c << '\n';
}

int run_assign(const AssignArgs& args) {
    std::string text;
    if (args.rules.restamp) {
        auto read = read_input(args.input);
        if (!read) return report(read.errors(), kIoFailure);
        text = *read;
    }
    auto parsed = args.rules.restamp ? parse(text) : load(args.input);
    if (!parsed) return report(parsed.errors(), exit_status_for(parsed.errors()));
    if (auto chosen = choose_rules(*parsed, args.rules); !chosen) return report(chosen.errors(), kInvalidDefinition);
    auto assigned = assign(std::move(*parsed));
    if (!assigned) return report(assigned.errors(), kInvalidDefinition);
    if (args.rules.restamp) report_restamp(text, *assigned);
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
