// Helpers shared by the unit tests: small definitions in, addresses out.
#pragma once

#include <string>

#include "guestaddr/guestaddr.hpp"
#include "model/domain.hpp"

namespace guestaddr::testing {

// A domain of the given machine type with `devices` as the <devices> body.
std::string domain_xml(const std::string& machine, const std::string& devices);

// parse + assign; the test fails if either does.
Definition assigned(const std::string& machine, const std::string& devices);

// The errors parse + assign report (empty when it succeeds).
std::vector<Error> assign_errors(const std::string& machine, const std::string& devices);

// The device whose description (as in messages) is `who`; fails if absent.
const model::Device& device(const Definition& definition, const std::string& who);
// Its index among the definition's devices.
std::size_t index_of(const Definition& definition, const std::string& who);

// "0000:01:00.0" for a PCI-addressed device, "" otherwise.
std::string pci_of(const Definition& definition, const std::string& who);

}  // namespace guestaddr::testing
