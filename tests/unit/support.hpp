// Helpers shared by the unit tests: small definitions in, addresses out.
#pragma once

#include <string>

#include "guestaddr/guestaddr.hpp"
#include "model/domain.hpp"

namespace guestaddr::testing {

// A domain of the given machine type with `devices` as the <devices> body.
std::string domain_xml(const std::string& machine, const std::string& devices);

// libvirt 9.0 with QEMU 7.2, whose answers the unit tests hold (without
// options the library applies the newest built-in pair).
AssignOptions libvirt_9_0_rules();

// parse + assign under libvirt_9_0_rules(); the test fails if either does.
Definition assigned(const std::string& machine, const std::string& devices);

// The errors parse + assign (under libvirt_9_0_rules()) report (empty when it succeeds).
std::vector<Error> assign_errors(const std::string& machine, const std::string& devices);

// The device whose description (as in messages) is `who`; fails if absent.
const model::Device& device(const Definition& definition, const std::string& who);
// Its index among the definition's devices.
std::size_t index_of(const Definition& definition, const std::string& who);

// "0000:01:00.0" for a PCI-addressed device, "" otherwise.
std::string pci_of(const Definition& definition, const std::string& who);

}  // namespace guestaddr::testing
