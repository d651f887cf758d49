#include "validate/validator.hpp"

#include <fmt/format.h>

#include "assign/pipeline.hpp"
#include "machine/machine.hpp"
#include "validate/definition_rules.hpp"

namespace guestaddr::validation {
namespace {

using model::Device;
using model::Domain;

// What assignment would change: the machine name, addresses it would fill
// in, devices it would add.
std::vector<Error> incompleteness(const Domain& given, const Domain& assigned) {
    std::vector<Error> out;
    if (given.machine != assigned.machine)
        out.push_back(Error{ErrorKind::Incomplete, "",
                            fmt::format("machine type '{}' is not canonical (it stands for '{}')", given.machine,
                                        assigned.machine)});
    for (std::size_t i = 0; i < given.devices.size(); ++i) {
        const Device& before = given.devices[i];
        const Device& after = assigned.devices[i];
        if (!before.has_address() && after.has_address())
            out.push_back(Error{ErrorKind::Incomplete, given.describe(i),
                                fmt::format("has no address (guestaddr would give it {} one)",
                                            address_type_name(after.address))});
    }
    for (std::size_t i = given.devices.size(); i < assigned.devices.size(); ++i)
        out.push_back(Error{ErrorKind::Incomplete, assigned.describe(i), "is implicit and missing from the definition"});
    return out;
}

}  // namespace

std::vector<Error> check(const Domain& domain) {
    Domain assigned = domain;
    try {
        assigners::assign_all(assigned);
    } catch (const Failure& f) {
        std::vector<Error> errors{f.error()};
        try {
            const machine::MachineProfile machine = machine::resolve_machine(domain);
            for (Error& e : broken_definition_rules(domain, machine))
                if (e.to_string() != errors.front().to_string()) errors.push_back(std::move(e));
        } catch (const Failure&) {
        }
        return errors;
    }
    return incompleteness(domain, assigned);
}

}  // namespace guestaddr::validation
