#include "guestaddr/guestaddr.hpp"

#include "api/definition_impl.hpp"
#include "assign/pci_assigner.hpp"
#include "assign/pipeline.hpp"
#include "machine/machine.hpp"
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

Result<Definition> assign(Definition definition) { return assign(std::move(definition), AssignOptions{}); }

namespace {

template <class T>
void set_policy(model::Intent& intent, T& field, const std::optional<T>& value) {
    if (!value || field == *value) return;
    field = *value;
    intent.changed = true;
}

template <class T>
void set_policy(model::Intent& intent, std::optional<T>& field, const std::optional<T>& value) {
    if (!value || field == value) return;
    field = value;
    intent.changed = true;
}

}  // namespace

Result<Definition> assign(Definition definition, const AssignOptions& options) {
    model::Intent& intent = definition.domain().intent;
    set_policy(intent, intent.policy.keep_free_hotplug, options.keep_free_hotplug);
    set_policy(intent, intent.policy.keep_free_hotplug_pci, options.keep_free_hotplug_pci);
    set_policy(intent, intent.policy.stable_nic_names, options.stable_nic_names);
    try {
        assigners::assign_all(definition.domain());
    } catch (const Failure& f) {
        return f.error();
    }
    return definition;
}

Result<HotplugCapacity> free_hotplug_capacity(const Definition& definition) {
    try {
        const model::Domain& domain = definition.domain();
        return assigners::free_hotplug_capacity(domain, machine::resolve_machine(domain.arch, domain.machine));
    } catch (const Failure& f) {
        return f.error();
    }
}

std::vector<Error> validate(const Definition& definition) { return validation::check(definition.domain()); }

std::string format(const Definition& definition) {
    return xml::write_domain(definition.impl().document, definition.impl().domain);
}

void format(const Definition& definition, const std::function<void(std::string_view)>& write) {
    xml::write_domain(definition.impl().document, definition.impl().domain, write);
}

}  // namespace guestaddr
