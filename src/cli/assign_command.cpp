#include <iostream>
#include <memory>

#include <fmt/format.h>

#include "cli/commands.hpp"
#include "cli/file_io.hpp"
#include "model/domain.hpp"

namespace guestaddr::cli {
namespace {

struct AssignArgs {
    std::string input;
    std::string output;
    std::optional<unsigned> keep_free_hotplug;
    std::optional<unsigned> keep_free_hotplug_pci;
    bool stable_nic_names = false;
    RulesFlags rules;

    AssignOptions options() const {
        AssignOptions o;
        o.keep_free_hotplug = keep_free_hotplug;
        o.keep_free_hotplug_pci = keep_free_hotplug_pci;
        if (stable_nic_names) o.stable_nic_names = true;
        return o;
    }
};

// --verbose: what is left for hotplug, on standard error.
void report_capacity(const Definition& assigned) {
    auto capacity = free_hotplug_capacity(assigned);
    if (!capacity) return;
    std::cerr << fmt::format("free hotplug places: {} PCI Express (root and downstream ports), {} conventional PCI slots\n",
                             capacity->pcie, capacity->pci);
    for (const HotplugCapacity::Bus& bus : capacity->buses)
        std::cerr << fmt::format("  bus {} ({}): {} free {}{}\n", bus.index, bus.model, bus.free,
                                 bus.pcie ? "PCI Express" : "PCI", bus.numa ? fmt::format(", NUMA node {}", *bus.numa) : "");
}

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
    auto assigned = assign(std::move(*parsed), args.options());
    if (!assigned) return report(assigned.errors(), kInvalidDefinition);
    if (args.rules.restamp) report_restamp(text, *assigned);
    if (args.rules.verbose) report_capacity(*assigned);
    if (args.output.empty() || args.output == "-") {
        print(*assigned);
        return kSuccess;
    }
    auto written = write_output(args.output, *assigned);
    return written ? kSuccess : report(written.errors(), kIoFailure);
}

}  // namespace

Runner add_assign_command(CLI::App& app) {
    auto args = std::make_shared<AssignArgs>();
    CLI::App* cmd = app.add_subcommand("assign", "print the definition with every device addressed");
    cmd->add_option("DOMAIN", args->input, "domain XML, or - for standard input")->required();
    cmd->add_option("-o,--output", args->output, "write to this file (atomically) instead of standard output");
    cmd->add_option("--keep-free-hotplug", args->keep_free_hotplug,
                    "policy kept with the guest: N free hotplug places of the machine's bus type (root ports on "
                    "q35 and virt, bridge slots on pc), added now and after every attach that uses one");
    cmd->add_option("--keep-free-hotplug-pci", args->keep_free_hotplug_pci,
                    "the same for conventional PCI slots (pcie-to-pci-bridge) on q35 and virt");
    cmd->add_flag("--stable-nic-names", args->stable_nic_names,
                  "policy kept with the guest: every NIC gets an ACPI index (guest name enoN), the lowest free one");
    add_rules_flags(*cmd, args->rules);
    return [cmd, args] { return cmd->parsed() ? run_assign(*args) : -1; };
}

}  // namespace guestaddr::cli
