#include "rules/choice.hpp"

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

Chosen choose_libvirt(const model::Domain& domain, const AssignOptions& options) {
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
    return {&newest_libvirt(), options.host_libvirt.empty()
                                   ? std::string("the newest built-in rules (no stamp, no --libvirt, no libvirt on the host)")
                                   : "the newest built-in rules (the host's libvirt " + options.host_libvirt +
                                         " has no rules in guestaddr)"};
}

// The QEMU named by a version ("7.2") or a binary, as its major.minor version.
std::string qemu_version(const std::string& spec, const model::Domain& domain) {
    const machine::QemuVersion v = qmp::capabilities_for(spec, domain.arch).version;
    return fmt::format("{}.{}", v.major, v.minor);
}

struct QemuChoice {
    std::string spec;  // what capabilities_for takes
    std::string why;
};

// Capabilities come from the QEMU that will run the guest, whatever the stamp says.
QemuChoice choose_qemu(const model::Domain& domain, const AssignOptions& options, const LibvirtRules& rules) {
    if (!options.qemu.empty()) return {options.qemu, "--qemu"};
    if (!options.host_qemu.empty()) return {options.host_qemu, "the host's QEMU"};
    if (domain.stamp && machine::is_qemu_version(domain.stamp->qemu))
        return {domain.stamp->qemu, "the definition's stamp (no --qemu, no QEMU on the host)"};
    return {std::string(rules.paired_qemu),
            fmt::format("the QEMU libvirt {} comes with (no --qemu, no QEMU on the host)", rules.version)};
}

}  // namespace

std::vector<std::string> choose(model::Domain& domain, const AssignOptions& options) {
    const Chosen libvirt = choose_libvirt(domain, options);
    const QemuChoice qemu = choose_qemu(domain, options, *libvirt.rules);
    const std::string version = qemu_version(qemu.spec, domain);
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
    if (domain.rules_chosen) return;
    AssignOptions options;
    options.libvirt = domain.stamp ? domain.stamp->libvirt : std::string(libvirt_9_0().version);
    options.qemu = domain.stamp && machine::is_qemu_version(domain.stamp->qemu) ? domain.stamp->qemu
                                                                                 : std::string(libvirt_9_0().paired_qemu);
    choose(domain, options);
}

}  // namespace guestaddr::rules
