// upgrade-check: before a host upgrade, whether each definition will still
// be accepted and started by the target QEMU and libvirt, and what its guest
// would see change.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <map>
#include <memory>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <pugixml.hpp>

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

// What was found under the paths named: the definitions to check, the
// documents passed over (and why), and what could not be read at all.
struct Found {
    std::vector<std::string> definitions;
    std::vector<std::string> skipped;  // "PATH: why"
    std::vector<std::string> errors;   // "PATH: why": the check itself failed
};

namespace fs = std::filesystem;

// Every *.xml under a folder, its subfolders too (a host's /etc/libvirt/qemu
// keeps its guests' autostart links in autostart/ and its networks in
// networks/): the folder's own first, each level in name order, so that a
// guest's file comes before its autostart link. Links to files are followed;
// links to folders are not, so that a loop of links ends.
void list_folder(const std::string& folder, std::vector<fs::path>& out, Found& found) {
    const std::size_t first = out.size();
    std::error_code ec;
    fs::recursive_directory_iterator it(folder, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        std::error_code type_ec;  // a link to nothing is no error of the listing
        if (it->path().extension() == ".xml" && (it->is_regular_file(type_ec) || it->is_symlink(type_ec)))
            out.push_back(it->path());
    }
    if (ec) found.errors.push_back(fmt::format("{}: cannot list the folder: {}", folder, ec.message()));
    const auto depth = [](const fs::path& p) { return std::distance(p.begin(), p.end()); };
    std::sort(out.begin() + static_cast<std::ptrdiff_t>(first), out.end(),
              [&](const fs::path& a, const fs::path& b) { return std::pair(depth(a), a) < std::pair(depth(b), b); });
}

// A guest is checked once, however many names it has (/etc/libvirt/qemu/g.xml
// and its autostart/g.xml link), under the name that is not a link.
void add_once(const fs::path& path, std::vector<fs::path>& order, std::map<fs::path, std::string>& seen,
              Found& found) {
    std::error_code ec;
    fs::path real = fs::canonical(path, ec);
    if (ec && fs::is_symlink(path, ec)) {
        found.skipped.push_back(path.string() + ": a link to nothing");
        return;
    }
    if (real.empty()) real = path;  // not there, or "-": reading it says why
    auto [at, added] = seen.emplace(real, path.string());
    if (added) {
        order.push_back(real);
        return;
    }
    if (fs::is_symlink(at->second, ec) && !fs::is_symlink(path, ec)) at->second = path.string();
}

// The definitions named: files as they are, the *.xml under a folder.
Found definitions(const std::vector<std::string>& paths) {
    Found found;
    std::vector<fs::path> files;
    for (const std::string& path : paths) {
        std::error_code ec;
        if (fs::is_directory(path, ec)) list_folder(path, files, found);
        else files.emplace_back(path);
    }
    std::vector<fs::path> order;  // canonical paths, in the order found
    std::map<fs::path, std::string> seen;
    for (const fs::path& file : files) add_once(file, order, seen, found);
    for (const fs::path& real : order) found.definitions.push_back(seen.at(real));
    return found;
}

// The root element's name, "" for text that is not XML (a broken domain
// definition, which the check refuses in the parser's words).
std::string root_element(const std::string& text) {
    pugi::xml_document doc;
    if (!doc.load_buffer(text.data(), text.size(), pugi::parse_minimal)) return {};
    return doc.document_element().name();
}

Result<Definition> assigned_under(const std::string& text, AssignOptions options) {
    auto parsed = parse(text);
    if (!parsed) return parsed;
    return assign(std::move(*parsed), options);
}

// The verdict on one definition; nothing for a file that cannot be read or
// holds no domain (said in `found`).
std::optional<Verdict> check_one(const std::string& path, const UpgradeArgs& args, Found& found) {
    Verdict v{path, {}, {}};
    auto text = read_input(path);
    if (!text) {
        found.errors.push_back(text.errors().front().to_string());
        return std::nullopt;
    }
    if (const std::string root = root_element(*text); !root.empty() && root != "domain") {
        found.skipped.push_back(fmt::format("{}: a <{}> definition, not a domain", path, root));
        return std::nullopt;
    }
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

// What was passed over and what could not be read, after the verdicts'
// counts ("" when there was neither).
std::string summary_tail(const Found& found) {
    std::string tail;
    if (!found.skipped.empty()) tail += fmt::format(", {} skipped", found.skipped.size());
    if (!found.errors.empty()) tail += fmt::format(", {} not read", found.errors.size());
    return tail;
}

// Refused or changed is exit 1, as for `assign`; a file or folder that could
// not be read is an error of the check itself (exit 2), whatever the rest.
int print(const std::vector<Verdict>& verdicts, const Found& found, const UpgradeArgs& args) {
    std::size_t refused = 0, changed = 0;
    for (const Verdict& v : verdicts) {
        refused += !v.refusal.empty();
        changed += v.refusal.empty() && !v.changes.empty();
    }
    const std::size_t unchanged = verdicts.size() - refused - changed;
    for (const std::string& e : found.errors) std::cerr << "guestaddr: error: " << e << '\n';
    if (args.json) {
        nlohmann::json out{{"libvirt", args.libvirt},   {"qemu", args.qemu},
                           {"definitions", nlohmann::json::array()},
                           {"skipped", found.skipped}, {"errors", found.errors},
                           {"summary", {{"unchanged", unchanged}, {"changed", changed}, {"refused", refused},
                                        {"skipped", found.skipped.size()}, {"not_read", found.errors.size()}}}};
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
        for (const std::string& s : found.skipped) std::cout << "skipped " << s << '\n';
        std::cout << fmt::format("{} definitions for libvirt {} + QEMU {}: {} unchanged, {} changed, {} refused{}\n",
                                 verdicts.size(), args.libvirt, args.qemu, unchanged, changed, refused,
                                 summary_tail(found));
    }
    if (!found.errors.empty()) return kIoFailure;
    return refused || changed ? kInvalidDefinition : kSuccess;
}

}  // namespace

Runner add_upgrade_check_command(CLI::App& app) {
    auto args = std::make_shared<UpgradeArgs>();
    CLI::App* cmd = app.add_subcommand(
        "upgrade-check", "whether each definition survives a move to another QEMU and libvirt, and every change its guest sees");
    cmd->add_option("DOMAIN", args->paths,
                    "domain XML files, or folders of them (e.g. /etc/libvirt/qemu: its subfolders too, each guest "
                    "once, documents other than domains skipped)")->required();
    cmd->add_option("--libvirt", args->libvirt, "the target libvirt: 9.0 or 11.3")->required();
    cmd->add_option("--qemu", args->qemu, "the target QEMU: 7.2, 10.0, or the path of its binary")->required();
    cmd->add_option("--from-libvirt", args->from_libvirt, "the libvirt today, for definitions without a stamp (default 9.0)");
    cmd->add_option("--from-qemu", args->from_qemu, "the QEMU today (default 7.2)");
    cmd->add_flag("--json", args->json, "one JSON object, for scripts");
    return [cmd, args] {
        if (!cmd->parsed()) return -1;
        Found found = definitions(args->paths);
        std::vector<Verdict> verdicts;
        for (const std::string& path : found.definitions)
            if (std::optional<Verdict> v = check_one(path, *args, found)) verdicts.push_back(std::move(*v));
        return print(verdicts, found, *args);
    };
}

}  // namespace guestaddr::cli
