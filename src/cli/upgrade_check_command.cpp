// upgrade-check: before a host upgrade, whether each definition will still
// be accepted and started by the target QEMU and libvirt, and what its guest
// would see change.
#include <filesystem>
#include <iostream>
#include <memory>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "cli/commands.hpp"
#include "cli/file_io.hpp"
#include "model/domain.hpp"

namespace guestaddr::cli {
namespace {

struct UpgradeArgs {
    std::vector<std::string> paths;
    std::string libvirt;
    std::string qemu;
    std::string from_libvirt = "9.0";
    std::string from_qemu = "7.2";
    bool json = false;
};

struct Verdict {
    std::string path;
    std::string refusal;  // empty: the target accepts it
    std::vector<std::string> changes;
};

// Every definition named: files as they are, the *.xml of a folder.
std::vector<std::string> definitions(const std::vector<std::string>& paths) {
    std::vector<std::string> out;
    for (const std::string& path : paths) {
        std::error_code ec;
        if (!std::filesystem::is_directory(path, ec)) {
            out.push_back(path);
            continue;
        }
        std::vector<std::string> found;
        for (const auto& entry : std::filesystem::directory_iterator(path, ec))
            if (entry.path().extension() == ".xml" && entry.is_regular_file(ec)) found.push_back(entry.path().string());
        std::ranges::sort(found);
        out.insert(out.end(), found.begin(), found.end());
    }
    return out;
}

Result<Definition> assigned_under(const std::string& text, AssignOptions options) {
    auto parsed = parse(text);
    if (!parsed) return parsed;
    return assign(std::move(*parsed), options);
}

Verdict check_one(const std::string& path, const UpgradeArgs& args) {
    Verdict v{path, {}, {}};
    auto text = read_input(path);
    if (!text) return {path, text.errors().front().to_string(), {}};
    AssignOptions today;  // the stamp's rules, else --from-*
    today.libvirt = args.from_libvirt;
    today.qemu = args.from_qemu;
    auto stamped = parse(*text);
    if (stamped && stamped->domain().stamp) today.libvirt.clear();
    auto before = assigned_under(*text, today);
    AssignOptions target;
    target.libvirt = args.libvirt;
    target.qemu = args.qemu;
    target.restamp = true;
    auto after = assigned_under(*text, target);
    if (!after) {
        v.refusal = after.errors().front().to_string();
        return v;
    }
    if (before) v.changes = guest_visible_changes(*before, *after);
    else v.changes.push_back("refused today (" + before.errors().front().to_string() + "), accepted by the target");
    return v;
}

int print(const std::vector<Verdict>& verdicts, const UpgradeArgs& args) {
    std::size_t refused = 0, changed = 0;
    for (const Verdict& v : verdicts) {
        refused += !v.refusal.empty();
        changed += v.refusal.empty() && !v.changes.empty();
    }
    const std::size_t unchanged = verdicts.size() - refused - changed;
    if (args.json) {
        nlohmann::json out{{"libvirt", args.libvirt}, {"qemu", args.qemu}, {"definitions", nlohmann::json::array()},
                           {"summary", {{"unchanged", unchanged}, {"changed", changed}, {"refused", refused}}}};
        for (const Verdict& v : verdicts)
            out["definitions"].push_back({{"path", v.path},
                                          {"accepted", v.refusal.empty()},
                                          {"refusal", v.refusal},
                                          {"changes", v.changes}});
        std::cout << out.dump(1) << '\n';
    } else {
        for (const Verdict& v : verdicts) {
            if (!v.refusal.empty()) std::cout << v.path << ": REFUSED: " << v.refusal << '\n';
            else if (v.changes.empty()) std::cout << v.path << ": ok, no guest-visible change\n";
            else std::cout << v.path << ": ok, " << v.changes.size() << " guest-visible change(s)\n";
            for (const std::string& c : v.changes) std::cout << "  " << c << '\n';
        }
        std::cout << fmt::format("{} definitions for libvirt {} + QEMU {}: {} unchanged, {} changed, {} refused\n",
                                 verdicts.size(), args.libvirt, args.qemu, unchanged, changed, refused);
    }
    return refused || changed ? kInvalidDefinition : kSuccess;
}

}  // namespace

Runner add_upgrade_check_command(CLI::App& app) {
    auto args = std::make_shared<UpgradeArgs>();
    CLI::App* cmd = app.add_subcommand(
        "upgrade-check", "whether each definition survives a move to another QEMU and libvirt, and every change its guest sees");
    cmd->add_option("DOMAIN", args->paths, "domain XML files, or folders of them (e.g. /etc/libvirt/qemu)")->required();
    cmd->add_option("--libvirt", args->libvirt, "the target libvirt: 9.0 or 11.3")->required();
    cmd->add_option("--qemu", args->qemu, "the target QEMU: 7.2, 10.0, or the path of its binary")->required();
    cmd->add_option("--from-libvirt", args->from_libvirt, "the libvirt today, for definitions without a stamp (default 9.0)");
    cmd->add_option("--from-qemu", args->from_qemu, "the QEMU today (default 7.2)");
    cmd->add_flag("--json", args->json, "one JSON object, for scripts");
    return [cmd, args] {
        if (!cmd->parsed()) return -1;
        std::vector<Verdict> verdicts;
        for (const std::string& path : definitions(args->paths)) verdicts.push_back(check_one(path, *args));
        return print(verdicts, *args);
    };
}

}  // namespace guestaddr::cli
