// tree: the guest's device topology, as text, Graphviz or JSON.
#include <iostream>
#include <memory>

#include "cli/commands.hpp"
#include "cli/graphviz.hpp"
#include "cli/json_output.hpp"
#include "machine/machine.hpp"
#include "model/domain.hpp"
#include "views/topology_tree.hpp"
#include "views/tree_json.hpp"

namespace guestaddr::cli {
namespace {

struct TreeArgs {
    std::string input;
    std::string format = "text";
    bool json = false;
    RulesFlags rules;
};

// The tree is always the assigned definition's: assign keeps every address
// present, so a complete definition is drawn as it is, and an incomplete one
// where assign would put its devices (those marked [chosen] and [added]),
// under the rules and capabilities assign would choose.
int run_tree(const TreeArgs& args) {
    auto parsed = load(args.input);
    if (!parsed) return report(parsed.errors(), exit_status_for(parsed.errors()), args.json);
    if (auto chosen = choose_rules(*parsed, args.rules); !chosen) return report(chosen.errors(), kInvalidDefinition, args.json);
    const std::vector<bool> written = views::written_addresses(parsed->domain());
    auto assigned = assign(std::move(*parsed));
    if (!assigned) return report(assigned.errors(), kInvalidDefinition, args.json);
    const model::Domain& domain = assigned->domain();
    const views::Tree tree = views::build_tree(domain, written, machine::resolve_machine(domain));
    if (args.json) {
        print_json(views::tree_json(tree));
        return kSuccess;
    }
    if (args.format == "dot") {
        std::cout << views::tree_dot(tree);
        return kSuccess;
    }
    if (args.format == "svg") {
        auto svg = draw_svg(views::tree_dot(tree));
        if (!svg) return report(svg.errors(), kIoFailure);
        std::cout << *svg;
        return kSuccess;
    }
    std::cout << views::tree_text(tree);
    return kSuccess;
}

}  // namespace

Runner add_tree_command(CLI::App& app) {
    auto args = std::make_shared<TreeArgs>();
    CLI::App* cmd = app.add_subcommand("tree", "print the device topology: buses, places, devices and free places");
    cmd->add_option("DOMAIN", args->input, "domain XML, or - for standard input")->required();
    auto* format = cmd->add_option("--format", args->format, "text (default), dot (Graphviz) or svg (drawn by Graphviz)")
                       ->check(CLI::IsMember({"text", "dot", "svg"}));
    cmd->add_flag("--json", args->json, "print the tree as JSON (schema guestaddr/tree/1)")->excludes(format);
    add_rules_flags(*cmd, args->rules);
    return [cmd, args] { return cmd->parsed() ? run_tree(*args) : -1; };
}

}  // namespace guestaddr::cli
