#include "guestaddr/guestaddr.hpp"

#include "api/definition_impl.hpp"
#include "assign/pipeline.hpp"
#include "validate/validator.hpp"

namespace guestaddr {

Definition::Definition(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Definition::Definition(Definition&&) noexcept = default;
Definition& Definition::operator=(Definition&&) noexcept = default;
Definition::~Definition() = default;

const model::Domain& Definition::domain() const { return impl_->domain; }
model::Domain& Definition::domain() { return impl_->domain; }

Result<Definition> parse(std::string_view text) {
    try {
        auto impl = std::make_unique<Definition::Impl>();
        impl->domain = xml::read_domain(text, impl->document);
        return Definition(std::move(impl));
    } catch (const Failure& f) {
        return f.error();
    }
}

Result<Definition> assign(Definition definition) {
    try {
        assigners::assign_all(definition.domain());
    } catch (const Failure& f) {
        return f.error();
    }
    return definition;
}

std::vector<Error> validate(const Definition& definition) { return validation::check(definition.domain()); }

std::string format(const Definition& definition) {
    return xml::write_domain(definition.impl().document, definition.impl().domain);
}

}  // namespace guestaddr
