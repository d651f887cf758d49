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

void format(const Definition& definition, const std::function<void(std::string_view)>& write) {
    xml::write_domain(definition.impl().document, definition.impl().domain, write);
}

}  // namespace guestaddr
