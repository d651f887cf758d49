#include "rules/choice.hpp"

#include <optional>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "machine/capabilities.hpp"
#include "qmp/qemu_probe.hpp"

namespace guestaddr::rules {
namespace {

[[noreturn]] void unsupported(std::string message) {
    throw Failure(Error{ErrorKind::Unsupported, "", std::move(message)});
}

std::string known_libvirt_list() {
    std::vector<std::string_view> versions;
    for (const LibvirtRules* r : known_libvirts()) versions.push_back(r->version);
    return fmt::format("{}", fmt::join(versions, ", "));
}

const LibvirtRules& libvirt_named(const std::string& version, std::string_view who) {
    if (const LibvirtRules* r = find_libvirt(version)) return *r;
    unsupported(fmt::format("{} names libvirt {}, and guestaddr has no rules of it (it has {})", who, version,
                            known_libvirt_list()));
}

// "7.2.22" is QEMU 7.2: machine types and devices change with minor releases only.
std::string major_minor(const std::string& version) {
    const std::size_t first = version.find('.');
    const std::size_t second = first == std::string::npos ? first : version.find('.', first + 1);
    return second == std::string::npos ? version : version.substr(0, second);
}

struct Chosen {
    const LibvirtRules* rules;
    std::string why;
};

// The QEMU named by a version ("7.2") or a binary.
machine::QemuVersion qemu_version(const std::string& spec, const model::Domain& domain) {
    return qmp::capabilities_for(spec, domain.arch).version;
}

std::string major_minor(const machine::QemuVersion& v) { return fmt::format("{}.{}", v.major, v.minor); }

struct QemuChoice {
    std::string spec;  // what capabilities_for takes; empty: none chosen yet
    std::string why;
    std::optional<machine::QemuVersion> version;
};

// What the choice knows of the host, for its reasons: the front end looked
// and found nothing, or it did not look (the library alone never does).
std::string no_host(const AssignOptions& options, std::string_view what) {
    return options.host_looked_at ? fmt::format("no {} on the host", what) : std::string("the host not looked at");
}

// Capabilities come from the QEMU that will run the guest, whatever the
// stamp says: --qemu, else the host's, else the stamp's. A host QEMU that
// cannot be asked (it does not start, or runs no guest of this arch) is
// passed over, and said so.
QemuChoice choose_qemu(const model::Domain& domain, const AssignOptions& options) {
    if (!options.qemu.empty()) return {options.qemu, "--qemu", qemu_version(options.qemu, domain)};
    std::string passed_over;
    if (!options.host_qemu.empty()) {
        try {
            return {options.host_qemu, "the host's QEMU", qemu_version(options.host_qemu, domain)};
        } catch (const Failure& f) {
            passed_over = fmt::format("; the host's QEMU {} was passed over: {}", options.host_qemu, f.error().message);
        }
    }
    if (domain.stamp && machine::is_qemu_version(domain.stamp->qemu))
        return {domain.stamp->qemu, "the definition's stamp (no --qemu, " + no_host(options, "QEMU") + ")" + passed_over,
                qemu_version(domain.stamp->qemu, domain)};
    return {"", passed_over, std::nullopt};
}

Chosen choose_libvirt(const model::Domain& domain, const AssignOptions& options, const QemuChoice& qemu) {
    if (domain.stamp && (options.libvirt.empty() || major_minor(options.libvirt) == domain.stamp->libvirt))
        return {&libvirt_named(domain.stamp->libvirt, "the definition's stamp"),
                "the definition's stamp <guestaddr:rules libvirt='" + domain.stamp->libvirt + "'>"};
    if (domain.stamp && !options.restamp)
        unsupported(fmt::format(
            "the guest was addressed under libvirt {}'s rules (its <guestaddr:rules> stamp); --libvirt {} would "
            "apply other rules to it: add --restamp to move it to them",
            domain.stamp->libvirt, options.libvirt));
    if (!options.libvirt.empty())
        return {&libvirt_named(options.libvirt, "--libvirt"),
                domain.stamp ? "--libvirt with --restamp (the stamp said " + domain.stamp->libvirt + ")" : "--libvirt"};
    if (const LibvirtRules* host = find_libvirt(options.host_libvirt))
        return {host, "the host's libvirt (" + options.host_libvirt + ")"};
    const std::string no_host_libvirt = options.host_libvirt.empty()
                                            ? no_host(options, "libvirt")
                                            : "the host's libvirt " + options.host_libvirt + " has no rules in guestaddr";
    if (qemu.version) {
        const LibvirtRules& paired = libvirt_paired_with(qemu.version->major, qemu.version->minor);
        return {&paired, fmt::format("the libvirt that comes with QEMU {} ({}, {}: libvirt {} pairs with QEMU {})",
                                     major_minor(*qemu.version), qemu.why, no_host_libvirt, paired.version,
                                     paired.paired_qemu)};
    }
    const std::string host = options.host_looked_at ? "no QEMU found, " + no_host_libvirt : no_host_libvirt;
    return {&newest_libvirt(), "the newest built-in rules (no stamp, no --libvirt, " + host + ")"};
}

}  // namespace

std::vector<std::string> choose(model::Domain& domain, const AssignOptions& options) {
    QemuChoice qemu = choose_qemu(domain, options);
    const Chosen libvirt = choose_libvirt(domain, options, qemu);
    if (qemu.spec.empty()) {
        qemu.why = fmt::format("the QEMU libvirt {} comes with (no --qemu, {}{})", libvirt.rules->version,
                               no_host(options, "QEMU"), qemu.why);
        qemu.spec = std::string(libvirt.rules->paired_qemu);
        qemu.version = qemu_version(qemu.spec, domain);
    }
    const std::string version = major_minor(*qemu.version);
    domain.libvirt = libvirt.rules;
    domain.qemu = qemu.spec;
    const model::RulesStamp stamp{std::string(libvirt.rules->version), version};
    // A stamped guest keeps its stamp (its QEMU is the one it was first
    // addressed for) unless it is moved to other rules.
    if (!domain.stamp || domain.stamp->libvirt != stamp.libvirt) {
        domain.stamp = stamp;
        domain.stamp_changed = true;
    }
    domain.rules_chosen = true;
    return {fmt::format("rules: libvirt {}, from {}", libvirt.rules->version, libvirt.why),
            fmt::format("capabilities: QEMU {}{}, from {}", version,
                        machine::is_qemu_version(qemu.spec) ? " (built-in table)" : " (" + qemu.spec + ")", qemu.why)};
}

void follow_stamp(model::Domain& domain) {
    if (!domain.rules_chosen) choose(domain, AssignOptions{});
}

}  // namespace guestaddr::rules
