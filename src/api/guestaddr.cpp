#include "guestaddr/guestaddr.hpp"

#include "api/definition_impl.hpp"
#include "assign/pci_assigner.hpp"
#include "assign/pipeline.hpp"
#include "machine/machine.hpp"
#include "rules/choice.hpp"
#include "validate/guest_changes.hpp"
#include "validate/validator.hpp"

namespace guestaddr {

Definition::Definition(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Definition::Definition(Definition&&) noexcept = default;
Definition& Definition::operator=(Definition&&) noexcept = default;
Definition::~Definition() = default;

const model::Domain& Definition::domain() const { return impl_->domain; }
model::Domain& Definition::domain() { return impl_->domain; }

namespace {

// `read` builds the model into the new definition's document.
template <class Read>
Result<Definition> parse_with(Read read) {
    try {
        auto impl = std::make_unique<Definition::Impl>();
        impl->domain = read(impl->document);
        return Definition(std::move(impl));
    } catch (const Failure& f) {
        return f.error();
    }
}

}  // namespace

Result<Definition> parse(std::string_view text) {
    return parse_with([&](xml::Document& document) { return xml::read_domain(text, document); });
}

Result<Definition> parse_in_place(std::string text) {
    return parse_with([&](xml::Document& document) { return xml::read_domain_in_place(std::move(text), document); });
}

namespace {

// A policy the options set (a plain or an optional field of the guest's).
template <class Field, class T>
void set_policy(model::Intent& intent, Field& field, const std::optional<T>& value) {
    if (!value || field == *value) return;
    field = *value;
    intent.changed = true;
}

// Options that name no rules keep those already chosen.
bool names_rules(const AssignOptions& o) {
    return !o.libvirt.empty() || !o.qemu.empty() || o.restamp || !o.host_libvirt.empty() || !o.host_qemu.empty();
}

}  // namespace

Result<RulesChoice> choose_rules(Definition& definition, const AssignOptions& options) {
    try {
        model::Domain& domain = definition.domain();
        std::vector<std::string> reasons;
        if (!domain.rules_chosen || names_rules(options)) reasons = rules::choose(domain, options);
        return RulesChoice{std::string(domain.libvirt->version), domain.qemu, std::move(reasons)};
    } catch (const Failure& f) {
        return f.error();
    }
}

Result<Definition> assign(Definition definition, const AssignOptions& options) {
    if (auto chosen = choose_rules(definition, options); !chosen) return chosen.errors();
    model::Intent& intent = definition.domain().intent;
    set_policy(intent, intent.policy.keep_free_hotplug, options.keep_free_hotplug);
    set_policy(intent, intent.policy.keep_free_hotplug_pci, options.keep_free_hotplug_pci);
    set_policy(intent, intent.policy.stable_nic_names, options.stable_nic_names);
    return assign(std::move(definition));
}

Result<Definition> assign(Definition definition) {
    try {
        rules::follow_stamp(definition.domain());
        assigners::assign_all(definition.domain());
    } catch (const Failure& f) {
        return f.error();
    }
    return definition;
}

Result<HotplugCapacity> free_hotplug_capacity(const Definition& definition) {
    try {
        const model::Domain& domain = definition.domain();
        if (domain.rules_chosen) return assigners::free_hotplug_capacity(domain, machine::resolve_machine(domain));
        model::Domain chosen = domain;
        rules::follow_stamp(chosen);
        return assigners::free_hotplug_capacity(chosen, machine::resolve_machine(chosen));
    } catch (const Failure& f) {
        return f.error();
    }
}

std::vector<std::string> guest_visible_changes(const Definition& before, const Definition& after) {
    return validation::guest_visible_changes(before.domain(), after.domain());
}

std::vector<Error> validate(const Definition& definition) {
    const model::Domain& domain = definition.domain();
    if (domain.rules_chosen) return validation::check(domain);
    model::Domain chosen = domain;
    try {
        rules::follow_stamp(chosen);
    } catch (const Failure& f) {
        return {f.error()};
    }
    return validation::check(chosen);
}

std::string format(const Definition& definition) {
    return xml::write_domain(definition.impl().document, definition.impl().domain);
}

void format(const Definition& definition, const std::function<void(std::string_view)>& write) {
    xml::write_domain(definition.impl().document, definition.impl().domain, write);
}

}  // namespace guestaddr
